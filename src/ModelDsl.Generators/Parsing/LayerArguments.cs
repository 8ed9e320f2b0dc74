using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Parsing;

/// <summary>
/// Reads an attribute's constructor arguments by parameter name and finds the syntax of each argument, so
/// problems are reported on the argument the user wrote. Defaults are the attribute's own: the compiler fills
/// in the chosen constructor's, and a parameter only another overload declares (e.g. outputPadding beside
/// Padding.Same) has that overload's default. Reading a parameter no constructor declares is a bug in a rule
/// and throws (the generator turns it into MDSL0999; the catalog test finds it first).
/// </summary>
internal sealed class LayerArguments
{
    private readonly AttributeData _attribute;
    private readonly AttributeSyntax? _syntax;
    private readonly ImmutableArray<IParameterSymbol> _parameters;
    private readonly HashSet<string> _read = new();

    public LayerArguments(AttributeData attribute)
    {
        _attribute = attribute;
        _syntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        _parameters = attribute.AttributeConstructor?.Parameters ?? ImmutableArray<IParameterSymbol>.Empty;
    }

    /// <summary>The parameters read so far, for the catalog test (every parameter is read, none that does not exist).</summary>
    public IReadOnlyCollection<string> ReadParameters => _read;

    /// <summary>Whether the chosen constructor declares <paramref name="parameter"/> as an enum (e.g. <c>Padding</c>).</summary>
    public bool IsEnum(string parameter)
    {
        var index = Read(parameter);
        return index >= 0 && _parameters[index].Type.TypeKind == TypeKind.Enum;
    }

    /// <summary>A convolution's <c>padding</c>: a number, or Keras' Padding.Same/Valid.</summary>
    public (int Padding, Layers.PaddingMode Mode) Padding() =>
        !IsEnum("padding") ? (Int("padding"), Layers.PaddingMode.Explicit)
        : Int("padding") switch
        {
            (int)TorchSharp.Padding.Valid => (0, Layers.PaddingMode.Valid),
            (int)TorchSharp.Padding.Same => (0, Layers.PaddingMode.Same),
            _ => (0, Layers.PaddingMode.Undefined),
        };

    /// <summary>A weighted layer's <c>init</c> (ModelDsl.Init; any value, undefined ones are reported by the layer).</summary>
    public Layers.WeightInit Init() => (Layers.WeightInit)Int("init");

    /// <summary>An integer (or enum) argument; 0 when the compiler could not give a value.</summary>
    public int Int(string parameter) => Value(parameter) is int value ? value : 0;

    /// <summary>A boolean argument; false when the compiler could not give a value.</summary>
    public bool Bool(string parameter) => Value(parameter) is true;

    public double Double(string parameter) => Value(parameter) switch
    {
        double value => value,
        float value => value,
        int value => value,
        _ => 0,
    };

    public string? String(string parameter) => Value(parameter) as string;

    public ImmutableArray<int> Ints(string parameter)
    {
        var index = Read(parameter);
        if (index < 0 || index >= _attribute.ConstructorArguments.Length) return ImmutableArray<int>.Empty;
        var argument = _attribute.ConstructorArguments[index];
        return argument.Kind == TypedConstantKind.Array && !argument.IsNull
            ? argument.Values.Select(v => v.Value is int i ? i : 0).ToImmutableArray()
            : ImmutableArray<int>.Empty;
    }

    /// <summary>Whether <paramref name="parameter"/> was given as null (e.g. a params array passed as null).</summary>
    public bool IsNull(string parameter)
    {
        var index = Read(parameter);
        return index >= 0 && index < _attribute.ConstructorArguments.Length && _attribute.ConstructorArguments[index].IsNull;
    }

    private object? Value(string parameter)
    {
        var index = Read(parameter);
        if (index < 0) return DefaultElsewhere(parameter);
        return index < _attribute.ConstructorArguments.Length ? _attribute.ConstructorArguments[index].Value : null;
    }

    /// <summary>The index of <paramref name="parameter"/> in the chosen constructor (-1 when another overload declares it).</summary>
    private int Read(string parameter)
    {
        _read.Add(parameter);
        var index = IndexOf(parameter);
        if (index < 0 && !Constructors.Any(c => c.Parameters.Any(p => p.Name == parameter)))
            throw new InvalidOperationException($"no constructor of {_attribute.AttributeClass?.Name} declares the parameter '{parameter}' its rule reads");
        return index;
    }

    private IEnumerable<IMethodSymbol> Constructors => _attribute.AttributeClass?.InstanceConstructors ?? Enumerable.Empty<IMethodSymbol>();

    private object? DefaultElsewhere(string parameter) =>
        Constructors.SelectMany(c => c.Parameters).FirstOrDefault(p => p.Name == parameter && p.HasExplicitDefaultValue)?.ExplicitDefaultValue;

    private int IndexOf(string parameter)
    {
        for (var i = 0; i < _parameters.Length; i++)
            if (_parameters[i].Name == parameter) return i;
        return -1;
    }

    /// <summary>
    /// The argument the user wrote for <paramref name="parameter"/>, else the whole attribute. A params array
    /// written as separate values spans them all, or only the value at <paramref name="element"/> when given.
    /// </summary>
    public LocationInfo? LocationOf(string parameter, int? element = null)
    {
        var whole = LocationInfo.From(_syntax);
        var index = IndexOf(parameter);
        if (_syntax?.ArgumentList is not { } list || index < 0) return whole;
        var named = list.Arguments.FirstOrDefault(a => a.NameColon?.Name.Identifier.ValueText == parameter);
        if (named is not null) return LocationInfo.From(named);
        // Positional arguments fill parameters in order; an expanded params array takes all the rest.
        var values = list.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).Skip(index).ToList();
        if (values.Count == 0) return whole;
        if (values.Count == 1 || !_parameters[index].IsParams) return LocationInfo.From(values[0]);
        if (element is { } at) return at < values.Count ? LocationInfo.From(values[at]) : whole;
        return LocationInfo.From(Location.Create(_syntax.SyntaxTree, TextSpan.FromBounds(values[0].SpanStart, values[values.Count - 1].Span.End)));
    }

    public LocationInfo? AttributeLocation => LocationInfo.From(_syntax);

    /// <summary>Whether the compiler could bind the attribute and all its arguments to constants.</summary>
    public static bool IsWellFormed(AttributeData attribute) =>
        attribute.AttributeConstructor is not null
        && attribute.ConstructorArguments.All(IsWellFormed)
        && attribute.NamedArguments.All(n => IsWellFormed(n.Value));

    private static bool IsWellFormed(TypedConstant constant) =>
        constant.Kind != TypedConstantKind.Error
        && (constant.Kind != TypedConstantKind.Array || constant.IsNull || constant.Values.All(IsWellFormed));

}
