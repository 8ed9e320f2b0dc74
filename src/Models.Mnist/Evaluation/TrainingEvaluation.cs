using System.Text.Json.Nodes;
using Models.Mnist.Models;
using Models.Mnist.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Evaluation;

/// <summary>
/// The evaluation suite during training (<c>--classifier FILE --eval-every N --eval-samples N</c>): every N-th epoch
/// (and the last) the generator is judged as <c>evaluate</c> judges it, and the figures join the epoch's line in
/// history.jsonl (quality.png plots them). Latent points come from a generator seeded by the run's seed, the same
/// every epoch, and nothing draws from libtorch's global generator, so a seeded run's course does not change.
/// </summary>
internal sealed class TrainingEvaluation(GanEvaluator evaluator, int every, int samples, int seed) : IDisposable
{
    private const int Classes = GanEvaluator.Classes;

    private readonly List<IDisposable> _owned = [];

    /// <summary>
    /// The classifier of <paramref name="classifierFile"/> with the test set and as many training images as the FID
    /// floor needs (both in [0, 1]); the evaluation owns all three from here on.
    /// </summary>
    public static TrainingEvaluation Create(string classifierFile, LabelledImages test, LabelledImages floorImages, int every, int samples, int seed)
    {
        var owned = new List<IDisposable> { test, floorImages };
        try
        {
            var (classifier, _) = ClassifierTrainer.Load(classifierFile, CPU);
            owned.Add(classifier);
            var evaluation = new TrainingEvaluation(new GanEvaluator(classifier, test, floorImages.Images), every, samples, seed);
            evaluation._owned.AddRange(owned);
            return evaluation;
        }
        catch
        {
            // Nothing leaks when the classifier file is bad or the evaluator cannot be built.
            foreach (var disposable in owned) disposable.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="epoch"/> of a run of <paramref name="epochs"/> is judged.</summary>
    public bool Due(int epoch, int epochs) => epoch % every == 0 || epoch == epochs;

    public void Dcgan(DcganGenerator generator, DcganDiscriminator discriminator, JsonObject history) =>
        evaluator.Evaluate(generator, discriminator, samples, seed).AppendTo(history);

    /// <summary>FID-MNIST, MNIST score and D's accuracy on samples of random digits, plus the accuracy per requested digit.</summary>
    public void Acgan(AcganGenerator generator, AcganDiscriminator discriminator, JsonObject history)
    {
        var device = generator.parameters().First().device;
        var (generatorWasTraining, discriminatorWasTraining) = (generator.training, discriminator.training);
        generator.eval();
        discriminator.eval();
        try
        {
            // The AC-GAN works in [−1, 1], the judge in [0, 1].
            Tensor Generate(Tensor latent, Tensor digits) => generator.forward(latent.to(device), digits.to(device)).add(1).div(2);
            Tensor DrawLatent(long count, torch.Generator random) => rand([count, AcganTrainer.LatentSize], generator: random) * 2 - 1;
            var evaluation = evaluator.Evaluate(
                (count, random) => Generate(DrawLatent(count, random), randint(0, Classes, [count], ScalarType.Int64, generator: random)),
                samples, seed,
                images => discriminator.forward(images.to(device).mul(2).sub(1)).Validity);
            using (no_grad())
            {
                evaluation = evaluation with { ClassAccuracy = evaluator.ClassAccuracy(Generate, DrawLatent, Math.Max(1, samples / Classes), seed) };
            }
            evaluation.AppendTo(history);
        }
        finally
        {
            generator.train(generatorWasTraining);
            discriminator.train(discriminatorWasTraining);
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }
}
