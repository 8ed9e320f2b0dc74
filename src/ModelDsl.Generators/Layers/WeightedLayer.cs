using System;
using System.Collections.Generic;
using System.Globalization;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Layers;

/// <summary>How a layer's weights start: ModelDsl.Init's members and values (any other value is reported).</summary>
internal enum WeightInit
{
    Default = (int)ModelDsl.Init.Default,
    GlorotNormal = (int)ModelDsl.Init.GlorotNormal,
    GlorotUniform = (int)ModelDsl.Init.GlorotUniform,
}

/// <summary>
/// A layer with a weight tensor (Dense, convolutions, Embedding): its <c>init:</c> and <c>useBias:</c> arguments, and
/// the constructor statements that apply the initialisation to its module, TorchSharp's <c>torch.nn.init</c> functions.
/// </summary>
internal abstract record WeightedLayer : Layer
{
    public WeightInit Init { get; init; }

    /// <summary>The <c>useBias:</c> argument of Dense and the convolutions (Embedding has none and never sets it).</summary>
    public bool UseBias { get; init; } = true;

    /// <summary>The weight's fan_in and fan_out for <paramref name="input"/>; Keras and PyTorch agree on their sum, which is all Glorot uses.</summary>
    protected abstract (long In, long Out) Fans(Shape input);

    /// <summary>Whether the module has a bias, which Glorot initialisation sets to zero as Keras does.</summary>
    protected virtual bool HasBias => UseBias;

    /// <summary>The bias's parameters for <paramref name="outputs"/> output features or channels: none without one.</summary>
    protected long BiasParameters(long outputs) => HasBias ? outputs : 0;

    /// <summary>The arguments written before <c>init:</c>, in canonical form.</summary>
    protected abstract IReadOnlyList<string> ArgumentsBeforeInit();

    protected sealed override IReadOnlyList<string> Arguments()
    {
        var arguments = new List<string>(ArgumentsBeforeInit());
        if (Init != WeightInit.Default) arguments.Add("init: " + InitText);
        if (!UseBias) arguments.Add("useBias: false");
        return arguments;
    }

    // A negative value needs parentheses to stay a cast, so the text can be pasted back (code fixes do).
    private string InitText => Enum.IsDefined(typeof(WeightInit), Init) ? $"Init.{Init}" : (int)Init < 0 ? $"(Init)({(int)Init})" : $"(Init){(int)Init}";

    public override IEnumerable<(string Parameter, string Problem)> Problems()
    {
        if (!Enum.IsDefined(typeof(WeightInit), Init))
            yield return ("init", $"init must be Init.Default, Init.GlorotNormal or Init.GlorotUniform, not the undefined value {InitText}");
    }

    /// <summary><paramref name="module"/> (the one holding the weight) with the statements that initialise it.</summary>
    protected ModuleCode Initialized(ModuleCode module, Shape input)
    {
        if (Init is not (WeightInit.GlorotNormal or WeightInit.GlorotUniform)) return module;
        var (fanIn, fanOut) = Fans(input);
        var bias = HasBias ? "; bias zero, as in Keras" : "";
        var statements = Init == WeightInit.GlorotNormal
            ? new List<string>
            {
                // TorchSharp 0.107's xavier_normal_ draws from a uniform distribution (of the same std), so the normal is spelled out.
                $"// Glorot normal: N(0, std²), std = √(2 / (fan_in + fan_out)) ≈ {Rounded(Math.Sqrt(2.0 / (fanIn + fanOut)))}{bias}",
                $"global::TorchSharp.torch.nn.init.normal_({module.Field}.weight, mean: 0, std: global::System.Math.Sqrt(2.0 / ({fanIn} + {fanOut})));",
            }
            : new List<string>
            {
                $"// Glorot uniform: U(±√(6 / (fan_in + fan_out))) ≈ U(±{Rounded(Math.Sqrt(6.0 / (fanIn + fanOut)))}){bias}",
                $"global::TorchSharp.torch.nn.init.xavier_uniform_({module.Field}.weight);",
            };
        if (HasBias) statements.Add($"global::TorchSharp.torch.nn.init.zeros_({module.Field}.bias!);");
        return module with { Initialization = statements };
    }

    private static string Rounded(double value) => value.ToString("G3", CultureInfo.InvariantCulture);
}
