using ModelDsl;
using ModelDsl.Export;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.TestModels;

/// <summary>Keras' antirectifier: ReLU(x) and ReLU(−x) side by side, doubling the features.</summary>
[ShapeRule("F", "2 * F")]
public sealed class AntirectifierAttribute : CustomLayerAttribute
{
    public override nn.Module<Tensor, Tensor> CreateModule(long[] inputShape) => new Antirectifier();

    private sealed class Antirectifier() : nn.Module<Tensor, Tensor>(nameof(Antirectifier)), IOnnxLayer
    {
        private const double Epsilon = 1e-12;  // normalize's floor on the norm

        public override Tensor forward(Tensor input)
        {
            var centred = input - input.mean([1], keepdim: true);
            var unit = nn.functional.normalize(centred, dim: 1, eps: Epsilon);
            return cat([nn.functional.relu(unit), nn.functional.relu(-unit)], 1);
        }

        // The same computation as ONNX nodes: the export hook of a custom layer.
        public string WriteOnnx(IOnnxGraph graph, string input, string name)
        {
            var centred = graph.Node("Sub", [input, graph.Node("ReduceMean", [input], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))]);
            var norm = graph.Node("ReduceL2", [centred], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1));
            var floor = graph.Weight(name + ".epsilon", tensor(new[] { (float)Epsilon }));
            var unit = graph.Node("Div", [centred, graph.Node("Max", [norm, floor])]);
            return graph.Node("Concat", [graph.Node("Relu", [unit]), graph.Node("Relu", [graph.Node("Neg", [unit])])], OnnxAttribute.Int("axis", 1));
        }
    }
}

/// <summary>A custom layer with an argument and parameters: a learned per-channel scale that also pools by <c>factor</c>.</summary>
[ShapeRule("C, H, W", "C, H / factor, W / factor", Parameters = "C")]
public sealed class ScaledPoolAttribute(int factor) : CustomLayerAttribute
{
    public int Factor { get; } = factor;

    public override nn.Module<Tensor, Tensor> CreateModule(long[] inputShape) => new ScaledPool(inputShape[0], Factor);

    private sealed class ScaledPool : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Parameter scale;
        private readonly long _factor;

        public ScaledPool(long channels, long factor) : base(nameof(ScaledPool))
        {
            scale = nn.Parameter(ones(channels, 1, 1));
            _factor = factor;
            RegisterComponents();
        }

        public override Tensor forward(Tensor input) => nn.functional.avg_pool2d(input * scale, _factor);
    }
}

/// <summary>The Keras antirectifier example's network, shapes checked through the custom layer.</summary>
[Input(784)]
[Dense(256)] [Antirectifier] [Dropout(0.1)]
[Dense(256)] [Antirectifier] [Dropout(0.1)]
[Dense(10)] [Softmax]
[Output(10)]
public partial class AntirectifierModel;

[Input(3, 9, 9)]
[ScaledPool(2)] [Conv2D(4, 3)]
[Output(4, 2, 2)]
public partial class ScaledPoolModel;
