using System.Text.Json.Nodes;
using Models.Mnist.Training;

namespace ModelDsl.Tests.App;

/// <summary>A training reporter that keeps quiet, so tests print nothing.</summary>
internal sealed class SilentReporter : ITrainingReporter
{
    public void EpochStarted(int epoch, int epochs, int steps) { }
    public void StepDone(int stepInEpoch, double discriminatorLoss, double generatorLoss) { }
    public void EpochDone(JsonObject history) { }
    public void Message(string text) { }
}
