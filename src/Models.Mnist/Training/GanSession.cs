using ModelDsl;
using Models.Mnist.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>Settings of a GAN run (DCGAN or AC-GAN); the defaults are the DCGAN recipe's (Adam 2e-4, β1 0.5, batch 256, 100 epochs).</summary>
internal sealed record GanOptions : RunOptions
{
    public GanOptions(string outputFolder) : base(outputFolder, epochs: 100, batchSize: 256) { }

    /// <summary>Save a sample grid every N epochs (and after the last).</summary>
    public int SampleEvery { get; init; } = 1;

    public double LearningRate { get; init; } = 2e-4;

    public double Beta1 { get; init; } = 0.5;
}

/// <summary>
/// What every GAN trainer sets up alike before its first step: the two networks with their Adams (the recipe's rate
/// and β1), the run's checkpointing, resumed from the newest checkpoint when asked, and run.json; and what it does
/// alike at the end of an epoch: the step losses with their plot, the quality plot, and the sample grid with its animation.
/// </summary>
internal sealed class GanSession<TGenerator, TDiscriminator> : IDisposable
    where TGenerator : nn.Module
    where TDiscriminator : nn.Module
{
    private static readonly TimeSpan AnimationFrameDelay = TimeSpan.FromMilliseconds(400);

    private readonly GanOptions _options;
    private readonly TrainingRun _run;

    public GanSession(
        GanOptions options,
        RunFolder folder,
        IProgressReporter reporter,
        ModelKind kind,
        IReadOnlyList<RecipeSetting> recipeSettings,
        Func<TGenerator> newGenerator,
        Func<TDiscriminator> newDiscriminator,
        JsonObject runInfo)
    {
        _options = options;
        Device = DeviceChoice.Select(options.Device);
        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        Generator = newGenerator().to(Device);
        Discriminator = newDiscriminator().to(Device);
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.LearningRate, options.Beta1, 0.999);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.LearningRate, options.Beta1, 0.999);
        _run = new TrainingRun(folder, reporter, kind, [.. options.SharedRecipe(), .. recipeSettings],
            new Dictionary<string, nn.Module> { ["generator"] = Generator, ["discriminator"] = Discriminator },
            new Dictionary<string, OptimizerHelper> { ["generator"] = GeneratorOptimizer, ["discriminator"] = DiscriminatorOptimizer },
            EpochReport.GanLine, DrawPlots);

        try
        {
            (StartEpoch, StepsTaken) = _run.Start(options.Resume, runInfo, Device);
        }
        catch
        {
            // A refused checkpoint ends the session before its caller holds it: free the native memory here.
            Dispose();
            throw;
        }
    }

    public Device Device { get; }
    public TGenerator Generator { get; }
    public TDiscriminator Discriminator { get; }
    public Adam GeneratorOptimizer { get; }
    public Adam DiscriminatorOptimizer { get; }

    /// <summary>The first epoch to train: 1, or the one after the checkpoint resumed from.</summary>
    public int StartEpoch { get; }

    /// <summary>The steps the resumed checkpoint had taken (0 for a new run).</summary>
    public long StepsTaken { get; }

    /// <summary>Whether <paramref name="epoch"/> saves a sample grid.</summary>
    public bool SamplesDue(int epoch) => epoch % _options.SampleEvery == 0 || epoch == _options.Epochs;

    /// <summary>Saves the generator's images of <paramref name="generate"/> (in inference mode) as the epoch's grid and rebuilds the animation of all grids so far.</summary>
    public void SaveSamples(int epoch, Func<TGenerator, Tensor> generate, int rows, int columns, PixelRange range)
    {
        var folder = _run.Folder;
        Generator.eval();
        using (no_grad())
        using (var images = generate(Generator))
            TensorImages.SaveGrid(images, folder.SamplePath(epoch), rows, columns, range);
        Generator.train();
        var frames = Directory.EnumerateFiles(folder.SamplesFolder, "epoch-*.png").Order(StringComparer.Ordinal);
        AnimatedGif.SaveFromPngs(folder.ProgressAnimationPath, frames, AnimationFrameDelay);
    }

    /// <summary>Logs the epoch's step losses, then ends it as every run does (<see cref="TrainingRun.EndEpoch"/>).</summary>
    public void EndEpoch(int epoch, long step, IReadOnlyList<StepLoss> stepLosses, JsonObject history)
    {
        _run.Folder.AppendStepLosses(stepLosses);
        _run.EndEpoch(epoch, step, history, _options.KeepCheckpoints);
    }

    /// <summary>losses.png from every step so far, and quality.png from the evaluations in the history.</summary>
    private static void DrawPlots(RunFolder folder)
    {
        // Steps the non-finite guard skipped have no loss to draw.
        var losses = folder.ReadStepLosses().Where(l => double.IsFinite(l.DiscriminatorLoss) && double.IsFinite(l.GeneratorLoss)).ToList();
        LinePlot.SaveLosses(folder.LossPlotPath,
            losses.Select(l => (double)l.Step).ToList(),
            losses.Select(l => l.DiscriminatorLoss).ToList(),
            losses.Select(l => l.GeneratorLoss).ToList());
        QualityPlot.Save(folder.QualityPlotPath, folder.ReadHistory());
    }

    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
    }
}
