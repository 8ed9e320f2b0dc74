using static TorchSharp.torch;

namespace Models.Mnist.Evaluation;

/// <summary>
/// The evaluation suite during training (<c>--classifier FILE --eval-every N --eval-samples N</c>): every N-th epoch
/// (and the last) the generator is judged as <c>evaluate</c> judges it, and the figures join the epoch's line in
/// history.jsonl (quality.png plots them); with <c>--eval-every-steps N</c> also every N-th step, on lines of their own. Latent points come from a generator seeded by the run's seed, the same
/// every epoch, and nothing draws from libtorch's global generator, so a seeded run's course does not change.
/// </summary>
internal sealed class TrainingEvaluation(GanEvaluator evaluator, int every, int samples, int seed, int? everySteps = null) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    /// <summary>
    /// The classifier of <paramref name="classifierFile"/> with the test set and as many training images as the FID
    /// floor needs (both in [0, 1]); the evaluation owns all three from here on.
    /// </summary>
    public static TrainingEvaluation Create(string classifierFile, LabelledImages test, LabelledImages floorImages, int every, int samples, int seed, int? everySteps = null)
    {
        var owned = new List<IDisposable> { test, floorImages };
        try
        {
            var (classifier, _) = ClassifierTrainer.Load(classifierFile, CPU);
            owned.Add(classifier);
            var evaluation = new TrainingEvaluation(new GanEvaluator(classifier, test, floorImages.Images), every, samples, seed, everySteps);
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

    /// <summary>Whether step <paramref name="step"/> is judged on a line of its own (<c>--eval-every-steps</c>).</summary>
    public bool DueAtStep(long step) => everySteps is { } every && step % every == 0;

    /// <summary>FID-MNIST, MNIST score and D's accuracy of a GAN without conditions.</summary>
    public void Unconditional(nn.Module<Tensor, Tensor> generator, nn.Module<Tensor, Tensor> discriminator, ModelKind kind, JsonObject history) =>
        evaluator.Evaluate(generator, discriminator, kind.Unconditional!, kind.Pixels, samples, seed).AppendTo(history);

    /// <summary>FID-MNIST, MNIST score and D's accuracy (when D is given) on samples of random digits, plus the accuracy per requested digit, of a class-conditional GAN.</summary>
    public void Conditional(nn.Module<Tensor, Tensor, Tensor> generator, nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>? discriminator,
        ConditionalNetworks networks, JsonObject history) =>
        evaluator.Evaluate(generator, discriminator, networks, samples, seed).AppendTo(history);

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
    }
}
