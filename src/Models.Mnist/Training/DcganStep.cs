using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>What one DCGAN step measured: both losses and D's accuracy on the real and the generated half.</summary>
public readonly record struct DcganStepResult(double DiscriminatorLoss, double GeneratorLoss, double AccuracyReal, double AccuracyFake);

/// <summary>
/// One step of the basic MNIST GAN recipe on any generator/discriminator pair (the app trains the DSL
/// models with it; the benchmark also runs hand-written TorchSharp networks through it, so both are
/// timed on identical work). D learns from the real half-batch (label 1) and as many generated images
/// (label 0) in one batch; then G learns through a frozen D on a full batch labelled 1.
/// </summary>
public sealed class DcganStep(
    nn.Module<Tensor, Tensor> generator,
    nn.Module<Tensor, Tensor> discriminator,
    OptimizerHelper generatorOptimizer,
    OptimizerHelper discriminatorOptimizer,
    NonFiniteGuard guard,
    Device device,
    long latentSize = 100)
{
    /// <summary>Trains on <paramref name="real"/> (N×1×28×28, half a batch, on the models' device); <paramref name="step"/> names the step in guard messages.</summary>
    public DcganStepResult Run(long step, Tensor real)
    {
        using var scope = NewDisposeScope();
        var half = real.shape[0];

        // G's graph is not needed for D's step, so it is not built.
        Tensor fake;
        using (no_grad()) fake = generator.forward(randn(half, latentSize, device: device));
        var verdict = discriminator.forward(cat([real, fake], 0));
        var discriminatorLoss = GuardedLoss.BinaryCrossEntropy(verdict, cat([ones(half, 1, device: device), zeros(half, 1, device: device)], 0));
        discriminatorOptimizer.zero_grad();
        discriminatorLoss.backward();
        if (guard.ShouldStep(step, "d_loss", discriminatorLoss, ("discriminator", discriminator)))
            discriminatorOptimizer.step();

        // A frozen D, as Keras' combined model: D's weight gradients are neither computed nor applied,
        // while D still passes gradients on to G.
        SetTrainable(discriminator, false);
        var generatorLoss = GuardedLoss.BinaryCrossEntropy(discriminator.forward(generator.forward(randn(2 * half, latentSize, device: device))), ones(2 * half, 1, device: device));
        generatorOptimizer.zero_grad();
        generatorLoss.backward();
        SetTrainable(discriminator, true);
        if (guard.ShouldStep(step, "g_loss", generatorLoss, ("generator", generator)))
            generatorOptimizer.step();

        return new DcganStepResult(
            discriminatorLoss.item<float>(),
            generatorLoss.item<float>(),
            verdict.narrow(0, 0, half).gt(0.5).to(ScalarType.Float32).mean().item<float>(),
            verdict.narrow(0, half, half).lt(0.5).to(ScalarType.Float32).mean().item<float>());
    }

    private static void SetTrainable(nn.Module module, bool trainable)
    {
        foreach (var parameter in module.parameters()) parameter.requires_grad = trainable;
    }
}
