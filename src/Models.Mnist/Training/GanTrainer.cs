using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Trains a GAN without conditions (<c>train gan --model dcgan|dcgan-bn|mlp</c>) with <see cref="DcganStep"/>: per
/// step, D learns from half a batch of real images and half a batch of generated ones, then (every step, or every
/// n-th for WGAN-GP) G learns through D on a full batch of latent points; the loss is the one the options name. An
/// epoch is ⌊N / batch⌋ steps, each drawing its real half-batch without replacement from a permutation that depends
/// only on the seed and the epoch, so a resumed run sees the same data as an uninterrupted one. With a time budget
/// (<see cref="GanOptions.Minutes"/>) the run ends at the first step boundary after it, ending the epoch there: the
/// checkpoint records how far the epoch got, and a resumed run trains the rest of it.
/// </summary>
/// <param name="kind">The model: its networks, and the pixel range of its images.</param>
/// <param name="trainingImages">The training images, in the model's pixel range.</param>
/// <param name="evaluation">The evaluation suite to run every few epochs (or steps), or null.</param>
internal sealed class GanTrainer(ModelKind kind, GanOptions options, Tensor trainingImages, IProgressReporter reporter, TrainingEvaluation? evaluation = null)
{
    private const int GridSide = 10;

    private readonly UnconditionalNetworks _networks = kind.Unconditional
        ?? throw new ArgumentException($"'{kind}' is no GAN without conditions", nameof(kind));

    public RunFolder Folder { get; } = new(options.OutputFolder);

    /// <summary>The loss the options ask for, for this model's discriminator.</summary>
    public GanLoss Loss => GanLoss.Create(options.Loss, _networks.Output, options.RealLabel, options.CriticSteps);

    public void Run(JsonObject runInfo)
    {
        using var session = new GanSession<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>>(
            options, Folder, reporter, kind, [.. options.LossRecipe(), .. options.OptimizerRecipe(options.Loss == GanLossKind.WganGp ? 0 : kind.Recipe!.EarlierBeta1)], _networks.NewGenerator, _networks.NewDiscriminator, runInfo);
        var (device, generator, discriminator) = (session.Device, session.Generator, session.Discriminator);
        var step = session.StepsTaken;
        using var images = trainingImages.to(device);

        using var fixedLatent = FixedLatentBatch(options.Seed).to(device);
        var half = Math.Max(1, options.BatchSize / 2);
        var count = trainingImages.shape[0];
        var steps = (int)Math.Max(1, count / options.BatchSize);
        var guard = new NonFiniteGuard(options.OnNonFinite);
        var trainingStep = new DcganStep(generator, discriminator, session.GeneratorOptimizer, session.DiscriminatorOptimizer, guard, device,
            UnconditionalNetworks.LatentSize, Loss);
        var budget = new TimeBudget(options.Minutes, session.Start.TrainingSeconds);
        if (budget.Spent)
            reporter.Message(string.Create(CultureInfo.InvariantCulture,
                $"--minutes {options.Minutes}: the checkpoint has trained {budget.Seconds / 60:0.0} min already; nothing to do (a larger --minutes continues it)."));

        for (var epoch = session.StartEpoch; epoch <= options.Epochs && !budget.Spent; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var skippedBefore = guard.SkippedSteps;
            var permutation = TrainingRun.EpochPermutation(options.Seed, epoch, count);
            var firstStep = epoch == session.StartEpoch ? session.Start.StepsDoneInEpoch : 0;
            var stepLosses = new List<StepLoss>(steps);
            double accuracyReal = 0, accuracyFake = 0;
            double evaluationSeconds = 0;
            generator.train();
            discriminator.train();
            reporter.EpochStarted(epoch, options.Epochs, steps - firstStep);
            var i = firstStep;
            while (i < steps && !budget.Spent)
            {
                step++;
                using (budget.Measure())
                {
                    using var indices = tensor(permutation.AsSpan(i * half, (int)Math.Min(half, count)).ToArray());
                    using var real = images.index_select(0, indices.to(device));
                    var result = trainingStep.Run(step, real);
                    accuracyReal += result.AccuracyReal;
                    accuracyFake += result.AccuracyFake;
                    var stepLoss = new StepLoss(step, result.DiscriminatorLoss, result.GeneratorLoss);
                    stepLosses.Add(stepLoss);
                    reporter.StepDone(i - firstStep + 1, stepLoss.Figures());
                }
                i++;
                if (evaluation?.DueAtStep(step) == true && i < steps)
                    evaluationSeconds += Evaluate(new JsonObject { ["epoch"] = epoch, ["step"] = step, ["training_seconds"] = Math.Round(budget.Seconds, 3) }, generator, discriminator, session.AppendHistory);
            }

            var trained = i - firstStep;
            var endsEarly = i < steps;
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["d_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.DiscriminatorLoss)),
                ["g_loss"] = TrainingRun.FiniteMean(stepLosses.Select(l => l.GeneratorLoss)),
                ["d_acc_real"] = accuracyReal / Math.Max(1, trained),
                ["d_acc_fake"] = accuracyFake / Math.Max(1, trained),
                ["skipped_steps"] = guard.SkippedSteps - skippedBefore,
                ["steps"] = trained,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds - evaluationSeconds, 3),
                ["training_seconds"] = Math.Round(budget.Seconds, 3),
            };
            if (endsEarly) history["partial_epoch"] = true;
            // The run's last line is judged whatever the epoch, so a run the budget ended has its figures too.
            if (evaluation is not null && (evaluation.Due(epoch, options.Epochs) || evaluation.DueAtStep(step) || budget.Spent))
                Evaluate(history, generator, discriminator, _ => { });
            if (session.SamplesDue(epoch) || budget.Spent)
                session.SaveSamples(epoch, g => g.forward(fixedLatent), GridSide, GridSide, kind.Pixels);
            session.EndEpoch(epoch, step, stepLosses, history, budget.Seconds, endsEarly ? i : null);
            if (budget.Spent)
                reporter.Message(string.Create(CultureInfo.InvariantCulture,
                    $"--minutes {options.Minutes}: stopped after step {step} ({budget.Seconds / 60:0.0} min of training), in epoch {epoch}; checkpoint, samples{(evaluation is null ? "" : " and evaluation")} written."));
        }
    }

    /// <summary>Judges the generator into <paramref name="line"/>, hands the line on, and returns the seconds it took.</summary>
    private double Evaluate(JsonObject line, nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, Action<JsonObject> keep)
    {
        var clock = Stopwatch.StartNew();
        evaluation!.Unconditional(generator, discriminator, kind, line);
        line["evaluation_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3);
        keep(line);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The same 100 latent points every epoch, so sample grids are comparable across epochs (and runs with one seed).</summary>
    private static Tensor FixedLatentBatch(int seed)
    {
        using var random = new torch.Generator((ulong)seed + 7919);
        return randn([GridSide * GridSide, UnconditionalNetworks.LatentSize], generator: random);
    }
}
