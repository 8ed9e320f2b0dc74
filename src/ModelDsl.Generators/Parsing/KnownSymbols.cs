using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators.Layers;

namespace ModelDsl.Generators.Parsing;

/// <summary>
/// The types ModelDsl recognises, resolved once per compilation, so that parsing compares symbols instead of
/// display strings. A type the compilation lacks (e.g. no TorchSharp reference) is null and matches nothing.
/// </summary>
internal sealed class KnownSymbols
{
    public const string Namespace = nameof(ModelDsl);
    public const string InputAttributeName = Namespace + "." + nameof(ModelDsl.InputAttribute);
    public const string FromAttributeName = Namespace + "." + nameof(ModelDsl.FromAttribute);
    public const string OutputAttributeName = Namespace + "." + nameof(ModelDsl.OutputAttribute);
    private const string LayerAttributeName = Namespace + "." + nameof(ModelDsl.LayerAttribute);
    private const string ShapeRuleAttributeName = Namespace + "." + nameof(ModelDsl.ShapeRuleAttribute);
    // In ModelDsl.Runtime, which the generator cannot reference (it depends on TorchSharp).
    private const string CustomLayerAttributeName = Namespace + ".CustomLayerAttribute";
    private const string TensorName = "TorchSharp.torch+Tensor";
    private const string ModuleName = "TorchSharp.torch+nn+Module";
    private const string GenericModuleName = "TorchSharp.torch+nn+Module`2";

    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> s_byCompilation = new();

    private readonly Dictionary<INamedTypeSymbol, LayerRule> _rules;

    /// <summary>
    /// The known symbols of <paramref name="compilation"/>, resolved on first use: the generator parses each attributed
    /// declaration separately, and they share one compilation.
    /// </summary>
    public static KnownSymbols Of(Compilation compilation) => s_byCompilation.GetValue(compilation, c => new KnownSymbols(c));

    private KnownSymbols(Compilation compilation)
    {
        InputAttribute = compilation.GetTypeByMetadataName(InputAttributeName);
        FromAttribute = compilation.GetTypeByMetadataName(FromAttributeName);
        OutputAttribute = compilation.GetTypeByMetadataName(OutputAttributeName);
        LayerAttribute = compilation.GetTypeByMetadataName(LayerAttributeName);
        ShapeRuleAttribute = compilation.GetTypeByMetadataName(ShapeRuleAttributeName);
        CustomLayerAttribute = compilation.GetTypeByMetadataName(CustomLayerAttributeName);
        Tensor = compilation.GetTypeByMetadataName(TensorName);
        Module = compilation.GetTypeByMetadataName(ModuleName);
        GenericModule = compilation.GetTypeByMetadataName(GenericModuleName);
        _rules = new Dictionary<INamedTypeSymbol, LayerRule>(SymbolEqualityComparer.Default);
        foreach (var rule in LayerRule.All)
            if (compilation.GetTypeByMetadataName(rule.AttributeMetadataName) is { } attribute)
                _rules[attribute] = rule;
    }

    public INamedTypeSymbol? InputAttribute { get; }
    public INamedTypeSymbol? FromAttribute { get; }
    public INamedTypeSymbol? OutputAttribute { get; }
    public INamedTypeSymbol? LayerAttribute { get; }
    public INamedTypeSymbol? ShapeRuleAttribute { get; }
    public INamedTypeSymbol? CustomLayerAttribute { get; }
    public INamedTypeSymbol? Tensor { get; }
    public INamedTypeSymbol? Module { get; }
    public INamedTypeSymbol? GenericModule { get; }

    /// <summary>The built-in rule of a layer attribute, or null for a custom (or unknown) layer.</summary>
    public LayerRule? RuleFor(INamedTypeSymbol? attribute) =>
        attribute is not null && _rules.TryGetValue(attribute, out var rule) ? rule : null;

    public bool IsInput(INamedTypeSymbol? type) => Is(type, InputAttribute);
    public bool IsFrom(INamedTypeSymbol? type) => Is(type, FromAttribute);
    public bool IsOutput(INamedTypeSymbol? type) => Is(type, OutputAttribute);
    public bool IsTensor(ITypeSymbol? type) => Is(type, Tensor);

    /// <summary>[Input], [From], [Output] or a layer (any class deriving from LayerAttribute).</summary>
    public bool IsModelDslAttribute(INamedTypeSymbol? attribute) =>
        attribute is not null && (IsInput(attribute) || IsFrom(attribute) || IsOutput(attribute) || DerivesFrom(attribute, LayerAttribute));

    public static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol? baseType)
    {
        if (baseType is null) return false;
        for (var current = type.BaseType; current is not null; current = current.BaseType)
            if (Is(current.OriginalDefinition, baseType)) return true;
        return false;
    }

    /// <summary>Whether <paramref name="type"/> is TorchSharp's Module&lt;Tensor, Tensor&gt;.</summary>
    public bool IsTensorModule(INamedTypeSymbol type) =>
        Is(type.OriginalDefinition, GenericModule) && type.TypeArguments.All(IsTensor);

    /// <summary>
    /// Whether <paramref name="symbol"/> is declared only in ModelDsl's own output (its generated constructor or a stack
    /// method's implementation). The generator never sees that output, but the analyzer does, and must not take it
    /// for the user's. Generated files lie under a folder named after the generator type, whatever the host.
    /// </summary>
    public static bool IsGeneratedByModelDsl(ISymbol symbol) =>
        symbol.DeclaringSyntaxReferences.Length > 0
        && symbol.DeclaringSyntaxReferences.All(r => IsModelDslOutput(r.SyntaxTree));

    public static bool IsModelDslOutput(SyntaxTree tree) =>
        tree.FilePath.Replace('\\', '/').Contains("/" + GeneratorTypeName + "/");

    private const string GeneratorTypeName = nameof(ModelDsl) + "." + nameof(Generators) + "." + nameof(ModelGenerator);

    private static bool Is(ITypeSymbol? type, ITypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
