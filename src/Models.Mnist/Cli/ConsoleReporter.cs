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
            $"epoch {history["epoch"]}: d_loss {history["d_loss"]!.GetValue<double>():0.0000}, g_loss {history["g_loss"]!.GetValue<double>():0.0000}");
        // The DCGAN also reports D's accuracy; the AC-GAN prints its own loss table.
        if (history["d_acc_real"] is { } real && history["d_acc_fake"] is { } fake)
            line += string.Create(CultureInfo.InvariantCulture, $", D accuracy real {real.GetValue<double>():P1} fake {fake.GetValue<double>():P1}");
        line += string.Create(CultureInfo.InvariantCulture, $", {history["seconds"]!.GetValue<double>():0.0} s");
        if (history["skipped_steps"]?.GetValue<int>() is > 0 and var skipped) line += $", {skipped} steps skipped (non-finite)";
        if (_task is not null) _task.StopTask();
        Message(line);
    }

    // Redirected output gets plain lines: Spectre would wrap them at 80 columns.
    public void Message(string text)
    {
        if (progress is null) Console.WriteLine(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console supports one.</summary>
    public static void Run(Action<ITrainingReporter> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(new ConsoleReporter(null));
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new ConsoleReporter(context)));
    }
}
