using Models.Mnist.Experiments;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>The readable form of an <see cref="AugmentResult"/>: one row per seed, then mean ± standard deviation.</summary>
internal static class AugmentReport
{
    public static void Write(AugmentResult result)
    {
        var options = result.Options;
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"generator: [bold]{Markup.Escape(result.Generator)}[/]; {options.Real:#,0} real images, + {options.Synthetic:#,0} generated{MixNote(options)}; {options.Steps:#,0} steps of {options.BatchSize} per classifier"));
        var labels = result.LabelAccuracy is not null;
        var table = new Table().AddColumns("seed", "real only", "real + generated", "gain (points)", "generated only");
        if (labels) table.AddColumn("generated shown as labelled");
        foreach (var trial in result.Trials)
        {
            string[] row = [trial.Seed.ToString(CultureInfo.InvariantCulture), Percent(trial.RealOnlyAccuracy), Percent(trial.AugmentedAccuracy), Points(trial.Gain), Percent(trial.GeneratedOnlyAccuracy)];
            table.AddRow(labels ? [.. row, Percent(trial.LabelAccuracy!.Value)] : row);
        }
        string[] summary = ["mean ± std", result.RealOnly.Percent(), result.Augmented.Percent(), Points(result.Gain), result.GeneratedOnly.Percent()];
        table.AddRow(labels ? [.. summary, result.LabelAccuracy!.Value.Percent()] : summary);
        table.Caption("test accuracy on the 10,000 test images; the three classifiers of a seed start from the same weights");
        AnsiConsole.Write(table);
    }

    private static string MixNote(AugmentOptions options) => options.Mix is { } mix
        ? string.Create(CultureInfo.InvariantCulture, $" ({AugmentOptions.GeneratedPerBatch(mix, options.BatchSize)} of each batch of {options.BatchSize})")
        : "";

    private static string Percent(double fraction) => fraction.ToString("0.00%", CultureInfo.InvariantCulture);

    private static string Points(double difference) => (difference * 100).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);

    private static string Points(MeanStd gain) => gain.StandardDeviation is { } deviation
        ? string.Create(CultureInfo.InvariantCulture, $"{Points(gain.Mean)} ± {deviation * 100:0.00}")
        : Points(gain.Mean);
}
