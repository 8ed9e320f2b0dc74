using System.Globalization;
using System.Text.Json.Nodes;
using Models.Mnist.Training;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>
/// Draws one progress bar per epoch (with ETA and the running losses) on a terminal; writes one line per
/// epoch when the output is redirected, so logs stay readable.
/// </summary>
internal sealed class ConsoleReporter(ProgressContext? progress) : ITrainingReporter
{
    private ProgressTask? _task;
    private string _epochLabel = "";

    public void EpochStarted(int epoch, int epochs, int steps)
    {
        _epochLabel = $"epoch {epoch}/{epochs}";
        _task = progress?.AddTask(_epochLabel, maxValue: steps);
    }

    public void StepDone(int stepInEpoch, double discriminatorLoss, double generatorLoss)
    {
        if (_task is null) return;
        _task.Value = stepInEpoch;
        _task.Description = string.Create(CultureInfo.InvariantCulture, $"{_epochLabel}  d {discriminatorLoss:0.000}  g {generatorLoss:0.000}");
    }

    public void EpochDone(JsonObject history)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: d_loss {history["d_loss"]!.GetValue<double>():0.0000}, g_loss {history["g_loss"]!.GetValue<double>():0.0000}, D accuracy real {history["d_acc_real"]!.GetValue<double>():P1} fake {history["d_acc_fake"]!.GetValue<double>():P1}, {history["seconds"]!.GetValue<double>():0.0} s");
        if (history["skipped_steps"]?.GetValue<int>() is > 0 and var skipped) line += $", {skipped} steps skipped (non-finite)";
        if (_task is not null) _task.StopTask();
        AnsiConsole.MarkupLine(Markup.Escape(line));
    }

    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console supports one.</summary>
    public static void Run(Action<ITrainingReporter> work) => LiveProgress.Run(context => new ConsoleReporter(context), work);
}

/// <summary>Spectre's progress display for trainers' reporters, or none when the output is redirected.</summary>
internal static class LiveProgress
{
    /// <summary>Runs <paramref name="work"/> with a reporter made for the live display (given null when there is none).</summary>
    public static void Run<TReporter>(Func<ProgressContext?, TReporter> createReporter, Action<TReporter> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(createReporter(null));
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(createReporter(context)));
    }
}
