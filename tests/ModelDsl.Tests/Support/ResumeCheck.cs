using System.Globalization;
using Models.Mnist.Training;

namespace ModelDsl.Tests.Support;

/// <summary>The check every resumable trainer passes: a run killed during its second epoch and resumed ends exactly like one that ran straight through.</summary>
internal static class ResumeCheck
{
    /// <param name="train">Trains the named run up to the given epoch (resuming when the flag is set) and returns its folder.</param>
    /// <param name="historyKeys">The history figures that must be equal (the timings are not).</param>
    public static void ContinuesLikeAnUninterruptedRun(Func<string, int, bool, RunFolder> train, params string[] historyKeys)
    {
        var whole = train("whole", 2, false);

        var interrupted = train("interrupted", 1, false);
        // A kill during epoch 2 leaves a torn history line and step losses beyond the checkpoint.
        File.AppendAllText(interrupted.HistoryPath, "{\"epoch\":2,\"los");
        if (interrupted.ReadStepLosses() is { Count: > 0 } losses)
        {
            var next = losses[^1].Step + 1;
            File.AppendAllText(interrupted.StepLossesPath, string.Create(CultureInfo.InvariantCulture, $"{next},0.5,0.5\n{next + 1},0.4"));
        }
        var resumed = train("interrupted", 2, true);

        Assert.Equal(whole.ReadStepLosses(), resumed.ReadStepLosses());
        Assert.Equal(2, whole.ReadHistory().Count);
        Assert.Equal(Figures(whole), Figures(resumed));
        string[] Figures(RunFolder run) => run.ReadHistory().Select(h => string.Join(",", historyKeys.Select(k => h[k]!.ToJsonString()))).ToArray();
    }
}
