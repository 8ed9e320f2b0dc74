using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>One AC-GAN step on the DSL networks: it trains both, reports finite losses and leaves D trainable.</summary>
public sealed class AcganStepTests
{
    [Theory]
    [InlineData(AcganRecipe.Keras)]
    [InlineData(AcganRecipe.Reference)]
    public void One_step_on_a_tiny_batch_trains_both_networks_with_finite_losses(AcganRecipe recipe)
    {
        torch.manual_seed(1);
        using var generator = new AcganGenerator();
        using var discriminator = new AcganDiscriminator();
        var generatorBefore = Snapshot(generator);
        var discriminatorBefore = Snapshot(discriminator);
        var step = new AcganStep(generator, discriminator,
            optim.Adam(generator.parameters(), 2e-4, 0.5, 0.999), optim.Adam(discriminator.parameters(), 2e-4, 0.5, 0.999),
            new NonFiniteGuard(), CPU, recipe: recipe);

        using var images = rand(2, 1, 28, 28) * 2 - 1;
        using var classes = tensor(new long[] { 3, 8 });
        var result = step.Run(1, images, classes);

        foreach (var loss in new[] { result.Discriminator, result.Generator })
        {
            Assert.True(double.IsFinite(loss.Validity) && loss.Validity > 0, $"validity loss {loss.Validity}");
            Assert.True(double.IsFinite(loss.Class) && loss.Class > 0, $"class loss {loss.Class}");
            Assert.Equal(loss.Validity + loss.Class, loss.Total);
        }
        Assert.True(Changed(generatorBefore, generator), "G was not trained");
        Assert.True(Changed(discriminatorBefore, discriminator), "D was not trained");
        Assert.All(discriminator.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void One_step_of_acgan_small_trains_both_networks_on_validity_logits_and_normal_latent_points()
    {
        torch.manual_seed(1);
        var networks = ModelKind.AcganSmall.Conditional!;
        using var generator = networks.NewGenerator();
        using var discriminator = networks.NewDiscriminator();
        var generatorBefore = Snapshot(generator);
        var discriminatorBefore = Snapshot(discriminator);
        var step = new AcganStep(generator, discriminator,
            optim.Adam(generator.parameters(), 2e-4, 0.5, 0.999), optim.Adam(discriminator.parameters(), 2e-4, 0.5, 0.999),
            new NonFiniteGuard(), CPU, validityOutput: networks.Output, prior: networks.Prior, realLabel: 0.9, classWeight: 2);

        using var images = rand(4, 1, 28, 28) * 2 - 1;
        using var classes = tensor(new long[] { 3, 8, 0, 9 });
        var result = step.Run(1, images, classes);

        foreach (var loss in new[] { result.Discriminator, result.Generator })
            Assert.True(double.IsFinite(loss.Total) && loss.Validity > 0 && loss.Class > 0, $"losses {loss}");
        Assert.True(Changed(generatorBefore, generator), "G was not trained");
        Assert.True(Changed(discriminatorBefore, discriminator), "D was not trained");
    }

    private static Tensor[] Snapshot(nn.Module model) => [.. model.parameters().Select(p => p.detach().clone())];

    private static bool Changed(Tensor[] before, nn.Module model) =>
        before.Zip(model.parameters()).Any(pair => !pair.First.allclose(pair.Second));
}
