using System.Globalization;
using System.Text.Json.Nodes;
using Models.Mnist.Training;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>
/// One progress bar per classifier epoch (with ETA, running loss and accuracy) on a terminal, and a line per
/// epoch with the test accuracy; only those lines when the output is redirected.
/// </summary>
internal sealed class ClassifierConsoleReporter(ProgressContext? progress) : EpochProgressReporter(progress), IClassifierReporter
{
    public void StepDone(int stepInEpoch, double loss, double accuracy) =>
        ShowStep(stepInEpoch, string.Create(CultureInfo.InvariantCulture, $"loss {loss:0.0000}  accuracy {accuracy:P2}"));

    public void EpochDone(JsonObject history)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: train loss {EpochMean(history["train_loss"]):0.0000}, accuracy {EpochMean(history["train_accuracy"]):P2}; test loss {history["test_loss"]!.GetValue<double>():0.0000}, accuracy {history["test_accuracy"]!.GetValue<double>():P2}; {history["seconds"]!.GetValue<double>():0.0} s");
        EpochFinished(WithSkippedSteps(line, history));
    }

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console supports one.</summary>
    public static void Run(Action<IClassifierReporter> work) => LiveProgress.Run(context => new ClassifierConsoleReporter(context), work);
}
