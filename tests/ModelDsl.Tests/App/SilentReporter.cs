using Models.Mnist.Training;

namespace ModelDsl.Tests.App;

/// <summary>
/// A reporter that keeps quiet, so tests print nothing; counts the steps it is told of, as a progress bar would advance,
/// and keeps the messages.
/// </summary>
internal sealed class SilentReporter : IProgressReporter
{
    public int StepsReported { get; private set; }
    public List<string> Messages { get; } = [];
    public void Started(string label, int steps) { }
    public void StepDone(int step, string figures) => StepsReported++;
    public void Finished(string line) { }
    public void Message(string text) => Messages.Add(text);
}
