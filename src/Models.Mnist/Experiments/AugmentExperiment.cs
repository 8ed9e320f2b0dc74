using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Experiments;

/// <summary>Settings of <c>experiment augment</c>; the seeds are <see cref="FirstSeed"/>, FirstSeed + 1, ….</summary>
/// <param name="Real">Real training images per trial (a fresh random subset per seed, the digits in equal shares).</param>
/// <param name="Synthetic">Generated images added to them, the digits in equal shares.</param>
/// <param name="Steps">Optimizer steps per classifier: the same for every arm, so they get the same compute.</param>
/// <param name="Mix">
/// The share of generated images in each batch of the augmented arm (rounded to whole images); null: batches drawn from
/// the real and generated images shuffled together, so the share is M / (N + M).
/// </param>
internal sealed record AugmentOptions(
    int Real = 1000,
    int Synthetic = 10_000,
    int Seeds = 3,
    int FirstSeed = 1,
    int Steps = 600,
    int BatchSize = 128,
    double LearningRate = 1e-3,
    double? Mix = null)
{
    /// <summary>Generated images per batch of <paramref name="batchSize"/> in the augmented arm under a <see cref="Mix"/> of <paramref name="mix"/>.</summary>
    public static int GeneratedPerBatch(double mix, int batchSize) => (int)Math.Round(mix * batchSize, MidpointRounding.AwayFromZero);
}

/// <summary>One seed's paired result: the three classifiers start from the same weights; two see the same real images, two the same generated ones.</summary>
/// <param name="GeneratedOnlyAccuracy">Trained on the generated images alone, tested on real ones: the GAN-train score of Shmelkov et al. (2018).</param>
/// <param name="LabelAccuracy">How many generated images the judge classifier recognises as the digit they were asked for, when one was given.</param>
internal sealed record AugmentTrial(int Seed, double RealOnlyAccuracy, double AugmentedAccuracy, double GeneratedOnlyAccuracy, double? LabelAccuracy)
{
    public double Gain => AugmentedAccuracy - RealOnlyAccuracy;
}

/// <summary>A mean and the sample standard deviation (null for one value).</summary>
internal readonly record struct MeanStd(double Mean, double? StandardDeviation)
{
    public static MeanStd Of(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        double? deviation = values.Count < 2 ? null : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
        return new MeanStd(mean, deviation);
    }

    public string Percent() => StandardDeviation is { } deviation
        ? string.Create(CultureInfo.InvariantCulture, $"{Mean:0.00%} ± {deviation * 100:0.00}")
        : Mean.ToString("0.00%", CultureInfo.InvariantCulture);

    public JsonObject ToJson() => new() { ["mean"] = Mean, ["std"] = StandardDeviation };
}

internal sealed record AugmentResult(AugmentOptions Options, string Generator, IReadOnlyList<AugmentTrial> Trials)
{
    public MeanStd RealOnly => MeanStd.Of([.. Trials.Select(t => t.RealOnlyAccuracy)]);
    public MeanStd Augmented => MeanStd.Of([.. Trials.Select(t => t.AugmentedAccuracy)]);
    public MeanStd Gain => MeanStd.Of([.. Trials.Select(t => t.Gain)]);
    public MeanStd GeneratedOnly => MeanStd.Of([.. Trials.Select(t => t.GeneratedOnlyAccuracy)]);
    public MeanStd? LabelAccuracy => Trials.All(t => t.LabelAccuracy is not null) ? MeanStd.Of([.. Trials.Select(t => t.LabelAccuracy!.Value)]) : null;

    public JsonObject ToJson() => new()
    {
        ["generator"] = Generator,
        ["real"] = Options.Real,
        ["synthetic"] = Options.Synthetic,
        ["steps"] = Options.Steps,
        ["batch_size"] = Options.BatchSize,
        ["learning_rate"] = Options.LearningRate,
        ["mix"] = Options.Mix,
        ["trials"] = new JsonArray([.. Trials.Select(t => (JsonNode)new JsonObject
        {
            ["seed"] = t.Seed,
            ["real_only_accuracy"] = t.RealOnlyAccuracy,
            ["augmented_accuracy"] = t.AugmentedAccuracy,
            ["gain"] = t.Gain,
            ["generated_only_accuracy"] = t.GeneratedOnlyAccuracy,
            ["label_accuracy"] = t.LabelAccuracy,
        })]),
        ["real_only_accuracy"] = RealOnly.ToJson(),
        ["augmented_accuracy"] = Augmented.ToJson(),
        ["gain"] = Gain.ToJson(),
        ["generated_only_accuracy"] = GeneratedOnly.ToJson(),
        ["label_accuracy"] = LabelAccuracy?.ToJson(),
    };
}

/// <summary>
/// GAN-augmented classification, as the tutorials run it: per seed, train the digit classifier on N real images
/// alone, again from the same initial weights on the same N plus M images of a class-conditional generator,
/// labelled with the digit they were generated for, and once more on the M generated images alone; report the three
/// test accuracies. Every arm takes the same number of steps (Adam, constant rate), so the comparison is of data,
/// not of compute.
/// </summary>
/// <param name="generator">A trained AC-GAN generator (working in [−1, 1]); put in eval mode, stays the caller's.</param>
/// <param name="networks">Its kind's networks: the latent prior it draws from.</param>
/// <param name="judge">Optionally the evaluation classifier, to measure how many generated images show the digit they are labelled with.</param>
internal sealed class AugmentExperiment(
    AugmentOptions options, nn.Module<Tensor, Tensor, Tensor> generator, ConditionalNetworks networks, LabelledImages training, LabelledImages test, IProgressReporter reporter, DigitClassifier? judge = null)
{
    private const int Classes = ConditionalNetworks.Classes;
    private const int GenerationChunk = 500;

    public IReadOnlyList<AugmentTrial> Run(Device device)
    {
        generator.to(device).eval();
        var trials = new List<AugmentTrial>();
        for (var seed = options.FirstSeed; seed < options.FirstSeed + options.Seeds; seed++)
        {
            using var real = RealSubset(seed);
            using var synthetic = Generate(seed, device);
            var labelAccuracy = judge is null ? (double?)null : ClassifierTrainer.Score(judge, synthetic).Accuracy;
            using var augmented = new LabelledImages(cat([real.Images, synthetic.Images]), cat([real.Labels, synthetic.Labels]));
            var realOnly = TrainAndTest(real, Shuffled(real.Count, options.BatchSize, seed), seed, device, $"seed {seed}: {options.Real:#,0} real");
            var withSynthetic = options.Mix is { } mix
                ? TrainAndTest(augmented, Mixed(real.Count, synthetic.Count, options.BatchSize, AugmentOptions.GeneratedPerBatch(mix, options.BatchSize), seed), seed, device,
                    string.Create(CultureInfo.InvariantCulture, $"seed {seed}: {options.Real:#,0} real + {options.Synthetic:#,0} generated, {mix:0.##%} of each batch"))
                : TrainAndTest(augmented, Shuffled(augmented.Count, options.BatchSize, seed), seed, device, $"seed {seed}: {options.Real:#,0} real + {options.Synthetic:#,0} generated");
            var generatedOnly = TrainAndTest(synthetic, Shuffled(synthetic.Count, options.BatchSize, seed), seed, device, $"seed {seed}: {options.Synthetic:#,0} generated only");
            trials.Add(new AugmentTrial(seed, realOnly, withSynthetic, generatedOnly, labelAccuracy));
        }
        return trials;
    }

    /// <summary>The largest <see cref="AugmentOptions.Real"/> that <paramref name="training"/> can give in equal shares: ten times its rarest digit's count.</summary>
    public static long MostRealInEqualShares(LabelledImages training)
    {
        using var perDigit = training.Labels.bincount(null, Classes);
        return perDigit.min().item<long>() * Classes;
    }

    /// <summary>
    /// <see cref="AugmentOptions.Real"/> training images chosen at random by the seed, the digits in equal shares
    /// (the first N mod 10 digits get one more), as few-label experiments draw them: with N = 100 a plain random draw
    /// would leave some digit with a handful of examples.
    /// </summary>
    internal LabelledImages RealSubset(int seed)
    {
        using var random = new torch.Generator((ulong)seed);
        var chosen = new List<Tensor>();
        try
        {
            for (var digit = 0; digit < Classes; digit++)
            {
                using var ofDigit = training.Labels.eq(digit).nonzero().squeeze(1);
                var wanted = options.Real / Classes + (digit < options.Real % Classes ? 1 : 0);
                if (wanted > ofDigit.shape[0])
                    throw new ArgumentOutOfRangeException(nameof(options), $"--real {options.Real} asks for {wanted} images of digit {digit}; the training set has {ofDigit.shape[0]}");
                using var order = randperm(ofDigit.shape[0], generator: random);
                using var picked = order.narrow(0, 0, wanted);
                chosen.Add(ofDigit.index_select(0, picked));
            }
            using var indices = cat(chosen);
            return new LabelledImages(training.Images.index_select(0, indices), training.Labels.index_select(0, indices));
        }
        finally
        {
            foreach (var tensor in chosen) tensor.Dispose();
        }
    }

    /// <summary>
    /// <see cref="AugmentOptions.Synthetic"/> generated images in [0, 1] (the classifier's range) on the CPU, digit
    /// i mod 10 for the i-th, from latent points seeded apart from the real subset's choice.
    /// </summary>
    private LabelledImages Generate(int seed, Device device)
    {
        using var random = new torch.Generator((ulong)seed + 1_000_003);
        var digits = arange(options.Synthetic, dtype: ScalarType.Int64).remainder(Classes);
        var chunks = new List<Tensor>();
        try
        {
            using (no_grad())
            {
                for (var start = 0; start < options.Synthetic; start += GenerationChunk)
                {
                    using var scope = NewDisposeScope();
                    var count = Math.Min(GenerationChunk, options.Synthetic - start);
                    var latent = networks.DrawLatent(count, random).to(device);
                    var images = generator.forward(latent, digits.narrow(0, start, count).to(device)).add(1).div(2);
                    chunks.Add(images.cpu().MoveToOuterDisposeScope());
                }
            }
            return new LabelledImages(cat(chunks), digits);
        }
        catch
        {
            digits.Dispose();
            throw;
        }
        finally
        {
            foreach (var chunk in chunks) chunk.Dispose();
        }
    }

    /// <summary>
    /// The indices of step s's batch into a set of <paramref name="count"/> images: batches of min(<paramref name="batch"/>,
    /// count) through a permutation fixed by the seed and the pass, a fresh one every ⌊count / batch⌋ steps.
    /// </summary>
    internal static Func<int, Tensor> Shuffled(long count, int batch, int seed)
    {
        var size = (int)Math.Min(batch, count);
        var perPass = (int)(count / size);
        long[] order = [];
        return step =>
        {
            if (step % perPass == 0) order = TrainingRun.EpochPermutation(seed, step / perPass + 1, count);
            return tensor(order.AsSpan(step % perPass * size, size).ToArray());
        };
    }

    /// <summary>
    /// Batches of a set that holds <paramref name="real"/> real images and then <paramref name="generated"/> generated ones:
    /// each takes <paramref name="generatedPerBatch"/> generated images and the rest real, each part through its own pool's
    /// <see cref="Shuffled"/> order (a part larger than its pool is the whole pool).
    /// </summary>
    internal static Func<int, Tensor> Mixed(long real, long generated, int batch, int generatedPerBatch, int seed)
    {
        var realPart = Shuffled(real, batch - generatedPerBatch, seed);
        var generatedPart = Shuffled(generated, generatedPerBatch, seed + 1_000_003);
        return step =>
        {
            using var realIndices = realPart(step);
            using var generatedIndices = generatedPart(step);
            using var shifted = generatedIndices.add(real);
            return cat([realIndices, shifted]);
        };
    }

    /// <summary>Trains a classifier from the seed's initial weights for the configured steps on <paramref name="set"/>, batch by batch as <paramref name="batches"/> gives them; its test accuracy.</summary>
    private double TrainAndTest(LabelledImages set, Func<int, Tensor> batches, int seed, Device device, string label)
    {
        torch.manual_seed(seed);
        // Created on the CPU, so every arm of a seed starts from the same weights on any device.
        using var classifier = new DigitClassifier().to(device);
        using var optimizer = optim.Adam(classifier.parameters(), options.LearningRate);
        using var images = set.Images.to(device);
        using var labels = set.Labels.to(device);
        var guard = new NonFiniteGuard();
        reporter.Started(label, options.Steps);
        classifier.train();
        for (var step = 0; step < options.Steps; step++)
        {
            using var onCpu = batches(step);
            using var indices = onCpu.to(device);
            var (loss, _) = ClassifierTrainer.Step(classifier, optimizer, guard, step + 1, images, labels, indices, maxShift: 0);
            reporter.StepDone(step + 1, string.Create(CultureInfo.InvariantCulture, $"loss {loss:0.0000}"));
        }
        var accuracy = ClassifierTrainer.Score(classifier, test).Accuracy;
        reporter.Finished(string.Create(CultureInfo.InvariantCulture, $"{label}: test accuracy {accuracy:0.00%}"));
        return accuracy;
    }
}
