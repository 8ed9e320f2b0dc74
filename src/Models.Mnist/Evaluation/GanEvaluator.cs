using Models.Mnist.Imaging;
using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace Models.Mnist.Evaluation;

/// <summary>
/// Generates <c>count</c> images (count×1×28×28 in [0, 1], on any device) from latent points drawn with <c>random</c>,
/// and for a class-conditional generator the digit each was asked for (count int64 values; null for a generator without conditions).
/// </summary>
internal delegate (Tensor Images, Tensor? Digits) SampleImages(int count, Generator random);

/// <summary>
/// Judges generators with the digit classifier: FID-MNIST on its 128 penultimate features, the same per digit
/// against that digit's test images with the within-digit spread (<see cref="ClassVariety"/>), the MNIST score
/// (Inception score of its predictions), the predicted-class distribution, and optionally the GAN's own
/// discriminator. The test set's features and scores are computed once, so a training run can evaluate every
/// few epochs at the cost of generating and classifying the samples.
/// </summary>
/// <remarks>
/// Nothing here draws from libtorch's global generator (latent points come from a seeded generator of their
/// own, and the networks run in eval mode), so evaluating during training leaves a seeded run's course unchanged.
/// </remarks>
internal sealed class GanEvaluator
{
    public const int DefaultSamples = 10_000;
    public const int Classes = 10;
    /// <summary>The MNIST score needs at least one sample per split.</summary>
    public const int MinimumSamples = InceptionScore.DefaultSplits;
    private const int BatchSize = 500;

    private readonly DigitClassifier _classifier;
    private readonly Device _device;
    private readonly Tensor _testImages;
    private readonly Tensor _trainImages;
    private readonly FeatureStatistics _testStatistics;
    private readonly IReadOnlyList<FeatureStatistics> _testStatisticsPerDigit;
    private readonly InceptionScoreResult _testScore;
    private readonly ClassHistogram _testClasses;
    private readonly Dictionary<int, double> _floors = [];

    /// <param name="classifier">A trained classifier (e.g. from <see cref="ClassifierTrainer.Load"/>), put in eval mode; stays the caller's.</param>
    /// <param name="test">The 10,000 test images (N×1×28×28 in [0, 1]) and their digits; stay the caller's.</param>
    /// <param name="trainImages">Real training images for the floor: its first <c>samples</c> are compared with the test set; stay the caller's.</param>
    public GanEvaluator(DigitClassifier classifier, LabelledImages test, Tensor trainImages)
    {
        _classifier = classifier;
        _classifier.eval();
        _device = classifier.parameters().First().device;
        _testImages = test.Images;
        _trainImages = trainImages;
        _testClasses = ClassHistogram.Of(test.Labels, Classes);
        var (features, probabilities) = Judge(test.Images);
        using (features)
        using (probabilities)
        {
            _testStatistics = FeatureStatistics.Of(features);
            _testStatisticsPerDigit = ClassVariety.PerClass(features, test.Labels, Classes);
            _testScore = InceptionScore.Compute(probabilities, InceptionScore.DefaultSplits);
        }
    }

    /// <summary>
    /// Evaluates a GAN without conditions (DCGAN, DCGAN-BN, MLP) as it is now; both networks are put back in the mode
    /// (train or eval) they were in. Images in [−1, 1] are judged in [0, 1], as the classifier reads them.
    /// </summary>
    /// <param name="discriminator">Its discriminator, to measure D's accuracy on test images and samples, or null.</param>
    /// <param name="networks">What the generator takes and the discriminator gives.</param>
    /// <param name="pixels">The range of the generator's pixels, and of the images its discriminator reads.</param>
    public GanEvaluation Evaluate(
        nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor>? discriminator, UnconditionalNetworks networks, PixelRange pixels, int samples, int seed) =>
        InEvalMode(generator, discriminator, () =>
        {
            var device = generator.parameters().First().device;
            Func<Tensor, Tensor>? probabilityReal = discriminator is null
                ? null
                : images => networks.ProbabilityReal(discriminator.forward(FromJudgesRange(images, pixels).to(discriminator.parameters().First().device)));
            return Evaluate((count, random) => (ToJudgesRange(generator.forward(randn([count, UnconditionalNetworks.LatentSize], generator: random).to(device)), pixels), null),
                samples, seed, probabilityReal);
        });

    /// <summary>Images of <paramref name="pixels"/> in the judge's [0, 1].</summary>
    private static Tensor ToJudgesRange(Tensor images, PixelRange pixels) => pixels == PixelRange.MinusOneToOne ? images.add(1).div(2) : images;

    /// <summary>Images of the judge's [0, 1] in <paramref name="pixels"/>.</summary>
    private static Tensor FromJudgesRange(Tensor images, PixelRange pixels) => pixels == PixelRange.MinusOneToOne ? images.mul(2).sub(1) : images;

    /// <summary>
    /// Evaluates a class-conditional GAN (AC-GAN) as it is now: the figures of samples of random digits (each judged
    /// within the digit it was asked for), plus how often samples asked for each digit are recognised as it. Both
    /// networks are put back in the mode (train or eval) they were in.
    /// </summary>
    /// <param name="discriminator">Its discriminator, to measure D's accuracy (validity head) on test images and samples, or null.</param>
    /// <param name="networks">The generator's latent prior and what the discriminator's validity head gives.</param>
    public GanEvaluation Evaluate(nn.Module<Tensor, Tensor, Tensor> generator, nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>? discriminator,
        ConditionalNetworks networks, int samples, int seed) =>
        InEvalMode(generator, discriminator, () =>
        {
            var device = generator.parameters().First().device;
            // The AC-GANs work in [−1, 1], the judge in [0, 1].
            Tensor Generate(Tensor latent, Tensor digits) => ToJudgesRange(generator.forward(latent.to(device), digits.to(device)), PixelRange.MinusOneToOne);
            Func<Tensor, Tensor>? probabilityReal = discriminator is null
                ? null
                : images => networks.ProbabilityReal(discriminator.forward(FromJudgesRange(images.to(discriminator.parameters().First().device), PixelRange.MinusOneToOne)).Validity);
            var evaluation = Evaluate(
                (count, random) =>
                {
                    var latent = networks.DrawLatent(count, random);
                    var digits = randint(0, Classes, [count], ScalarType.Int64, generator: random);
                    return (Generate(latent, digits), digits);
                },
                samples, seed, probabilityReal);
            using (no_grad())
                return evaluation with { ClassAccuracy = ClassAccuracy(Generate, networks.DrawLatent, Math.Max(1, samples / Classes), seed) };
        });

    /// <summary>Runs <paramref name="evaluate"/> with both networks in eval mode (no dropout), then puts each back in the mode it was in.</summary>
    private static GanEvaluation InEvalMode(nn.Module generator, nn.Module? discriminator, Func<GanEvaluation> evaluate)
    {
        var generatorWasTraining = generator.training;
        var discriminatorWasTraining = discriminator?.training ?? false;
        generator.eval();
        discriminator?.eval();
        try
        {
            return evaluate();
        }
        finally
        {
            generator.train(generatorWasTraining);
            discriminator?.train(discriminatorWasTraining);
        }
    }

    /// <summary>
    /// Evaluates any generator of digits in [0, 1]. A sample's digit, for the figures per digit, is the one it was asked
    /// for when <paramref name="sample"/> gives them, else the one the classifier reads in it.
    /// </summary>
    /// <param name="sample">Draws the images to judge (and their digits), batch by batch, from one generator seeded with <paramref name="seed"/>.</param>
    /// <param name="probabilityReal">The GAN's discriminator (images → N×1 probability of being real), or null to leave D out.</param>
    public GanEvaluation Evaluate(SampleImages sample, int samples, int seed, Func<Tensor, Tensor>? probabilityReal = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, MinimumSamples);
        using var random = new Generator((ulong)seed);
        var features = new List<Tensor>();
        var probabilities = new List<Tensor>();
        var requested = new List<Tensor>();
        long samplesCalledFake = 0;
        try
        {
            using (no_grad())
            {
                for (var start = 0; start < samples; start += BatchSize)
                {
                    // The generator's intermediate tensors (latent points, activations) go with the scope.
                    using var scope = NewDisposeScope();
                    var (images, digits) = sample(Math.Min(BatchSize, samples - start), random);
                    if (digits is not null) requested.Add(digits.cpu().MoveToOuterDisposeScope());
                    var (batchFeatures, batchProbabilities) = Judge(images);
                    features.Add(batchFeatures.MoveToOuterDisposeScope());
                    probabilities.Add(batchProbabilities.MoveToOuterDisposeScope());
                    if (probabilityReal is not null) samplesCalledFake += CountJudgedRight(probabilityReal, images, imagesAreReal: false);
                }
            }
            using var allFeatures = cat(features, 0);
            using var allProbabilities = cat(probabilities, 0);
            using var predicted = allProbabilities.argmax(1);
            var byRequest = requested.Count > 0;
            using var sampleDigits = byRequest ? cat(requested, 0) : predicted.alias();
            return new GanEvaluation(samples, seed,
                FrechetDistance.Between(FeatureStatistics.Of(allFeatures), _testStatistics),
                Floor(samples),
                InceptionScore.Compute(allProbabilities, InceptionScore.DefaultSplits),
                _testScore,
                ClassHistogram.Of(predicted, Classes),
                _testClasses,
                probabilityReal is null ? null : (double)CountJudgedRight(probabilityReal, _testImages, imagesAreReal: true) / _testImages.shape[0],
                probabilityReal is null ? null : (double)samplesCalledFake / samples)
            {
                Variety = ClassVariety.Measure(allFeatures, sampleDigits, _testStatisticsPerDigit),
                VarietyByRequestedDigit = byRequest,
            };
        }
        finally
        {
            foreach (var tensor in features.Concat(probabilities).Concat(requested)) tensor.Dispose();
        }
    }

    /// <summary>
    /// The TF-GAN protocol for class-conditional generators: how often samples generated for each digit are
    /// recognised as that digit (for <see cref="GanEvaluation.ClassAccuracy"/>).
    /// </summary>
    /// <param name="generate">(latent, digits, both on the CPU) → images in [0, 1].</param>
    /// <param name="drawLatent">Draws N latent points from the generator's prior.</param>
    public ClassAccuracy ClassAccuracy(Func<Tensor, Tensor, Tensor> generate, Func<long, Generator, Tensor> drawLatent, int samplesPerClass, int seed) =>
        ClassConditionalAccuracy.Measure(generate, drawLatent,
            images => _classifier.forward(images.to(_device)), Classes, samplesPerClass, seed, BatchSize);

    /// <summary>The Fréchet distance of the first <paramref name="samples"/> training images to the test set, once per sample count.</summary>
    private double Floor(int samples)
    {
        if (_floors.TryGetValue(samples, out var floor)) return floor;
        using var images = _trainImages.narrow(0, 0, Math.Min(samples, _trainImages.shape[0]));
        var (features, probabilities) = Judge(images);
        using (features)
        using (probabilities)
            return _floors[samples] = FrechetDistance.Between(FeatureStatistics.Of(features), _testStatistics);
    }

    /// <summary>The classifier's penultimate features (N×128) and class probabilities (N×10), on the CPU.</summary>
    private (Tensor Features, Tensor Probabilities) Judge(Tensor images)
    {
        var features = new List<Tensor>();
        var probabilities = new List<Tensor>();
        using (no_grad())
        {
            for (long start = 0; start < images.shape[0]; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var batch = images.narrow(0, start, Math.Min(BatchSize, images.shape[0] - start)).to(_device);
                var batchFeatures = _classifier.Features(batch);
                features.Add(batchFeatures.cpu().MoveToOuterDisposeScope());
                probabilities.Add(_classifier.Logits(batchFeatures).softmax(1).cpu().MoveToOuterDisposeScope());
            }
        }
        try
        {
            return (cat(features, 0), cat(probabilities, 0));
        }
        finally
        {
            foreach (var tensor in features.Concat(probabilities)) tensor.Dispose();
        }
    }

    /// <summary>How many of <paramref name="images"/> the discriminator puts on the right side of 0.5.</summary>
    private static long CountJudgedRight(Func<Tensor, Tensor> probabilityReal, Tensor images, bool imagesAreReal)
    {
        long count = 0;
        using (no_grad())
        {
            for (long start = 0; start < images.shape[0]; start += BatchSize)
            {
                using var scope = NewDisposeScope();
                var verdict = probabilityReal(images.narrow(0, start, Math.Min(BatchSize, images.shape[0] - start)));
                count += (imagesAreReal ? verdict.gt(0.5) : verdict.lt(0.5)).sum().item<long>();
            }
        }
        return count;
    }
}
