using System.Diagnostics;
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

    /// <summary>The defaults of <paramref name="recipe"/>: its epochs, batch, learning rate, β1, weight average and AC-GAN recipe.</summary>
    public static GanOptions ForRecipe(string outputFolder, GanRecipe recipe) => new(outputFolder)
    {
        Epochs = recipe.Epochs,
        BatchSize = recipe.BatchSize,
        GeneratorLearningRate = recipe.LearningRate,
        DiscriminatorLearningRate = recipe.LearningRate,
        Beta1 = recipe.Beta1,
        GeneratorAverage = recipe.GeneratorAverage,
        AcganRecipe = recipe.AcganRecipe,
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

    /// <summary>D's target for real images (<c>--label-smoothing</c>, one-sided); null: the recipe's (1, or the AC-GAN recipe's).</summary>
    public double? RealLabel { get; init; }

    /// <summary>The AC-GANs' recipe of D's targets (<c>--recipe</c>).</summary>
    public AcganRecipe AcganRecipe { get; init; } = AcganRecipe.Keras;

    /// <summary>The AC-GANs' weight of the class part in both networks' losses (<c>--class-weight</c>); null: the recipe's.</summary>
    public double? ClassWeight { get; init; }

    /// <summary>The AC-GANs' weight of the class part in G's loss alone (<c>--class-weight-g</c>); null: the class part's weight in both.</summary>
    public double? GeneratorClassWeight { get; init; }

    /// <summary>The AC-GANs' weight of the mode-seeking term in G's loss (<c>--mode-seeking</c>); 0: none.</summary>
    public double ModeSeekingWeight { get; init; }

    /// <summary>WGAN-GP's critic steps per generator step (<c>--n-critic</c>).</summary>
    public int CriticSteps { get; init; } = 1;

    /// <summary>Ends the run at the first step boundary after this many minutes of training, counted over resumes (<c>--minutes</c>).</summary>
    public double? Minutes { get; init; }

    /// <summary>
    /// The share of the run after which both learning rates fall linearly to 0 at its end (<c>--lr-decay-from</c>): of
    /// <see cref="Minutes"/> when the run has a time budget, else of all epochs' steps; 1: constant rates.
    /// </summary>
    public double LearningRateDecayFrom { get; init; } = 1;

    /// <summary>What both learning rates are multiplied by when <paramref name="progress"/> of the run (0 to 1) is done.</summary>
    public double LearningRateFactor(double progress) =>
        progress <= LearningRateDecayFrom ? 1 : Math.Max(0, (1 - progress) / (1 - LearningRateDecayFrom));

    /// <summary>The decay of the generator's weight average that samples and evaluations read (<c>--ema</c>); 0: none, the live weights.</summary>
    public double GeneratorAverage { get; init; }

    /// <summary>The settings of the generator's average, which a resumed run must share with its checkpoint (before it existed: none).</summary>
    public IEnumerable<RecipeSetting> AverageRecipe() => [new("--ema", "ema", GeneratorAverage, 0.0)];

    /// <summary>The loss settings that a resumed run must share with its checkpoint.</summary>
    /// <remarks>Checkpoints written before a setting existed were trained with its default, so they are read as having it.</remarks>
    public IEnumerable<RecipeSetting> LossRecipe() =>
    [
        new("--loss", "loss", GanLossNames.Of(Loss), GanLossNames.Of(GanLossKind.Bce)),
        new("--label-smoothing", "real_label", RealLabel ?? 1, 1.0),
        new("--n-critic", "n_critic", CriticSteps, 1),
    ];

    /// <summary>
    /// The AC-GANs' settings that a resumed run must share with its checkpoint: the recipe, D's real label (checkpoints
    /// from before it was recorded had the recipe's), the class weight (before it existed: 1, the only recipes' then), G's
    /// (before it existed: the class weight) and the mode-seeking weight (before it existed: none).
    /// </summary>
    public IEnumerable<RecipeSetting> AcganLossRecipe()
    {
        var classWeight = ClassWeight ?? AcganStep.ClassWeightOf(AcganRecipe);
        return
        [
            new("--recipe", "recipe", AcganTrainer.RecipeName(AcganRecipe)),
            new("--label-smoothing", "real_label", RealLabel ?? AcganStep.RealLabelOf(AcganRecipe), AcganStep.RealLabelOf(AcganRecipe)),
            new("--class-weight", "class_weight", classWeight, 1.0),
            new("--class-weight-g", "class_weight_g", GeneratorClassWeight ?? classWeight, classWeight),
            new("--mode-seeking", "mode_seeking", ModeSeekingWeight, 0.0),
        ];
    }

    /// <summary>
    /// The optimizers' settings, which a resumed run must share with its checkpoint (earlier checkpoints: the 2e-4 of both
    /// recipes then, and <paramref name="earlierBeta1"/>, the β1 the model's recipe had before <c>--beta1</c> existed).
    /// </summary>
    public IEnumerable<RecipeSetting> OptimizerRecipe(double earlierBeta1) =>
    [
        new("--lr-g", "lr_g", GeneratorLearningRate, 2e-4), new("--lr-d", "lr_d", DiscriminatorLearningRate, 2e-4),
        new("--beta1", "beta1", Beta1, earlierBeta1),
        new("--lr-decay-from", "lr_decay_from", LearningRateDecayFrom, 1.0),
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

    private const int GridSide = 10;

    private readonly GanOptions _options;
    private readonly IProgressReporter _reporter;
    private readonly ModelKind _kind;
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
        _reporter = reporter;
        _kind = kind;
        Guard = new NonFiniteGuard(options.OnNonFinite);
        Device = DeviceChoice.Select(options.Device);
        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        Generator = newGenerator().to(Device);
        Discriminator = newDiscriminator().to(Device);
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.GeneratorLearningRate, options.Beta1, options.Beta2);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.DiscriminatorLearningRate, options.Beta1, options.Beta2);
        var modules = new Dictionary<string, nn.Module> { ["generator"] = Generator, ["discriminator"] = Discriminator };
        if (options.GeneratorAverage > 0)
            modules[WeightAverage.CheckpointName] = AveragedGenerator = WeightAverage.Copy(Generator, () => newGenerator().to(Device));
        _run = new TrainingRun(folder, reporter, kind, [.. options.SharedRecipe(), .. recipeSettings, .. options.AverageRecipe()],
            modules,
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

    /// <summary>The average of the generator's weights (<c>--ema</c>), or null when the run keeps none.</summary>
    public TGenerator? AveragedGenerator { get; }

    /// <summary>The generator that samples and evaluations read: the average when the run keeps one, else the live one.</summary>
    public TGenerator SampledGenerator => AveragedGenerator ?? Generator;
    public TDiscriminator Discriminator { get; }
    public Adam GeneratorOptimizer { get; }
    public Adam DiscriminatorOptimizer { get; }

    /// <summary>The non-finite guard of every step (<c>--skip-non-finite</c>), which counts the steps it skipped.</summary>
    public NonFiniteGuard Guard { get; }

    /// <summary>Where the run starts: epoch 1, or after the checkpoint resumed from.</summary>
    public ResumePoint Start { get; }

    /// <summary>The first epoch to train: 1, or the one after the checkpoint resumed from (the same when it ended early).</summary>
    public int StartEpoch => Start.StartEpoch;

    /// <summary>The steps the resumed checkpoint had taken (0 for a new run).</summary>
    public long StepsTaken => Start.Step;

    /// <summary>
    /// Trains epoch after epoch until the options' last, or until the time budget (<c>--minutes</c>) is spent: then the
    /// epoch ends at that step boundary, with a history line of its own (<c>partial_epoch</c>), and its checkpoint records
    /// how far it got, so that a resumed run trains the rest of it. Each epoch ends with its history line (the losses, the
    /// trainer's figures and, when due, the evaluation suite's), the sample grid and the checkpoint; with
    /// <c>--eval-every-steps</c> evaluations between epochs get lines of their own.
    /// </summary>
    public void Train(GanEpochs<TGenerator> epochs, TrainingEvaluation? evaluation)
    {
        var budget = new TimeBudget(_options.Minutes, Start.TrainingSeconds);
        if (budget.Spent)
            _reporter.Message(string.Create(CultureInfo.InvariantCulture,
                $"--minutes {_options.Minutes}: the checkpoint has trained {budget.Seconds / 60:0.0} min already; nothing to do (a larger --minutes continues it)."));
        var step = StepsTaken;
        var steps = epochs.StepsPerEpoch;
        for (var epoch = StartEpoch; epoch <= _options.Epochs && !budget.Spent; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var skippedBefore = Guard.SkippedSteps;
            var firstStep = epoch == StartEpoch ? Start.StepsDoneInEpoch : 0;
            var stepLosses = new List<StepLoss>(steps);
            double evaluationSeconds = 0;
            Generator.train();
            Discriminator.train();
            epochs.BeginEpoch(epoch);
            _reporter.EpochStarted(epoch, _options.Epochs, steps - firstStep);
            var i = firstStep;
            var rateFactor = 1.0;
            while (i < steps && !budget.Spent)
            {
                step++;
                rateFactor = SetLearningRates(budget.Share ?? (step - 1.0) / ((long)_options.Epochs * steps));
                using (budget.Measure())
                {
                    var stepLoss = epochs.Step(i, step);
                    // G learned on this step (not a critic step, nor one the guard skipped): the average follows it.
                    if (AveragedGenerator is not null && double.IsFinite(stepLoss.GeneratorLoss))
                        WeightAverage.Update(AveragedGenerator, Generator, _options.GeneratorAverage, step);
                    stepLosses.Add(stepLoss);
                    _reporter.StepDone(i - firstStep + 1, stepLoss.Figures());
                }
                i++;
                if (evaluation?.DueAtStep(step) == true && i < steps)
                    evaluationSeconds += Evaluate(epochs, evaluation, new JsonObject { ["epoch"] = epoch, ["step"] = step, [TrainingRun.TrainingSecondsKey] = Math.Round(budget.Seconds, 3) }, AppendHistory);
            }

            var trained = i - firstStep;
            var endsEarly = i < steps;
            var seconds = clock.Elapsed.TotalSeconds - evaluationSeconds;
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["d_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.DiscriminatorLoss)),
                ["g_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.GeneratorLoss)),
            };
            epochs.AddFigures(epoch, trained, history);
            history["skipped_steps"] = Guard.SkippedSteps - skippedBefore;
            history["steps"] = trained;
            history["seconds"] = Math.Round(seconds, 3);
            history[TrainingRun.TrainingSecondsKey] = Math.Round(budget.Seconds, 3);
            if (_options.LearningRateDecayFrom < 1) history["lr_factor"] = Math.Round(rateFactor, 6);
            if (endsEarly) history["partial_epoch"] = true;
            // The run's last line is judged whatever the epoch, so a run the budget ended has its figures too.
            if (evaluation is not null && (evaluation.Due(epoch, _options.Epochs) || evaluation.DueAtStep(step) || budget.Spent))
                Evaluate(epochs, evaluation, history, _ => { });
            if (SamplesDue(epoch) || budget.Spent)
                SaveSamples(epoch, epochs.SampleGrid);
            EndEpoch(epoch, step, stepLosses, history, budget.Seconds, endsEarly ? i : null);
            if (budget.Spent)
                _reporter.Message(string.Create(CultureInfo.InvariantCulture,
                    $"--minutes {_options.Minutes}: stopped after step {step} ({budget.Seconds / 60:0.0} min of training), in epoch {epoch}; checkpoint, samples{(evaluation is null ? "" : " and evaluation")} written."));
        }
    }

    /// <summary>Sets both optimizers' rates for a step at <paramref name="progress"/> of the run (<c>--lr-decay-from</c>) and returns their factor.</summary>
    private double SetLearningRates(double progress)
    {
        var factor = _options.LearningRateFactor(progress);
        foreach (var group in GeneratorOptimizer.ParamGroups) group.LearningRate = factor * _options.GeneratorLearningRate;
        foreach (var group in DiscriminatorOptimizer.ParamGroups) group.LearningRate = factor * _options.DiscriminatorLearningRate;
        return factor;
    }

    /// <summary>Judges the generator into <paramref name="line"/>, hands the line on, and returns the seconds it took.</summary>
    private static double Evaluate(GanEpochs<TGenerator> epochs, TrainingEvaluation evaluation, JsonObject line, Action<JsonObject> keep)
    {
        var clock = Stopwatch.StartNew();
        epochs.Evaluate(evaluation, line);
        line["evaluation_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        keep(line);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Whether <paramref name="epoch"/> saves a sample grid.</summary>
    private bool SamplesDue(int epoch) => epoch % _options.SampleEvery == 0 || epoch == _options.Epochs;

    /// <summary>Saves the sampled generator's 100 images of <paramref name="generate"/> (in inference mode) as the epoch's 10×10 grid and rebuilds the animation of all grids so far.</summary>
    private void SaveSamples(int epoch, Func<TGenerator, Tensor> generate)
    {
        var folder = _run.Folder;
        SampledGenerator.eval();
        using (no_grad())
        using (var images = generate(SampledGenerator))
            TensorImages.SaveGrid(images, folder.SamplePath(epoch), GridSide, GridSide, _kind.Pixels);
        Generator.train();
        var frames = Directory.EnumerateFiles(folder.SamplesFolder, "epoch-*.png").Order(StringComparer.Ordinal);
        AnimatedGif.SaveFromPngs(folder.ProgressAnimationPath, frames, AnimationFrameDelay);
    }

    /// <summary>Logs the epoch's step losses, then ends it as every run does (<see cref="TrainingRun.EndEpoch"/>).</summary>
    /// <param name="trainingSeconds">Seconds of training so far, resumed runs' included (what <c>--minutes</c> counts).</param>
    /// <param name="partialSteps">The steps trained of an epoch that the time budget ended early, else null.</param>
    private void EndEpoch(int epoch, long step, IReadOnlyList<StepLoss> stepLosses, JsonObject history, double trainingSeconds, int? partialSteps)
    {
        _run.Folder.AppendStepLosses(stepLosses);
        var facts = new JsonObject { [TrainingRun.TrainingSecondsKey] = Math.Round(trainingSeconds, 3) };
        if (partialSteps is { } steps) facts[TrainingRun.PartialEpochKey] = steps;
        _run.EndEpoch(epoch, step, history, _options.KeepCheckpoints, facts);
    }

    /// <summary>Adds a history line of its own (an evaluation between epochs) and redraws quality.png.</summary>
    private void AppendHistory(JsonObject line)
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
        AveragedGenerator?.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
    }
}

/// <summary>
/// What a trainer does in the epochs <see cref="GanSession{TGenerator, TDiscriminator}.Train"/> runs: its steps, its own
/// figures of an epoch, how the evaluation suite judges its networks, and its sample grid (10×10).
/// </summary>
/// <param name="StepsPerEpoch">Steps in a whole epoch.</param>
/// <param name="BeginEpoch">Called with the epoch's number before its first step (e.g. to draw its permutation).</param>
/// <param name="Step">Trains step index i of the epoch (0-based), the run's step number given; returns its losses.</param>
/// <param name="AddFigures">Adds the trainer's figures of the epoch (its number, the steps trained) to its history line.</param>
/// <param name="Evaluate">Judges the networks as they are now into a history line.</param>
/// <param name="SampleGrid">The grid's 100 images from the generator (run in inference mode).</param>
internal sealed record GanEpochs<TGenerator>(
    int StepsPerEpoch,
    Action<int> BeginEpoch,
    Func<int, long, StepLoss> Step,
    Action<int, int, JsonObject> AddFigures,
    Action<TrainingEvaluation, JsonObject> Evaluate,
    Func<TGenerator, Tensor> SampleGrid);
