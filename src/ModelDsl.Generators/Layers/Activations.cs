using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;
using ModelDsl.Generators.Emit;

namespace ModelDsl.Generators.Layers;

/// <summary>An element-wise activation without arguments: shape unchanged, no parameters, one TorchSharp module.</summary>
/// <param name="TorchType">TorchSharp module type in <c>TorchSharp.Modules</c> (and factory in <c>torch.nn</c>).</param>
/// <param name="OverLastAxis">Softmax-like: normalises over the last axis, so a scalar per sample makes no sense.</param>
/// <param name="OnnxOperator">The ONNX operator (opset 17's Softmax and LogSoftmax normalise over one axis, as PyTorch's do).</param>
internal sealed record ActivationLayer(string Name, string SnakeName, string TorchType, string TorchArguments, bool OverLastAxis, string OnnxOperator) : Layer
{
    public override string Kind => Name;

    public override string KerasName => SnakeName;

    public override string? RequiredRank(int rank) => OverLastAxis ? RequireAxes(rank) : null;

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, $"global::TorchSharp.Modules.{TorchType}", $"global::TorchSharp.torch.nn.{TorchType}({TorchArguments})")];

    public override IReadOnlyList<string> OnnxSteps(Shape input, Shape output, string field) =>
        [OverLastAxis ? OnnxCode.Node(OnnxOperator, [OnnxCode.Input], OnnxCode.Int("axis", -1)) : OnnxCode.Node(OnnxOperator, [OnnxCode.Input])];
}

internal abstract class ActivationRule(string attributeName, string kerasName, string onnxOperator, string torchArguments = "", bool overLastAxis = false) : LayerRule
{
    public override string AttributeName => attributeName;

    public override Layer Parse(LayerArguments arguments) =>
        new ActivationLayer(KindOf(attributeName), kerasName, KindOf(attributeName), torchArguments, overLastAxis, onnxOperator);
}

internal sealed class ReLURule() : ActivationRule(nameof(ReLUAttribute), "re_lu", "Relu");

internal sealed class TanhRule() : ActivationRule(nameof(TanhAttribute), "tanh", "Tanh");

internal sealed class SigmoidRule() : ActivationRule(nameof(SigmoidAttribute), "sigmoid", "Sigmoid");

/// <summary>Softmax over the last axis (Keras' default axis).</summary>
internal sealed class SoftmaxRule() : ActivationRule(nameof(SoftmaxAttribute), "softmax", "Softmax", "dim: -1", overLastAxis: true);

internal sealed class LogSoftmaxRule() : ActivationRule(nameof(LogSoftmaxAttribute), "log_softmax", "LogSoftmax", "dim: -1", overLastAxis: true);
