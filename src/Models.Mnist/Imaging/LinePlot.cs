using ModelDsl.IO;
using ScottPlot;

namespace Models.Mnist.Imaging;

/// <summary>One named curve of a <see cref="LinePlot"/>.</summary>
/// <param name="Label">The legend text.</param>
/// <param name="X">The x values, as many as <paramref name="Y"/>.</param>
/// <param name="Y">The y values.</param>
/// <param name="OnRightAxis">Whether the curve is read against the right-hand y axis (for a quantity of another scale).</param>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool OnRightAxis = false);

/// <summary>Renders line charts to PNG files (through ScottPlot, headless).</summary>
public static class LinePlot
{
    /// <summary>Draws <paramref name="series"/> as lines with a legend and saves the chart as a PNG, atomically.</summary>
    /// <param name="rightYLabel">The right-hand axis's label, for series <see cref="PlotSeries.OnRightAxis"/>.</param>
    public static void Save(string path, IReadOnlyList<PlotSeries> series, string title, string xLabel, string yLabel,
        int width = 800, int height = 450, string? rightYLabel = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var plot = new Plot();
        foreach (var line in series)
        {
            if (line.X.Count != line.Y.Count)
            {
                throw new ArgumentException($"Series '{line.Label}' has {line.X.Count} x values but {line.Y.Count} y values.", nameof(series));
            }
            var scatter = plot.Add.ScatterLine(line.X.ToArray(), line.Y.ToArray());
            scatter.LegendText = line.Label;
            scatter.LineWidth = 1.5f;
            if (line.OnRightAxis)
            {
                scatter.Axes.YAxis = plot.Axes.Right;
            }
        }
        if (rightYLabel is not null)
        {
            plot.Axes.Right.Label.Text = rightYLabel;
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (series.Count > 1)
        {
            plot.ShowLegend(Alignment.UpperRight);
        }
        AtomicFile.WriteAllBytes(path, plot.GetImageBytes(width, height, ImageFormat.Png));
    }

    /// <summary>
    /// Saves the discriminator and generator losses of a GAN against the training iteration; each has its own iterations
    /// (the generator may learn on fewer of them, as under WGAN-GP's n_critic).
    /// </summary>
    public static void SaveLosses(string path, (IReadOnlyList<double> Iterations, IReadOnlyList<double> Losses) discriminator,
        (IReadOnlyList<double> Iterations, IReadOnlyList<double> Losses) generator, int width = 800, int height = 450) =>
        Save(path,
            [new PlotSeries("D loss", discriminator.Iterations, discriminator.Losses), new PlotSeries("G loss", generator.Iterations, generator.Losses)],
            "Training losses", "iteration", "loss", width, height);
}
