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

    [Fact]
    public void The_projection_logit_is_the_validity_logit_plus_the_class_logit_of_the_digit()
    {
        using var validity = tensor(new[] { 0.5f, -1f }).reshape(2, 1);
        using var classLogits = tensor(new[] { 1f, 2f, 3f, 4f, 5f, 6f }).reshape(2, 3);
        using var classes = tensor(new long[] { 2, 0 });

        using var logits = AcganStep.ProjectionLogits(validity, classLogits, classes);

        Assert.Equal([2L, 1L], logits.shape);
        Assert.Equal([3.5f, 3f], logits.data<float>().ToArray());
    }

    [Theory]
    // Without a class loss the class head can only learn through the real/fake logit, which only the projection feeds.
    [InlineData(AcganRecipe.Projection, true)]
    [InlineData(AcganRecipe.Keras, false)]
    public void Without_a_class_loss_D_s_class_head_learns_only_through_a_projection(AcganRecipe recipe, bool classHeadLearns)
    {
        torch.manual_seed(1);
        var networks = ModelKind.AcganSmall.Conditional!;
        using var generator = networks.NewGenerator();
        using var discriminator = networks.NewDiscriminator();
        var classHead = discriminator.named_parameters().Where(p => p.name.StartsWith("class_logits", StringComparison.Ordinal)).Select(p => p.parameter).ToList();
        var classHeadBefore = classHead.Select(p => p.detach().clone()).ToList();
        var generatorBefore = Snapshot(generator);
        var step = new AcganStep(generator, discriminator,
            optim.Adam(generator.parameters(), 2e-4, 0.5, 0.999), optim.Adam(discriminator.parameters(), 2e-4, 0.5, 0.999),
            new NonFiniteGuard(), CPU, recipe: recipe, validityOutput: networks.Output, prior: networks.Prior, classWeight: 0);

        using var images = rand(4, 1, 28, 28) * 2 - 1;
        using var classes = tensor(new long[] { 3, 8, 0, 9 });
        var result = step.Run(1, images, classes);

        Assert.Equal(2, classHead.Count);
        Assert.Equal(classHeadLearns, classHeadBefore.Zip(classHead).Any(pair => !pair.First.allclose(pair.Second)));
        Assert.True(Changed(generatorBefore, generator), "G was not trained");
        // The class loss is still measured (and logged), at weight 0.
        Assert.True(double.IsFinite(result.Discriminator.Class) && result.Discriminator.Class > 0);
    }

    [Fact]
    public void The_projection_is_refused_for_a_discriminator_that_gives_a_probability()
    {
        using var generator = new AcganGenerator();
        using var discriminator = new AcganDiscriminator();

        var error = Assert.Throws<ArgumentException>(() => new AcganStep(generator, discriminator,
            optim.Adam(generator.parameters(), 2e-4), optim.Adam(discriminator.parameters(), 2e-4),
            new NonFiniteGuard(), CPU, recipe: AcganRecipe.Projection));
        Assert.Contains("must give a logit", error.Message);
    }

    [Fact]
    public void The_mode_seeking_term_is_the_inverse_of_the_ratio_of_image_to_latent_distances()
    {
        // Pixels apart by 0.5 on average (half of them by 1), latent points by 2: the ratio is 0.25.
        using var first = zeros(2, 1, 2, 2);
        using var second = cat([ones(2, 1, 1, 2), zeros(2, 1, 1, 2)], 2);
        using var firstLatent = zeros(2, 3);
        using var secondLatent = full(2, 3, -2.0);

        Assert.Equal(1 / (0.25 + 1e-5), AcganStep.ModeSeekingTerm(first, second, firstLatent, secondLatent).item<float>(), 3);
        // One image for both points of every pair: the term is as large as its guard allows.
        Assert.Equal(1e5, AcganStep.ModeSeekingTerm(first, first.clone(), firstLatent, secondLatent).item<float>(), 0);
    }

    [Fact]
    public void With_a_mode_seeking_weight_G_learns_to_draw_the_two_points_of_a_pair_further_apart()
    {
        var networks = ModelKind.AcganSmall.Conditional!;
        var distances = new[] { 0.0, 10.0 }.Select(weight =>
        {
            torch.manual_seed(1);
            using var generator = networks.NewGenerator();
            using var discriminator = networks.NewDiscriminator();
            var step = new AcganStep(generator, discriminator,
                optim.Adam(generator.parameters(), 1e-3, 0.5, 0.999), optim.Adam(discriminator.parameters(), 1e-3, 0.5, 0.999),
                new NonFiniteGuard(), CPU, validityOutput: networks.Output, prior: networks.Prior, modeSeekingWeight: weight);
            using var images = rand(8, 1, 28, 28) * 2 - 1;
            using var classes = tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 7 });
            for (var i = 1; i <= 5; i++) step.Run(i, images, classes);

            // The same pairs (fixed points, one digit each) drawn after the steps, in training mode as the term sees them.
            using var _ = no_grad();
            using var latent = randn(new long[] { 16, 100 }, generator: new torch.Generator(7));
            using var digits = tensor(new long[] { 3, 3, 3, 3, 3, 3, 3, 3 }).repeat(2);
            using var drawn = generator.forward(latent, digits);
            return (drawn.narrow(0, 0, 8) - drawn.narrow(0, 8, 8)).abs().mean().item<float>();
        }).ToList();

        Assert.True(distances[1] > distances[0], $"pair distance {distances[1]} with the term, {distances[0]} without");
    }

    private static Tensor[] Snapshot(nn.Module model) => [.. model.parameters().Select(p => p.detach().clone())];

    private static bool Changed(Tensor[] before, nn.Module model) =>
        before.Zip(model.parameters()).Any(pair => !pair.First.allclose(pair.Second));
}
