using System.Diagnostics;

namespace Models.Mnist.Training;

/// <summary>
/// <c>--minutes N</c>: the training time a run may spend, counted over resumes (a run resumed with the same N trains
/// only what is left). Only the steps count (<see cref="Measure"/>), not evaluations, sample grids or checkpoints.
/// </summary>
/// <param name="minutes">The budget, or null for none.</param>
/// <param name="secondsBefore">Seconds of training the checkpoint resumed from had done.</param>
internal sealed class TimeBudget(double? minutes, double secondsBefore)
{
    private readonly Stopwatch _clock = new();

    /// <summary>Seconds of training so far, the resumed checkpoint's included.</summary>
    public double Seconds => secondsBefore + _clock.Elapsed.TotalSeconds;

    /// <summary>The share of the budget used so far, or null when there is none.</summary>
    public double? Share => minutes is { } limit ? Seconds / (limit * 60) : null;

    /// <summary>Whether the budget is used up: the run ends at this step boundary.</summary>
    public bool Spent => Share >= 1;

    /// <summary>Counts the time until the result is disposed as training.</summary>
    public IDisposable Measure()
    {
        _clock.Start();
        return new Pause(_clock);
    }

    private sealed class Pause(Stopwatch clock) : IDisposable
    {
        public void Dispose() => clock.Stop();
    }
}
