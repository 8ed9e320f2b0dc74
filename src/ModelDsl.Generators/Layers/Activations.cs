using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators.Layers;

/// <summary>An element-wise activation without arguments: shape unchanged, no parameters, one TorchSharp module.</summary>
/// <param name="TorchType">TorchSharp module type in <c>TorchSharp.Modules</c> (and factory in <c>torch.nn</c>).</param>
/// <param name="OverLastAxis">Softmax-like: normalises over the last axis, so a scalar per sample makes no sense.</param>
internal sealed record ActivationLayer(string Name, string SnakeName, string TorchType, string TorchArguments, bool OverLastAxis) : Layer
{
    public override string Kind => Name;

    public override string KerasName => SnakeName;

    public override string? RequiredRank(int rank) => OverLastAxis ? RequireAxes(rank) : null;

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, $"global::TorchSharp.Modules.{TorchType}", $"global::TorchSharp.torch.nn.{TorchType}({TorchArguments})")];
}

internal abstract class ActivationRule(string kind, string kerasName, string torchArguments = "", bool overLastAxis = false) : LayerRule
{
    public override string AttributeName => kind + "Attribute";

    public override Layer Parse(LayerArguments arguments) => new ActivationLayer(kind, kerasName, kind, torchArguments, overLastAxis);
}

internal sealed class ReLURule() : ActivationRule("ReLU", "re_lu");

internal sealed class TanhRule() : ActivationRule("Tanh", "tanh");

internal sealed class SigmoidRule() : ActivationRule("Sigmoid", "sigmoid");

/// <summary>Softmax over the last axis (Keras' default axis).</summary>
internal sealed class SoftmaxRule() : ActivationRule("Softmax", "softmax", "dim: -1", overLastAxis: true);

internal sealed class LogSoftmaxRule() : ActivationRule("LogSoftmax", "log_softmax", "dim: -1", overLastAxis: true);
