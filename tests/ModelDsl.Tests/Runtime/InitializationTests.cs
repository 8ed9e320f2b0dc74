using ModelDsl.Tests.TestModels;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Runtime;

/// <summary>
/// <c>init: Init.Glorot…</c> gives weights the spread of Keras' Glorot initialisers, std √(2 / (fan_in + fan_out))
/// with Keras' fans (written out here, not taken from the generator), zero biases, and leaves other layers alone.
/// </summary>
public sealed class InitializationTests : IDisposable
{
    private readonly GlorotModel _model = new();

    private Tensor Parameter(string name) => _model.named_parameters().Single(p => p.name == name).parameter;

    public void Dispose() => _model.Dispose();

    [Theory]
    [InlineData("embedding_0.weight", 100 + 128)]              // Keras: input_dim + output_dim
    [InlineData("conv2d_2.weight", (32 + 64) * 3 * 3)]          // (in + out channels) · receptive field
    [InlineData("conv2d_transpose_3.weight", (64 + 32) * 4 * 4)]
    [InlineData("dense_5.weight", 512 + 64)]
    public void Glorot_weights_have_the_Glorot_standard_deviation(string name, int fanInPlusFanOut)
    {
        var expected = Math.Sqrt(2.0 / fanInPlusFanOut);
        var actual = Parameter(name).std().item<float>();
        // At least 10,000 weights each: the sample std is within 1 % of the true one with overwhelming odds.
        Assert.InRange(actual / expected, 0.95, 1.05);
    }

    [Theory]
    [InlineData("embedding_0.weight", 100 + 128)]
    [InlineData("conv2d_2.weight", (32 + 64) * 3 * 3)]
    public void Glorot_normal_is_a_normal_distribution(string name, int fanInPlusFanOut)
    {
        // A uniform with the same std never exceeds √3 std; a normal does for 8.3 % of its values.
        var bound = Math.Sqrt(3) * Math.Sqrt(2.0 / fanInPlusFanOut);
        var beyond = Parameter(name).abs().gt(bound).to(ScalarType.Float32).mean().item<float>();
        Assert.InRange(beyond, 0.06, 0.11);
    }

    [Fact]
    public void TorchSharps_xavier_normal_draws_a_uniform_so_the_generator_spells_out_the_normal()
    {
        // When this fails, TorchSharp's xavier_normal_ has been fixed and the generated code could call it again.
        using var weight = empty(256, 256);
        nn.init.xavier_normal_(weight);
        var bound = Math.Sqrt(3) * Math.Sqrt(2.0 / (256 + 256));
        Assert.True(weight.abs().max().item<float>() <= bound * (1 + 1e-6));
    }

    [Theory]
    [InlineData("conv2d_transpose_3.weight", (64 + 32) * 4 * 4)]
    [InlineData("dense_5.weight", 512 + 64)]
    public void Glorot_uniform_stays_within_its_bound(string name, int fanInPlusFanOut)
    {
        var bound = Math.Sqrt(6.0 / fanInPlusFanOut);
        Assert.True(Parameter(name).abs().max().item<float>() <= bound * (1 + 1e-6));
    }

    [Theory]
    [InlineData("conv2d_2.bias")]
    [InlineData("conv2d_transpose_3.bias")]
    [InlineData("dense_5.bias")]
    public void Glorot_layers_start_with_zero_biases(string name) =>
        Assert.Equal(0, Parameter(name).abs().max().item<float>());

    [Fact]
    public void A_layer_without_init_keeps_TorchSharps_default()
    {
        // PyTorch's Linear: weights and biases uniform in ±1/√fan_in.
        var bound = 1 / Math.Sqrt(64);
        var largestBias = Parameter("dense_6.bias").abs().max().item<float>();
        Assert.InRange(largestBias, 1e-6, bound);
        Assert.True(Parameter("dense_6.weight").abs().max().item<float>() <= bound);
    }

    [Fact]
    public void The_model_runs_with_its_compile_time_shapes()
    {
        _model.eval();
        using var output = _model.forward(tensor(new long[] { 3, 99 }));
        Assert.Equal([2, .. GlorotModel.OutputShape], output.shape);
        Assert.Equal(GlorotModel.ParameterCount, _model.parameters().Sum(p => p.numel()));
    }
}
