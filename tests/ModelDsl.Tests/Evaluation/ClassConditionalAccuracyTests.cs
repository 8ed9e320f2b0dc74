using ModelDsl.Evaluation;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Evaluation;

/// <summary>The class-conditional protocol with a fake generator and classifier whose answers are known.</summary>
public sealed class ClassConditionalAccuracyTests
{
    private const int Classes = 10;

    /// <summary>"Draws" class k as an image filled with k, except that asked for a 3 it draws a 5.</summary>
    private static Tensor GenerateWithAConfusedThree(Tensor latent, Tensor classes)
    {
        var drawn = classes.where(classes.ne(3), full_like(classes, 5));
        return drawn.to(ScalarType.Float32).view(-1, 1, 1, 1).expand(-1, 1, 28, 28) + 0 * latent.view(-1, 1, 1, 1);
    }

    /// <summary>Reads the digit back from the image as one-hot scores.</summary>
    private static Tensor ReadDigit(Tensor images) =>
        nn.functional.one_hot(images[.., 0, 0, 0].round().to(ScalarType.Int64), Classes).to(ScalarType.Float32);

    [Fact]
    public void Each_class_is_judged_on_its_own_samples()
    {
        var latentDraws = new List<long>();
        Tensor DrawLatent(long count, TorchSharp.torch.Generator random)
        {
            latentDraws.Add(count);
            return rand([count, 1], generator: random);
        }

        var accuracy = ClassConditionalAccuracy.Measure(GenerateWithAConfusedThree, DrawLatent, ReadDigit, Classes,
            samplesPerClass: 7, seed: 1, batchSize: 3);

        Assert.Equal([1, 1, 1, 0, 1, 1, 1, 1, 1, 1], accuracy.PerClass);
        Assert.Equal(0.9, accuracy.Overall, 1e-12);
        Assert.Equal(0, accuracy.Worst);
        Assert.Equal(7, accuracy.SamplesPerClass);
        Assert.Equal(Enumerable.Repeat(new long[] { 3, 3, 1 }, Classes).SelectMany(c => c), latentDraws);
    }
}
