using Models.Mnist.Imaging;

namespace Models.Mnist.Evaluation;

/// <summary>quality.png: FID-MNIST (with its real-data floor and the mean intra-class FID) and the MNIST score against the training step.</summary>
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
        // Steps, not epochs: --eval-every-steps judges within epochs, and runs of different batch sizes compare by steps.
        var steps = Values(evaluated, "step");
        List<PlotSeries> series =
        [
            new PlotSeries("FID-MNIST", steps, Values(evaluated, "fid")),
            new PlotSeries("FID floor (train vs test)", steps, Values(evaluated, "fid_floor")),
            new PlotSeries("MNIST score", steps, Values(evaluated, "mnist_score"), OnRightAxis: true),
        ];
        // Lines from before the intra-class figures, or with no digit sampled often enough, have none.
        var withinDigits = evaluated.Where(line => line["fid_per_class_mean"] is not null).ToList();
        if (withinDigits.Count > 0)
            series.Add(new PlotSeries("intra-class FID (mean over digits)", Values(withinDigits, "step"), Values(withinDigits, "fid_per_class_mean")));
        LinePlot.Save(path, series,
            "Sample quality", "step", "FID-MNIST (lower is better)", rightYLabel: "MNIST score (higher is better, at most 10)");
    }

    private static List<double> Values(List<JsonObject> lines, string key) => lines.Select(l => l[key]!.GetValue<double>()).ToList();
}
