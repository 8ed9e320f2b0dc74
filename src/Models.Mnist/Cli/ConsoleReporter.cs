using System.Globalization;
using System.Text.Json.Nodes;
using Models.Mnist.Training;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>
/// Draws one progress bar per epoch (with ETA and the running losses) on a terminal; writes one line per
/// epoch when the output is redirected, so logs stay readable.
/// </summary>
internal sealed class ConsoleReporter(ProgressContext? progress) : EpochProgressReporter(progress), ITrainingReporter
{
    public void StepDone(int stepInEpoch, double discriminatorLoss, double generatorLoss) =>
        ShowStep(stepInEpoch, string.Create(CultureInfo.InvariantCulture, $"d {discriminatorLoss:0.000}  g {generatorLoss:0.000}"));

    public void EpochDone(JsonObject history)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: d_loss {EpochMean(history["d_loss"]):0.0000}, g_loss {EpochMean(history["g_loss"]):0.0000}");
        // The DCGAN also reports D's accuracy; the AC-GAN prints its own loss table.
        if (history["d_acc_real"] is { } real && history["d_acc_fake"] is { } fake)
            line += string.Create(CultureInfo.InvariantCulture, $", D accuracy real {real.GetValue<double>():P1} fake {fake.GetValue<double>():P1}");
        line += string.Create(CultureInfo.InvariantCulture, $", {history["seconds"]!.GetValue<double>():0.0} s");
        EpochFinished(WithSkippedSteps(line, history));
    }

    /// <summary>Runs <paramref name="work"/> with a live progress display when the console supports one.</summary>
    public static void Run(Action<ITrainingReporter> work) => LiveProgress.Run(context => new ConsoleReporter(context), work);
}
