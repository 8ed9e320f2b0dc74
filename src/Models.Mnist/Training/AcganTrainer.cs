using System.Diagnostics;
using Models.Mnist.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// The AC-GAN recipe (reference-models.md §2, Keras' mnist_acgan): per step D learns from a real batch with its
/// digits and as many generated images of random digits, then G learns through D on twice as many latent points.
/// After each epoch both networks' losses are measured on the 10,000 test images and as many generated ones
/// (dropout off, no learning), the component table is printed and everything goes to history.jsonl (with the
/// evaluation suite's figures, class accuracy per digit included, when a classifier is given); the grid has one row
/// per digit. An epoch is ⌊N / batch⌋ steps over a permutation fixed by the seed and the epoch.
/// </summary>
internal sealed class AcganTrainer(
    GanOptions options,
    LabelledImages training,
    LabelledImages test,
    IProgressReporter reporter,
    AcganRecipe recipe = AcganRecipe.Keras,
    TrainingEvaluation? evaluation = null)
{
    public const int LatentSize = 100;
    public const int Classes = 10;
    private const int EvaluationChunk = 500;

    public RunFolder Folder { get; } = new(options.OutputFolder);

    public void Run(JsonObject runInfo)
    {
        using var session = new GanSession<AcganGenerator, AcganDiscriminator>(
            options, Folder, reporter, ModelKind.Acgan, [new("--recipe", "recipe", RecipeName(recipe)), .. options.OptimizerRecipe(ModelKind.Acgan.Recipe!.EarlierBeta1)],
            () => new AcganGenerator(), () => new AcganDiscriminator(), runInfo);
        var (device, generator, discriminator) = (session.Device, session.Generator, session.Discriminator);
        var step = session.StepsTaken;
        using var images = training.Images.to(device);
        using var labels = training.Labels.to(device);

        var (gridLatent, gridDigits) = GridInputs(options.Seed);
        using var _ = gridLatent;
        using var __ = gridDigits;
        var count = training.Count;
        var batch = (int)Math.Min(options.BatchSize, count);
        var steps = (int)(count / batch);
        var guard = new NonFiniteGuard(options.OnNonFinite);
        var trainingStep = new AcganStep(generator, discriminator, session.GeneratorOptimizer, session.DiscriminatorOptimizer, guard, device, LatentSize, Classes, recipe);

        for (var epoch = session.StartEpoch; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            var skippedBefore = guard.SkippedSteps;
            var permutation = TrainingRun.EpochPermutation(options.Seed, epoch, count);
            var results = new List<AcganStepResult>(steps);
            var stepLosses = new List<StepLoss>(steps);
            generator.train();
            discriminator.train();
            reporter.EpochStarted(epoch, options.Epochs, steps);
            for (var i = 0; i < steps; i++)
            {
                step++;
                using var indices = tensor(permutation.AsSpan(i * batch, batch).ToArray()).to(device);
                using var realImages = images.index_select(0, indices);
                using var realDigits = labels.index_select(0, indices);
                var result = trainingStep.Run(step, realImages, realDigits);
                results.Add(result);
                var stepLoss = new StepLoss(step, result.Discriminator.Total, result.Generator.Total);
                stepLosses.Add(stepLoss);
                reporter.StepDone(i + 1, stepLoss.Figures());
            }
            var trainingSeconds = clock.Elapsed.TotalSeconds;

            var testLosses = TestLosses(trainingStep, generator, discriminator, device, options.Seed, epoch);
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["d_loss"] = TrainingRun.FiniteMean(results.Select(r => r.Discriminator.Total)),
                ["g_loss"] = TrainingRun.FiniteMean(results.Select(r => r.Generator.Total)),
            };
            AddLosses(history, "d_train", FiniteMean(results.Select(r => r.Discriminator)));
            AddLosses(history, "g_train", FiniteMean(results.Select(r => r.Generator)));
            AddLosses(history, "d_test", testLosses.Discriminator);
            AddLosses(history, "g_test", testLosses.Generator);
            history["skipped_steps"] = guard.SkippedSteps - skippedBefore;
            history["steps"] = steps;
            history["seconds"] = Math.Round(trainingSeconds, 3);
            reporter.Message(ComponentTable(epoch, history));
            if (evaluation?.Due(epoch, options.Epochs) == true) evaluation.Acgan(generator, discriminator, history);
            history["evaluation_seconds"] = Math.Round(clock.Elapsed.TotalSeconds - trainingSeconds, 3);

            if (session.SamplesDue(epoch))
                session.SaveSamples(epoch, g => g.forward(gridLatent.to(device), gridDigits.to(device)), Classes, Classes, PixelRange.MinusOneToOne);
            session.EndEpoch(epoch, step, stepLosses, history);
        }
    }

    /// <summary>
    /// Keras' end-of-epoch evaluation: D on the test images plus as many generated ones, G through D on twice as
    /// many latent points; inference mode, drawn from a generator seeded by the run's seed and the epoch.
    /// </summary>
    private (AcganLosses Discriminator, AcganLosses Generator) TestLosses(
        AcganStep trainingStep, AcganGenerator generator, AcganDiscriminator discriminator, Device device, int seed, int epoch)
    {
        generator.eval();
        discriminator.eval();
        using var random = new torch.Generator((ulong)(seed * 7_919L + epoch));
        var discriminatorParts = new List<(AcganLosses Losses, long Count)>();
        var generatorParts = new List<(AcganLosses Losses, long Count)>();
        using (no_grad())
        {
            for (long start = 0; start < test.Count; start += EvaluationChunk)
            {
                var length = Math.Min(EvaluationChunk, test.Count - start);
                using var scope = NewDisposeScope();
                var evaluation = trainingStep.Evaluate(
                    test.Images.narrow(0, start, length).to(device),
                    test.Labels.narrow(0, start, length).to(device),
                    random);
                discriminatorParts.Add((evaluation.Discriminator, length));
                generatorParts.Add((evaluation.Generator, length));
            }
        }
        generator.train();
        discriminator.train();
        return (WeightedMean(discriminatorParts), WeightedMean(generatorParts));
    }

    /// <summary>100 latent points and the digits 0…9 ten times each, row by row: one grid row per digit, the same every epoch.</summary>
    private static (Tensor Latent, Tensor Digits) GridInputs(int seed)
    {
        using var random = new torch.Generator((ulong)seed + 7919);
        var latent = DrawLatent(Classes * Classes, random);
        var digits = arange(Classes, dtype: ScalarType.Int64).repeat_interleave(Classes);
        return (latent, digits);
    }

    /// <summary>Latent points from the generator's prior, Keras' uniform on [−1, 1]: <paramref name="count"/>×100, on the CPU.</summary>
    public static Tensor DrawLatent(long count, torch.Generator random) => rand([count, LatentSize], generator: random) * 2 - 1;

    /// <summary>The recipe as the command line spells it.</summary>
    public static string RecipeName(AcganRecipe recipe) => recipe.ToString().ToLowerInvariant();

    /// <summary>The mean of the steps with finite losses (skipped steps have none), or null when no step had.</summary>
    private static AcganLosses? FiniteMean(IEnumerable<AcganLosses> losses)
    {
        var finite = losses.Where(l => double.IsFinite(l.Total)).Select(l => (l, 1L)).ToList();
        return finite.Count == 0 ? null : WeightedMean(finite);
    }

    private static AcganLosses WeightedMean(IReadOnlyList<(AcganLosses Losses, long Count)> parts)
    {
        double total = parts.Sum(p => p.Count);
        return new AcganLosses(parts.Sum(p => p.Losses.Validity * p.Count) / total, parts.Sum(p => p.Losses.Class * p.Count) / total);
    }

    private static void AddLosses(JsonObject history, string prefix, AcganLosses? losses)
    {
        history[$"{prefix}_loss"] = losses?.Total;
        history[$"{prefix}_generation_loss"] = losses?.Validity;
        history[$"{prefix}_auxiliary_loss"] = losses?.Class;
    }

    /// <summary>Keras' mnist_acgan table: each network's loss and its two parts, on the training epoch and on the test set.</summary>
    private static string ComponentTable(int epoch, JsonObject history)
    {
        var lines = new List<string>
        {
            $"epoch {epoch}",
            $"{"component",-22} | {"loss",6} | {"generation_loss",15} | {"auxiliary_loss",14}",
            new string('-', 67),
        };
        foreach (var (label, prefix) in new[] { ("generator (train)", "g_train"), ("generator (test)", "g_test"), ("discriminator (train)", "d_train"), ("discriminator (test)", "d_test") })
        {
            double Value(string suffix) => history[$"{prefix}_{suffix}"]?.GetValue<double>() ?? double.NaN;
            lines.Add(FormattableString.Invariant($"{label,-22} | {Value("loss"),6:0.00} | {Value("generation_loss"),15:0.00} | {Value("auxiliary_loss"),14:0.00}"));
        }
        return string.Join("\n", lines);
    }
}
