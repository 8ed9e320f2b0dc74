using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>
/// What the trainers' console reporters share: one progress bar per epoch with the running figures beside it on
/// a live display, and one line per finished epoch (the lines alone when the output is redirected).
/// </summary>
internal abstract class EpochProgressReporter(ProgressContext? progress)
{
    private ProgressTask? _task;
    private string _epochLabel = "";

    public void EpochStarted(int epoch, int epochs, int steps) => Started($"epoch {epoch}/{epochs}", steps);

    /// <summary>Opens a bar of <paramref name="steps"/> steps named <paramref name="label"/>.</summary>
    protected void Started(string label, int steps)
    {
        _epochLabel = label;
        _task = progress?.AddTask(label, maxValue: steps);
    }

    // Redirected output gets plain lines: Spectre would wrap them at 80 columns.
    public void Message(string text)
    {
        if (progress is null) Console.WriteLine(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>Moves the bar to <paramref name="stepInEpoch"/> and shows <paramref name="figures"/> after the epoch's label.</summary>
    protected void ShowStep(int stepInEpoch, string figures)
    {
        if (_task is null) return;
        _task.Value = stepInEpoch;
        _task.Description = $"{_epochLabel}  {figures}";
    }

    /// <summary>An epoch's mean over its steps; NaN when the non-finite guard skipped every step (history.jsonl has null).</summary>
    protected static double EpochMean(System.Text.Json.Nodes.JsonNode? mean) => mean?.GetValue<double>() ?? double.NaN;

    /// <summary>The epoch's line, plus how many steps the non-finite guard skipped when there were any.</summary>
    protected static string WithSkippedSteps(string line, System.Text.Json.Nodes.JsonObject history) =>
        history["skipped_steps"]?.GetValue<int>() is > 0 and var skipped ? $"{line}, {skipped} steps skipped (non-finite)" : line;

    protected void EpochFinished(string line)
    {
        _task?.StopTask();
        Message(line);
    }
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
