using Models.Mnist.Imaging;

namespace Models.Mnist.Evaluation;

/// <summary>quality.png: FID-MNIST (with its real-data floor) and the MNIST score against the epoch.</summary>
internal static class QualityPlot
{
    /// <summary>
    /// Plots the history lines that hold an evaluation (<see cref="GanEvaluation.AppendTo"/>); writes nothing when
    /// none does.
    /// </summary>
    public static void Save(string path, IEnumerable<JsonObject> history)
    {
        var evaluated = history.Where(line => line.ContainsKey("fid")).ToList();
        if (evaluated.Count == 0) return;
        var epochs = Values(evaluated, "epoch");
        LinePlot.Save(path,
            [
                new PlotSeries("FID-MNIST", epochs, Values(evaluated, "fid")),
                new PlotSeries("FID floor (train vs test)", epochs, Values(evaluated, "fid_floor")),
                new PlotSeries("MNIST score", epochs, Values(evaluated, "mnist_score"), OnRightAxis: true),
            ],
            "Sample quality", "epoch", "FID-MNIST (lower is better)", rightYLabel: "MNIST score (higher is better, at most 10)");
    }

    private static List<double> Values(List<JsonObject> lines, string key) => lines.Select(l => l[key]!.GetValue<double>()).ToList();
}
