using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>
/// The console's <see cref="IProgressReporter"/>: one progress bar per stretch of steps (an epoch, a classifier of an
/// experiment) with ETA and its running figures beside it on a live display, and one line when it ends; the lines
/// alone when the output is redirected, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress(ProgressContext? progress) : IProgressReporter
{
    private ProgressTask? _task;
    private string _label = "";

    public void Started(string label, int steps)
    {
        _label = label;
        _task = progress?.AddTask(label, maxValue: steps);
    }

    public void StepDone(int step, string figures)
    {
        if (_task is null) return;
        _task.Value = step;
        _task.Description = $"{_label}  {figures}";
    }

    public void Finished(string line)
    {
        _task?.StopTask();
        Message(line);
    }

    // Redirected output gets plain lines: Spectre would wrap them at 80 columns.
    public void Message(string text)
    {
        if (progress is null) Console.WriteLine(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console supports one, else with plain lines.</summary>
    public static void Run(Action<IProgressReporter> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            work(new ConsoleProgress(null));
            return;
        }
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context => work(new ConsoleProgress(context)));
    }
}
