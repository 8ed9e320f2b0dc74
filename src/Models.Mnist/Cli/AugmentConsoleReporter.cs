using System.Globalization;
using Models.Mnist.Experiments;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>One progress bar per classifier the augmentation experiment trains, and a line with its test accuracy.</summary>
internal sealed class AugmentConsoleReporter(ProgressContext? progress) : EpochProgressReporter(progress), IAugmentReporter
{
    public void ArmStarted(string label, int steps) => Started(label, steps);

    public void StepDone(int step, double loss) => ShowStep(step, string.Create(CultureInfo.InvariantCulture, $"loss {loss:0.0000}"));

    public void ArmDone(string line) => EpochFinished(line);

    public static void Run(Action<IAugmentReporter> work) => LiveProgress.Run(context => new AugmentConsoleReporter(context), work);
}
