using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// What one DCGAN step measured: both losses and D's accuracy on the real and the generated half. The generator loss is
/// NaN on the steps where G does not learn (WGAN-GP's critic steps in between).
/// </summary>
public readonly record struct DcganStepResult(double DiscriminatorLoss, double GeneratorLoss, double AccuracyReal, double AccuracyFake);

/// <summary>
/// One step of an unconditional GAN on any generator/discriminator pair (the app trains the DSL models with it; the
/// benchmark also runs hand-written TorchSharp networks through it, so both are timed on identical work). D learns
/// from the real half-batch and as many generated images in one batch; then, on every
/// <see cref="GanLoss.CriticSteps"/>-th step, G learns through a frozen D on a full batch. What D and G minimise is
/// <paramref name="loss"/>'s; by default the basic recipe's binary cross-entropy on probabilities (labels 1 and 0).
/// </summary>
public sealed class DcganStep(
    nn.Module<Tensor, Tensor> generator,
    nn.Module<Tensor, Tensor> discriminator,
    OptimizerHelper generatorOptimizer,
    OptimizerHelper discriminatorOptimizer,
    NonFiniteGuard guard,
    Device device,
    long latentSize = 100,
    GanLoss? loss = null)
{
    private readonly GanLoss _loss = loss ?? new BinaryCrossEntropyGanLoss(DiscriminatorOutput.Probability);

    /// <summary>Trains on <paramref name="real"/> (N×1×28×28, half a batch, on the models' device); <paramref name="step"/> names the step in guard messages.</summary>
    public DcganStepResult Run(long step, Tensor real)
    {
        using var scope = NewDisposeScope();
        // Batch-norm statistics move in every forward pass; a skipped step puts them back.
        using var generatorBuffers = guard.KeepBuffers(generator);
        using var discriminatorBuffers = guard.KeepBuffers(discriminator);
        var half = real.shape[0];

        // G's graph is not needed for D's step, so it is not built.
        Tensor fake;
        using (no_grad()) fake = generator.forward(randn(half, latentSize, device: device));
        var verdict = discriminator.forward(cat([real, fake], 0));
        var (realScores, fakeScores) = (verdict.narrow(0, 0, half), verdict.narrow(0, half, half));
        var discriminatorLoss = _loss.Discriminator(realScores, fakeScores, discriminator.forward, real, fake);
        discriminatorOptimizer.zero_grad();
        discriminatorLoss.backward();
        if (guard.ShouldStep(step, "d_loss", discriminatorLoss, ("discriminator", discriminator)))
            discriminatorOptimizer.step();
        else
            discriminatorBuffers.Restore();
        var accuracyReal = realScores.gt(_loss.RealAbove).to(ScalarType.Float32).mean().item<float>();
        var accuracyFake = fakeScores.lt(_loss.RealAbove).to(ScalarType.Float32).mean().item<float>();
        if (step % _loss.CriticSteps != 0)
            return new DcganStepResult(discriminatorLoss.item<float>(), double.NaN, accuracyReal, accuracyFake);

        // A frozen D, as Keras' combined model: D's weight gradients are neither computed nor applied,
        // while D still passes gradients on to G.
        SetTrainable(discriminator, false);
        var generatorLoss = _loss.Generator(discriminator.forward(generator.forward(randn(2 * half, latentSize, device: device))));
        generatorOptimizer.zero_grad();
        generatorLoss.backward();
        SetTrainable(discriminator, true);
        if (guard.ShouldStep(step, "g_loss", generatorLoss, ("generator", generator)))
            generatorOptimizer.step();
        else
            generatorBuffers.Restore();

        return new DcganStepResult(discriminatorLoss.item<float>(), generatorLoss.item<float>(), accuracyReal, accuracyFake);
    }

    private static void SetTrainable(nn.Module module, bool trainable)
    {
        foreach (var parameter in module.parameters()) parameter.requires_grad = trainable;
    }
}
