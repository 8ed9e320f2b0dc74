using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Evaluation;

/// <summary>How often a classifier recognised samples generated for each requested class.</summary>
/// <param name="PerClass">The fraction recognised as the requested class, indexed by class.</param>
/// <param name="SamplesPerClass">How many samples each class was judged on.</param>
public sealed record ClassAccuracy(IReadOnlyList<double> PerClass, int SamplesPerClass)
{
    /// <summary>The fraction over all samples (every class had as many).</summary>
    public double Overall => PerClass.Average();

    /// <summary>The worst-recognised class's fraction.</summary>
    public double Worst => PerClass.Min();
}

/// <summary>
/// The TF-GAN MNIST protocol for class-conditional generators: ask for samples of each class, classify them,
/// and count how many come out as the class asked for.
/// </summary>
public static class ClassConditionalAccuracy
{
    /// <summary>Judges a class-conditional generator.</summary>
    /// <param name="generate">(latent N×…, classes N int64, both on the CPU) → N images, in the range <paramref name="classify"/> expects.</param>
    /// <param name="drawLatent">Draws N latent points from the generator's prior with the given (CPU) random generator.</param>
    /// <param name="classify">N images → N×K class scores (logits or probabilities; the largest is the prediction).</param>
    /// <param name="classes">K, the number of classes asked for (0..K−1).</param>
    /// <param name="samplesPerClass">Samples generated and judged per class.</param>
    /// <param name="seed">Seeds the latent points, so a result can be repeated.</param>
    /// <param name="batchSize">Samples generated and classified at once.</param>
    public static ClassAccuracy Measure(Func<Tensor, Tensor, Tensor> generate, Func<long, Generator, Tensor> drawLatent,
        Func<Tensor, Tensor> classify, int classes, int samplesPerClass, int seed, int batchSize = 500)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplesPerClass);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        using var random = new Generator((ulong)seed);
        var perClass = new double[classes];
        using (no_grad())
        {
            for (var requested = 0; requested < classes; requested++)
            {
                long recognised = 0;
                for (var start = 0; start < samplesPerClass; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    var count = Math.Min(batchSize, samplesPerClass - start);
                    var wanted = full(count, requested, ScalarType.Int64);
                    var predicted = classify(generate(drawLatent(count, random), wanted)).argmax(1).cpu();
                    recognised += predicted.eq(wanted).sum().item<long>();
                }
                perClass[requested] = (double)recognised / samplesPerClass;
            }
        }
        return new ClassAccuracy(perClass, samplesPerClass);
    }
}
