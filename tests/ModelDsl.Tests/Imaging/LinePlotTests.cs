using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using SkiaSharp;
using Xunit;

namespace ModelDsl.Tests.Imaging;

public sealed class LinePlotTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void The_loss_plot_is_a_png_of_the_requested_size()
    {
        var iterations = Enumerable.Range(0, 500).Select(i => (double)i).ToArray();
        var discriminator = iterations.Select(i => 1.4 * Math.Exp(-i / 150) + 0.5 + 0.05 * Math.Sin(i)).ToArray();
        var generator = iterations.Select(i => 0.7 + 1.5 * (1 - Math.Exp(-i / 100)) + 0.1 * Math.Cos(i / 3)).ToArray();
        var path = Path.Combine(Environment.GetEnvironmentVariable("MODELDSL_KEEP_IMAGES") ?? _folder.Path, "losses.png");

        LinePlot.SaveLosses(path, (iterations, discriminator), (iterations, generator), width: 640, height: 360);

        using var codec = SKCodec.Create(path);
        Assert.Equal(SKEncodedImageFormat.Png, codec.EncodedFormat);
        Assert.Equal((640, 360), (codec.Info.Width, codec.Info.Height));
    }

    [Fact]
    public void A_generic_plot_takes_any_number_of_series()
    {
        var path = _folder.File("quality.png");
        PlotSeries[] series =
        [
            new("FID", [0, 1, 2, 3], [300, 120, 60, 40]),
            new("accuracy", [0, 1, 2, 3], [10, 50, 80, 90]),
            new("diversity", [0, 1, 2, 3], [5, 20, 30, 35]),
        ];

        LinePlot.Save(path, series, "Sample quality", "epoch", "score", width: 300, height: 200);

        using var codec = SKCodec.Create(path);
        Assert.Equal((300, 200), (codec.Info.Width, codec.Info.Height));
        Assert.Equal(["quality.png"], _folder.FileNames());
    }

    [Fact]
    public void Series_with_unequal_lengths_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            LinePlot.Save(_folder.File("bad.png"), [new PlotSeries("D", [1, 2], [1])], "t", "x", "y"));

        Assert.StartsWith("Series 'D' has 2 x values but 1 y values.", error.Message);
        Assert.Empty(_folder.FileNames());
    }
}
