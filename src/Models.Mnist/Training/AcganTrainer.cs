using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Trains a class-conditional GAN (<c>train gan --model acgan|acgan-small</c>) with the AC-GAN recipe
/// (reference-models.md §2, Keras' mnist_acgan): per step D learns from a real batch with its digits and as many
/// generated images of random digits, then G learns through D on twice as many latent points. After each epoch both
/// networks' losses are measured on the 10,000 test images and as many generated ones (dropout off, no learning), the
/// component table is printed and everything goes to history.jsonl (with the evaluation suite's figures, class accuracy
/// per digit included, when a classifier is given); the grid has one row per digit. An epoch is ⌊N / batch⌋ steps over
/// a permutation fixed by the seed and the epoch; the time budget and the evaluations between epochs are those of
/// <see cref="GanSession{TGenerator, TDiscriminator}.Train"/>, as for the GANs without conditions.
/// </summary>
/// <param name="kind">The model: its networks, their latent prior and what D's validity head gives.</param>
internal sealed class AcganTrainer(
    ModelKind kind,
    GanOptions options,
    LabelledImages training,
    LabelledImages test,
    IProgressReporter reporter,
    TrainingEvaluation? evaluation = null)
{
    private const int Classes = ConditionalNetworks.Classes;
    private const int EvaluationChunk = 500;

    private readonly ConditionalNetworks _networks = kind.Conditional
        ?? throw new ArgumentException($"'{kind}' is no class-conditional GAN", nameof(kind));

    public RunFolder Folder { get; } = new(options.OutputFolder);

    public void Run(JsonObject runInfo)
    {
        using var session = new GanSession<nn.Module<Tensor, Tensor, Tensor>, nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>>(
            options, Folder, reporter, kind, [.. options.AcganLossRecipe(), .. options.OptimizerRecipe(kind.Recipe!.EarlierBeta1)], _networks.NewGenerator, _networks.NewDiscriminator, runInfo);
        var (device, generator, discriminator) = (session.Device, session.Generator, session.Discriminator);
        using var images = training.Images.to(device);
        using var labels = training.Labels.to(device);

        var (gridLatent, gridDigits) = GridInputs(options.Seed);
        using var _ = gridLatent;
        using var __ = gridDigits;
        var count = training.Count;
        var batch = (int)Math.Min(options.BatchSize, count);
        var trainingStep = new AcganStep(generator, discriminator, session.GeneratorOptimizer, session.DiscriminatorOptimizer, session.Guard, device,
            ConditionalNetworks.LatentSize, Classes, options.AcganRecipe, _networks.Output, _networks.Prior, options.RealLabel, options.ClassWeight, options.GeneratorClassWeight,
            options.ModeSeekingWeight);
        long[] permutation = [];
        var results = new List<AcganStepResult>();
        session.Train(new GanEpochs<nn.Module<Tensor, Tensor, Tensor>>(
            StepsPerEpoch: (int)(count / batch),
            BeginEpoch: epoch =>
            {
                permutation = TrainingRun.EpochPermutation(options.Seed, epoch, count);
                results.Clear();
            },
            Step: (i, step) =>
            {
                using var indices = tensor(permutation.AsSpan(i * batch, batch).ToArray()).to(device);
                using var realImages = images.index_select(0, indices);
                using var realDigits = labels.index_select(0, indices);
                var result = trainingStep.Run(step, realImages, realDigits);
                results.Add(result);
                return new StepLoss(step, result.Discriminator.Total, result.Generator.Total);
            },
            AddFigures: (epoch, _, history) =>
            {
                var testLosses = TestLosses(trainingStep, generator, discriminator, device, options.Seed, epoch);
                AddLosses(history, "d_train", FiniteMean(results.Select(r => r.Discriminator)));
                AddLosses(history, "g_train", FiniteMean(results.Select(r => r.Generator)));
                AddLosses(history, "d_test", testLosses.Discriminator);
                AddLosses(history, "g_test", testLosses.Generator);
                reporter.Message(ComponentTable(epoch, history));
            },
            Evaluate: (suite, line) => suite.Conditional(session.SampledGenerator, AcganStep.ValidityHeadDecides(options.AcganRecipe) ? discriminator : null, _networks, line),
            SampleGrid: g => g.forward(gridLatent.to(device), gridDigits.to(device))), evaluation);
    }

    /// <summary>
    /// Keras' end-of-epoch evaluation: D on the test images plus as many generated ones, G through D on twice as
    /// many latent points; inference mode, drawn from a generator seeded by the run's seed and the epoch.
    /// </summary>
    private (AcganLosses Discriminator, AcganLosses Generator) TestLosses(
        AcganStep trainingStep, nn.Module generator, nn.Module discriminator, Device device, int seed, int epoch)
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
    private (Tensor Latent, Tensor Digits) GridInputs(int seed)
    {
        using var random = new torch.Generator((ulong)seed + 7919);
        var latent = _networks.DrawLatent(Classes * Classes, random);
        var digits = arange(Classes, dtype: ScalarType.Int64).repeat_interleave(Classes);
        return (latent, digits);
    }

    /// <summary>The recipe as the command line spells it.</summary>
    public static string RecipeName(AcganRecipe recipe) => recipe.ToString().ToLowerInvariant();

    /// <summary>Every recipe as the command line spells it.</summary>
    public static IReadOnlyList<string> RecipeNames { get; } = [.. Enum.GetValues<AcganRecipe>().Select(RecipeName)];

    /// <summary>The recipe the command line names (one of <see cref="RecipeNames"/>).</summary>
    public static AcganRecipe ParseRecipe(string name) => Enum.GetValues<AcganRecipe>().Single(r => RecipeName(r) == name);

    /// <summary>
    /// The recipe a checkpoint's metadata records, null where it records none (an unconditional GAN's); a name this app
    /// does not know is refused, naming the ones it does.
    /// </summary>
    public static AcganRecipe? RecordedRecipe(string checkpoint, JsonObject metadata) =>
        metadata["recipe"]?.GetValue<string>() is not { } name ? null
        : RecipeNames.Contains(name) ? ParseRecipe(name)
        : throw new CheckpointException(checkpoint, $"records the AC-GAN recipe '{name}', which this app does not know ({string.Join(", ", RecipeNames)})");

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
