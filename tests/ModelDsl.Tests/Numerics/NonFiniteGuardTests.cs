using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Numerics;

public class NonFiniteGuardTests
{
    /// <summary>A 2→2 linear layer after one backward pass of a finite loss, and that loss.</summary>
    private static (nn.Module Model, Tensor Loss) Trained(ScalarType type = ScalarType.Float32)
    {
        var model = nn.Linear(2, 2, dtype: type);
        var loss = model.forward(ones(3, 2, type)).square().mean();
        loss.backward();
        return (model, loss);
    }

    private static Tensor Gradient(nn.Module model, string name) => model.named_parameters().Single(p => p.name == name).parameter.grad!;

    [Fact]
    public void Finite_loss_and_gradients_take_the_step()
    {
        var (model, loss) = Trained();
        var guard = new NonFiniteGuard();
        Assert.True(guard.ShouldStep(0, "loss", loss, ("model", model)));
        Assert.Equal(0, guard.SkippedSteps);
    }

    [Fact]
    public void NaN_loss_stops_naming_the_step_and_the_loss()
    {
        var (model, _) = Trained();
        var stopped = Assert.Throws<NonFiniteTrainingException>(() =>
            new NonFiniteGuard(NonFinitePolicy.Stop).ShouldStep(7, "d_loss", tensor(float.NaN), ("discriminator", model)));

        Assert.Equal(7, stopped.Finding.Step);
        Assert.Equal("loss d_loss", stopped.Finding.Tensors[0].Name);
        Assert.StartsWith("Training stopped at step 7: loss d_loss (1 NaN of 1)", stopped.Message);
        Assert.Contains("optimizer step was not taken", stopped.Message);
    }

    [Fact]
    public void Non_finite_gradient_is_named_by_model_and_parameter_with_its_counts()
    {
        var (model, loss) = Trained();
        using (no_grad())
        {
            Gradient(model, "weight")[0, 0] = tensor(float.NaN);
            Gradient(model, "weight")[1, 1] = tensor(float.NegativeInfinity);
        }

        var finding = Assert.Throws<NonFiniteTrainingException>(() => new NonFiniteGuard().ShouldStep(3, "g_loss", loss, ("generator", model))).Finding;

        var only = Assert.Single(finding.Tensors);
        Assert.Equal(new NonFiniteTensor("gradient of generator.weight", NaNCount: 1, InfinityCount: 1, ElementCount: 4), only);
        Assert.Equal("step 3: gradient of generator.weight (1 NaN, 1 ±Inf of 4)", finding.ToString());
    }

    [Fact]
    public void Skip_policy_leaves_the_step_out_and_counts_it()
    {
        var (model, loss) = Trained();
        var guard = new NonFiniteGuard(NonFinitePolicy.SkipStep);
        using (no_grad()) Gradient(model, "bias").fill_(float.PositiveInfinity);

        Assert.False(guard.ShouldStep(11, "loss", loss, ("model", model)));
        using (no_grad()) Gradient(model, "bias").zero_();
        Assert.True(guard.ShouldStep(12, "loss", loss, ("model", model)));

        Assert.Equal(1, guard.SkippedSteps);
        Assert.Equal(11, guard.LastSkipped!.Step);
        Assert.Equal("gradient of model.bias", guard.LastSkipped.Tensors.Single().Name);
    }

    [Fact]
    public void Parameters_without_gradient_are_not_checked()
    {
        var model = nn.Linear(2, 2);
        Assert.True(new NonFiniteGuard().ShouldStep(0, "loss", tensor(1f), ("frozen", model)));
    }

    [Fact]
    public void Finite_gradients_whose_total_overflows_still_take_the_step()
    {
        var (model, loss) = Trained(ScalarType.Float64);
        using (no_grad()) Gradient(model, "weight").fill_(1e308);
        Assert.True(new NonFiniteGuard().ShouldStep(0, "loss", loss, ("model", model)));
    }
}

public class GuardedLossTests
{
    [Fact]
    public void Finite_probabilities_give_libtorchs_binary_cross_entropy_exactly()
    {
        using var probability = tensor(new[] { 0.1f, 0.5f, 0.999f, 1e-9f }).reshape(4, 1);
        using var target = tensor(new[] { 0f, 1f, 0.95f, 1f }).reshape(4, 1);
        using var expected = nn.functional.binary_cross_entropy(probability, target);
        using var loss = GuardedLoss.BinaryCrossEntropy(probability, target);
        Assert.Equal(expected.item<float>(), loss.item<float>());
    }

    [Fact]
    public void A_nan_probability_gives_a_nan_loss_the_guard_sees_instead_of_libtorchs_range_error()
    {
        using var target = ones(3, 1);
        using var outOfRange = tensor(new[] { 0.5f, float.NaN, 0.2f }).reshape(3, 1);
        Assert.ThrowsAny<Exception>(() => nn.functional.binary_cross_entropy(outOfRange, target));

        var model = nn.Linear(2, 1);
        using var input = tensor(new[] { 1f, float.NaN, 0f, 1f, 2f, 3f }).reshape(3, 2);
        using var loss = GuardedLoss.BinaryCrossEntropy(nn.functional.sigmoid(model.forward(input)), target);
        loss.backward();

        Assert.True(float.IsNaN(loss.item<float>()));
        var stopped = Assert.Throws<NonFiniteTrainingException>(() => new NonFiniteGuard().ShouldStep(4, "g_loss", loss, ("generator", model)));
        Assert.Equal("loss g_loss", stopped.Finding.Tensors[0].Name);
        Assert.Contains(stopped.Finding.Tensors, t => t.Name.StartsWith("gradient of generator.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_skipped_step_leaves_batch_normalisation_statistics_as_they_were()
    {
        using var model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3));
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        var guard = new NonFiniteGuard(NonFinitePolicy.SkipStep);
        model.train();
        model.forward(randn(8, 4)).sum().backward();
        optimizer.step();
        var before = model.buffers().Select(b => b.clone()).ToList();

        var poisoned = randn(8, 4);
        poisoned[0, 0] = float.NaN;
        using (var buffers = guard.KeepBuffers(model))
        {
            var loss = model.forward(poisoned).sum();
            optimizer.zero_grad();
            loss.backward();
            Assert.False(guard.ShouldStep(2, "loss", loss, ("model", model)));
            Assert.Contains(model.buffers(), b => b.is_floating_point() && isnan(b).any().item<bool>());
            buffers.Restore();
        }

        foreach (var (restored, saved) in model.buffers().Zip(before))
            Assert.True(restored.eq(saved).all().item<bool>());
    }
}
