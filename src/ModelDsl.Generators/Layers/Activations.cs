using System.Collections.Generic;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators.Layers;

/// <summary>An element-wise activation: shape unchanged, no parameters, one TorchSharp module.</summary>
internal abstract record ActivationLayer : Layer
{
    /// <summary>TorchSharp module type in <c>TorchSharp.Modules</c>.</summary>
    protected abstract string TorchType { get; }

    protected virtual string TorchArguments => "";

    public override ShapeResult Apply(Shape input) => ShapeResult.Ok(input);

    public override IReadOnlyList<ModuleCode> Modules(Shape input, string field) =>
        [new ModuleCode(field, $"global::TorchSharp.Modules.{TorchType}", $"global::TorchSharp.torch.nn.{TorchType}({TorchArguments})")];
}

internal sealed class ReLURule : LayerRule
{
    public override string AttributeName => "ReLUAttribute";

    public override Layer Parse(LayerArguments arguments) => new ReLULayer();
}

internal sealed record ReLULayer : ActivationLayer
{
    public override string Kind => "ReLU";
    public override string KerasName => "re_lu";
    protected override string TorchType => "ReLU";
}

internal sealed class LeakyReLURule : LayerRule
{
    public override string AttributeName => "LeakyReLUAttribute";

    public override Layer Parse(LayerArguments arguments) => new LeakyReLULayer(arguments.Double("slope", 0.01));
}

internal sealed record LeakyReLULayer(double Slope) : ActivationLayer
{
    public override string Kind => "LeakyReLU";
    public override string KerasName => "leaky_re_lu";
    protected override string TorchType => "LeakyReLU";
    protected override string TorchArguments => $"negative_slope: {Number(Slope)}";

    protected override IReadOnlyList<string> Arguments() => [Number(Slope)];

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (!(Slope >= 0) || double.IsInfinity(Slope)) yield return ("slope", $"slope must be a finite non-negative number, not {Number(Slope)}");
    }
}

internal sealed class TanhRule : LayerRule
{
    public override string AttributeName => "TanhAttribute";

    public override Layer Parse(LayerArguments arguments) => new TanhLayer();
}

internal sealed record TanhLayer : ActivationLayer
{
    public override string Kind => "Tanh";
    public override string KerasName => "tanh";
    protected override string TorchType => "Tanh";
}

internal sealed class SigmoidRule : LayerRule
{
    public override string AttributeName => "SigmoidAttribute";

    public override Layer Parse(LayerArguments arguments) => new SigmoidLayer();
}

internal sealed record SigmoidLayer : ActivationLayer
{
    public override string Kind => "Sigmoid";
    public override string KerasName => "sigmoid";
    protected override string TorchType => "Sigmoid";
}

internal sealed class SoftmaxRule : LayerRule
{
    public override string AttributeName => "SoftmaxAttribute";

    public override Layer Parse(LayerArguments arguments) => new SoftmaxLayer();
}

/// <summary>Softmax over the last axis (Keras' default axis).</summary>
internal sealed record SoftmaxLayer : ActivationLayer
{
    public override string Kind => "Softmax";
    public override string KerasName => "softmax";
    protected override string TorchType => "Softmax";
    protected override string TorchArguments => "dim: -1";

    public override string? RequiredRank(int rank) => RequireAxes(rank);
}

internal sealed class LogSoftmaxRule : LayerRule
{
    public override string AttributeName => "LogSoftmaxAttribute";

    public override Layer Parse(LayerArguments arguments) => new LogSoftmaxLayer();
}

internal sealed record LogSoftmaxLayer : ActivationLayer
{
    public override string Kind => "LogSoftmax";
    public override string KerasName => "log_softmax";
    protected override string TorchType => "LogSoftmax";
    protected override string TorchArguments => "dim: -1";

    public override string? RequiredRank(int rank) => RequireAxes(rank);
}
