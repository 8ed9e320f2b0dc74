using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Parsing;

/// <summary>
/// Reads an attribute's constructor arguments by parameter name (defaults included) and finds the
/// syntax of each argument, so problems are reported on the argument the user wrote.
/// </summary>
internal sealed class LayerArguments
{
    private readonly AttributeData _attribute;
    private readonly AttributeSyntax? _syntax;
    private readonly ImmutableArray<IParameterSymbol> _parameters;

    public LayerArguments(AttributeData attribute)
    {
        _attribute = attribute;
        _syntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        _parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
    }

    public bool Has(string parameter) => IndexOf(parameter) >= 0;

    /// <summary>Whether the chosen constructor declares <paramref name="parameter"/> as an enum (e.g. <c>Padding</c>).</summary>
    public bool IsEnum(string parameter)
    {
        var index = IndexOf(parameter);
        return index >= 0 && _parameters[index].Type.TypeKind == TypeKind.Enum;
    }

    /// <summary>A convolution's <c>padding</c>: a number, or Keras' Padding.Same/Valid.</summary>
    public (int Padding, Layers.PaddingMode Mode) Padding() =>
        IsEnum("padding") ? (0, (Layers.PaddingMode)Int("padding")) : (Int("padding"), Layers.PaddingMode.Explicit);

    public int Int(string parameter, int fallback = 0) => Value(parameter) is int value ? value : fallback;

    public double Double(string parameter, double fallback = 0) => Value(parameter) switch
    {
        double value => value,
        float value => value,
        int value => value,
        _ => fallback,
    };

    public string? String(string parameter) => Value(parameter) as string;

    public ImmutableArray<int> Ints(string parameter)
    {
        var index = IndexOf(parameter);
        if (index < 0 || index >= _attribute.ConstructorArguments.Length) return ImmutableArray<int>.Empty;
        var argument = _attribute.ConstructorArguments[index];
        return argument.Kind == TypedConstantKind.Array
            ? argument.Values.Select(v => v.Value is int i ? i : 0).ToImmutableArray()
            : ImmutableArray<int>.Empty;
    }

    private object? Value(string parameter)
    {
        var index = IndexOf(parameter);
        return index >= 0 && index < _attribute.ConstructorArguments.Length ? _attribute.ConstructorArguments[index].Value : null;
    }

    private int IndexOf(string parameter)
    {
        for (var i = 0; i < _parameters.Length; i++)
            if (_parameters[i].Name == parameter) return i;
        return -1;
    }

    /// <summary>The argument the user wrote for <paramref name="parameter"/>, else the whole attribute.</summary>
    public LocationInfo? LocationOf(string parameter)
    {
        var whole = LocationInfo.From(_syntax);
        var index = IndexOf(parameter);
        if (_syntax?.ArgumentList is not { } list || index < 0) return whole;
        var positional = 0;
        foreach (var argument in list.Arguments)
        {
            if (argument.NameEquals is not null) continue;
            if (argument.NameColon is { } nameColon)
            {
                if (nameColon.Name.Identifier.ValueText == parameter) return LocationInfo.From(argument);
                continue;
            }
            // Positional arguments fill parameters in order (a params array starts at its own index).
            if (positional == index) return LocationInfo.From(argument);
            positional++;
        }
        return whole;
    }

    public LocationInfo? AttributeLocation => LocationInfo.From(_syntax);

    /// <summary>Whether the compiler could bind the attribute and all its arguments to constants.</summary>
    public static bool IsWellFormed(AttributeData attribute) =>
        attribute.AttributeConstructor is not null
        && attribute.ConstructorArguments.All(IsWellFormed)
        && attribute.NamedArguments.All(n => IsWellFormed(n.Value));

    private static bool IsWellFormed(TypedConstant constant) =>
        constant.Kind != TypedConstantKind.Error
        && (constant.Kind != TypedConstantKind.Array || (!constant.IsNull && constant.Values.All(IsWellFormed)));

}
