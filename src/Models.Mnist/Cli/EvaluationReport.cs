using Models.Mnist.Data;
using Spectre.Console;

namespace Models.Mnist.Cli;

/// <summary>The readable form of a <see cref="GanEvaluation"/>: each figure beside the value real digits get.</summary>
internal static class EvaluationReport
{
    /// <param name="dataSet">The data set both were trained on, which names the classes.</param>
    /// <param name="generator">The generator checkpoint, as the first line names it.</param>
    /// <param name="classifier">The classifier checkpoint, as the second line names it.</param>
    public static void Write(GanEvaluation evaluation, DataSet dataSet, string generator, string classifier)
    {
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"generator:  [bold]{Markup.Escape(generator)}[/], {evaluation.Samples:#,0} samples, seed {evaluation.Seed}"));
        AnsiConsole.MarkupLine($"classifier: {Markup.Escape(classifier)}");

        var metrics = new Table().AddColumns("metric", "generated", "real digits");
        metrics.AddRow("FID-MNIST", Number(evaluation.Fid), string.Create(CultureInfo.InvariantCulture, $"{Number(evaluation.FidFloor)} ({evaluation.Samples:#,0} train vs test)"));
        var variety = evaluation.Variety;
        var judgedBy = evaluation.VarietyByRequestedDigit ? "requested" : "predicted";
        metrics.AddRow("intra-class FID", variety.FrechetMean is { } mean ? $"{Number(mean)} (mean over digits)" : "–",
            string.Create(CultureInfo.InvariantCulture, $"each digit by its {judgedBy} label, ≥ {variety.MinimumSamples} samples"));
        metrics.AddRow("spread ratio", variety.SpreadRatio is { } spread ? Number(spread) : "–", "1 (tr Σ of a digit's features, generated ÷ test)");
        metrics.AddRow("MNIST score", Score(evaluation.MnistScore), $"{Score(evaluation.RealMnistScore)} (test set)");
        if (evaluation.DiscriminatorAccuracyReal is { } real && evaluation.DiscriminatorAccuracyFake is { } fake)
            metrics.AddRow("D accuracy", $"{Percent(fake)} called fake", $"{Percent(real)} called real");
        if (evaluation.ClassAccuracy is { } accuracy)
            metrics.AddRow("class accuracy", $"{Percent(accuracy.Overall)} (worst {Percent(accuracy.Worst)})", "");
        metrics.Caption("lower FID-MNIST, higher MNIST score (≤ 10), a spread ratio near 1 are better");
        AnsiConsole.Write(metrics);

        var classes = new Table().AddColumns("predicted class", "samples", "share", "test-set share");
        if (evaluation.ClassAccuracy is not null) classes.AddColumn("recognised as asked");
        classes.AddColumn($"intra-class FID ({judgedBy})");
        for (var digit = 0; digit < evaluation.Classes.Counts.Count; digit++)
        {
            string[] row = [Markup.Escape(dataSet.ClassName(digit)), evaluation.Classes.Counts[digit].ToString("#,0", CultureInfo.InvariantCulture),
                Percent(evaluation.Classes.Shares[digit]), Percent(evaluation.RealClasses.Shares[digit])];
            if (evaluation.ClassAccuracy is { } perClass) row = [.. row, Percent(perClass.PerClass[digit])];
            classes.AddRow([.. row, variety.FrechetPerClass[digit] is { } distance ? Number(distance) : "–"]);
        }
        AnsiConsole.Write(classes);

        var verdict = evaluation.Classes.SuggestsModeCollapse
            ? "[yellow]some digit is far from an even share: the generator may have collapsed onto a few modes[/]"
            : "every digit within half to twice an even share";
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Shares {Percent(evaluation.Classes.MinShare)} to {Percent(evaluation.Classes.MaxShare)}, χ² against the test set's digit shares {evaluation.ClassChiSquare:0.0} ({evaluation.Classes.Counts.Count - 1} degrees of freedom): {verdict}."));
    }

    private static string Number(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Score(ModelDsl.Evaluation.InceptionScoreResult score) =>
        string.Create(CultureInfo.InvariantCulture, $"{score.Mean:0.00} ± {score.StandardDeviation:0.00}");

    private static string Percent(double fraction) => fraction.ToString("0.0%", CultureInfo.InvariantCulture);
}
