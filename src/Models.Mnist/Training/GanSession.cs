using ModelDsl;
using Models.Mnist.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Settings of a GAN run; the defaults are the DCGAN recipe's (Adam 2e-4, β1 0.5, batch 256, 100 epochs, binary
/// cross-entropy). <see cref="ForRecipe"/> gives another model's.
/// </summary>
internal sealed record GanOptions : RunOptions
{
    public GanOptions(string outputFolder) : base(outputFolder, epochs: 100, batchSize: 256) { }

    /// <summary>The defaults of <paramref name="recipe"/>: its epochs, batch, learning rate and β1.</summary>
    public static GanOptions ForRecipe(string outputFolder, GanRecipe recipe) => new(outputFolder)
    {
        Epochs = recipe.Epochs,
        BatchSize = recipe.BatchSize,
        GeneratorLearningRate = recipe.LearningRate,
        DiscriminatorLearningRate = recipe.LearningRate,
        Beta1 = recipe.Beta1,
    };

    /// <summary>Save a sample grid every N epochs (and after the last).</summary>
    public int SampleEvery { get; init; } = 1;

    /// <summary>G's Adam rate (<c>--lr-g</c>).</summary>
    public double GeneratorLearningRate { get; init; } = 2e-4;

    /// <summary>D's Adam rate (<c>--lr-d</c>); another than G's is the two-timescale rule (TTUR).</summary>
    public double DiscriminatorLearningRate { get; init; } = 2e-4;

    public double Beta1 { get; init; } = 0.5;

    public double Beta2 { get; init; } = 0.999;

    public GanLossKind Loss { get; init; } = GanLossKind.Bce;

    /// <summary>D's target for real images (<c>--label-smoothing</c>, one-sided); 1 without smoothing.</summary>
    public double RealLabel { get; init; } = 1;

    /// <summary>WGAN-GP's critic steps per generator step (<c>--n-critic</c>).</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>Ends the run at the first step boundary after this many minutes of training, counted over resumes (<c>--minutes</c>).</summary>
    public double? Minutes { get; init; }

    /// <summary>The loss settings that a resumed run must share with its checkpoint.</summary>
    /// <remarks>Checkpoints written before a setting existed were trained with its default, so they are read as having it.</remarks>
    public IEnumerable<RecipeSetting> LossRecipe() =>
    [
        new("--loss", "loss", GanLossNames.Of(Loss), GanLossNames.Of(GanLossKind.Bce)),
        new("--label-smoothing", "real_label", RealLabel, 1.0),
        new("--n-critic", "n_critic", CriticSteps, 1),
    ];

    /// <summary>
    /// The optimizers' settings, which a resumed run must share with its checkpoint (earlier checkpoints: the 2e-4 of both
    /// recipes then, and <paramref name="earlierBeta1"/>, the β1 the model's recipe had before <c>--beta1</c> existed).
    /// </summary>
    public IEnumerable<RecipeSetting> OptimizerRecipe(double earlierBeta1) =>
    [
        new("--lr-g", "lr_g", GeneratorLearningRate, 2e-4), new("--lr-d", "lr_d", DiscriminatorLearningRate, 2e-4),
        new("--beta1", "beta1", Beta1, earlierBeta1),
    ];
}

/// <summary>The losses as <c>--loss</c> spells them: bce, lsgan, wgan-gp.</summary>
internal static class GanLossNames
{
    public static string Of(GanLossKind kind) => kind switch
    {
        GanLossKind.WganGp => "wgan-gp",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static IReadOnlyList<string> All { get; } = [.. Enum.GetValues<GanLossKind>().Select(Of)];

    public static GanLossKind Parse(string name) => Enum.GetValues<GanLossKind>().Single(k => Of(k) == name);
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
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.GeneratorLearningRate, options.Beta1, options.Beta2);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.DiscriminatorLearningRate, options.Beta1, options.Beta2);
        _run = new TrainingRun(folder, reporter, kind, [.. options.SharedRecipe(), .. recipeSettings],
            new Dictionary<string, nn.Module> { ["generator"] = Generator, ["discriminator"] = Discriminator },
            new Dictionary<string, OptimizerHelper> { ["generator"] = GeneratorOptimizer, ["discriminator"] = DiscriminatorOptimizer },
            EpochReport.GanLine, DrawPlots);

        try
        {
            Start = _run.Start(options.Resume, runInfo, Device);
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

    /// <summary>Where the run starts: epoch 1, or after the checkpoint resumed from.</summary>
    public ResumePoint Start { get; }

    /// <summary>The first epoch to train: 1, or the one after the checkpoint resumed from (the same when it ended early).</summary>
    public int StartEpoch => Start.StartEpoch;

    /// <summary>The steps the resumed checkpoint had taken (0 for a new run).</summary>
    public long StepsTaken => Start.Step;

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
    /// <param name="trainingSeconds">Seconds of training so far, resumed runs' included (what <c>--minutes</c> counts).</param>
    /// <param name="partialSteps">The steps trained of an epoch that the time budget ended early, else null.</param>
    public void EndEpoch(int epoch, long step, IReadOnlyList<StepLoss> stepLosses, JsonObject history, double? trainingSeconds = null, int? partialSteps = null)
    {
        _run.Folder.AppendStepLosses(stepLosses);
        var facts = new JsonObject();
        if (trainingSeconds is { } seconds) facts[TrainingRun.TrainingSecondsKey] = Math.Round(seconds, 3);
        if (partialSteps is { } steps) facts[TrainingRun.PartialEpochKey] = steps;
        _run.EndEpoch(epoch, step, history, _options.KeepCheckpoints, facts);
    }

    /// <summary>Adds a history line of its own (an evaluation between epochs) and redraws quality.png.</summary>
    public void AppendHistory(JsonObject line)
    {
        _run.Folder.AppendHistory(line);
        QualityPlot.Save(_run.Folder.QualityPlotPath, _run.Folder.ReadHistory());
    }

    /// <summary>losses.png from every step so far, and quality.png from the evaluations in the history.</summary>
    private static void DrawPlots(RunFolder folder)
    {
        // Steps the non-finite guard skipped have no loss to draw, nor WGAN-GP's critic steps a generator loss.
        var losses = folder.ReadStepLosses();
        (IReadOnlyList<double>, IReadOnlyList<double>) Finite(Func<StepLoss, double> loss)
        {
            var drawn = losses.Where(l => double.IsFinite(loss(l))).ToList();
            return (drawn.Select(l => (double)l.Step).ToList(), drawn.Select(loss).ToList());
        }
        LinePlot.SaveLosses(folder.LossPlotPath, Finite(l => l.DiscriminatorLoss), Finite(l => l.GeneratorLoss));
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
