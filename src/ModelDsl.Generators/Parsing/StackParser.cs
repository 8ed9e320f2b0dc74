using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Layers;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Parsing;

/// <summary>Turns one attributed class or partial method into a <see cref="StackParse"/>.</summary>
internal static class StackParser
{
    /// <summary>
    /// <see cref="Parse"/>, with an internal failure turned into MDSL0999 on the declaration: neither the generator
    /// (CS8785 would hide every model) nor the analyzer (AD0001) may throw.
    /// </summary>
    public static StackParse ParseSafely(ISymbol symbol, SyntaxNode node, KnownSymbols known, CancellationToken cancellationToken)
    {
        try
        {
            return Parse(symbol, node, known, cancellationToken);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(node), symbol.Name, exception.GetType().Name + ": " + exception.Message);
            return new StackParse(new TypeSpec(null, type.ToDisplayString(), EquatableArray<string>.Empty), null,
                new StackLocations(null, null, null, null, EquatableArray<LocationInfo>.Empty), new[] { diagnostic }.ToEquatableArray(), 0,
                new TypeUsability(Extensible: true, Constructible: true));
        }
    }

    /// <param name="symbol">The class or partial method that carries [Input] or [From].</param>
    /// <param name="node">Its declaration.</param>
    public static StackParse Parse(ISymbol symbol, SyntaxNode node, KnownSymbols known, CancellationToken cancellationToken)
    {
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        var diagnostics = new List<DiagnosticInfo>();
        var typeSpec = DescribeType(type, diagnostics);
        var method = symbol as IMethodSymbol;
        var attributes = symbol.GetAttributes()
            .Where(a => known.IsModelDslAttribute(a.AttributeClass))
            .OrderBy(a => a.ApplicationSyntaxReference?.SyntaxTree.FilePath)
            .ThenBy(a => a.ApplicationSyntaxReference?.Span.Start)
            .Select(a => new ParsedAttribute(a, known))
            .ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var operands = attributes.Count(a => a.Layer?.OperandStack is not null);
        var constructible = true;
        var stackMethod = method is null ? CheckClassForm(type, known, diagnostics, ref constructible) : CheckMethodForm(method, type, operands, known, diagnostics, ref constructible);
        var declaration = LocationInfo.From(Identifier(node));

        // Attributes split over partial declarations have no defined order.
        var owners = attributes.Select(a => a.Data.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent).Distinct().Count();
        if (owners > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersInSeveralDeclarations, declaration, symbol.Name));

        var emptyLocations = new StackLocations(declaration, null, null, null, EquatableArray<LocationInfo>.Empty);
        var order = node.SpanStart;
        var fatal = owners > 1 || stackMethod is null || typeSpec is null;
        // A failed stack on a usable declaration is still implemented (throwing), so no CS8795/CS1729 follows its MDSL error.
        var stub = typeSpec is null ? null
            : method is null ? (stackMethod is null ? null : new StackSpec(symbol.Name, null, null, null, EquatableArray<Layer>.Empty, null))
            : StubbableMethod(method) is { } signature ? new StackSpec(symbol.Name, signature, null, null, EquatableArray<Layer>.Empty, null)
            : null;
        // The compiler already reports attributes it cannot bind; a stack built from them would mislead.
        // An unusable type keys on its full display name, so it never joins a valid type of the same simple name.
        var usability = new TypeUsability(typeSpec is not null, constructible);
        if (fatal || !attributes.All(a => LayerArguments.IsWellFormed(a.Data)))
            return new StackParse(typeSpec ?? new TypeSpec(null, type.ToDisplayString(), EquatableArray<string>.Empty), null, emptyLocations, diagnostics.ToEquatableArray(), order, usability, stub);

        Shape? input = null, output = null;
        string? from = null;
        LocationInfo? inputLocation = null, fromLocation = null, outputLocation = null;
        var layers = new List<Layer>();
        var layerLocations = new List<LocationInfo>();
        var operandNames = method?.Parameters.Skip(1).Select(EscapedName).ToList() ?? [];
        var valid = true;
        foreach (var attribute in attributes)
        {
            var arguments = attribute.Arguments;
            var attributeClass = attribute.Data.AttributeClass!;
            if (known.IsInput(attributeClass))
            {
                inputLocation = arguments.AttributeLocation;
                input = ReadShape(arguments, "shape", arguments.Int("dtype") == (int)ModelDsl.DType.Int64, symbol.Name, "[Input]", diagnostics, ref valid);
            }
            else if (known.IsOutput(attributeClass))
            {
                outputLocation = arguments.AttributeLocation;
                output = ReadShape(arguments, "shape", false, symbol.Name, "[Output]", diagnostics, ref valid);
            }
            else if (known.IsFrom(attributeClass))
            {
                fromLocation = arguments.AttributeLocation;
                from = arguments.String("stack") ?? "";
            }
            else
            {
                var layer = attribute.Layer;
                if (layer is null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayer, arguments.AttributeLocation, attributeClass.Name));
                    valid = false;
                    continue;
                }
                foreach (var (parameter, problem) in layer.Problems())
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, arguments.LocationOf(parameter), layer.Display, problem));
                    valid = false;
                }
                if (layer.OperandStack is { } operandStack)
                {
                    if (method is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, arguments.AttributeLocation, layer.Display,
                            $"a class-level stack takes only its input: declare the stacks as partial methods, this one with one more Tensor parameter for the output of '{operandStack}'"));
                        valid = false;
                    }
                    else
                    {
                        // CheckMethodForm made sure there is one parameter per operand, in attribute order.
                        layer = layer.WithOperandParameter(operandNames[layers.Count(l => l.OperandStack is not null)]);
                    }
                }
                layers.Add(layer);
                layerLocations.Add(arguments.AttributeLocation ?? declaration!);
            }
        }

        if (input is not null && from is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InputAndFrom, fromLocation, symbol.Name));
            valid = false;
        }
        if (input is null && from is null)
            valid = false;

        var locations = new StackLocations(declaration, inputLocation, fromLocation, outputLocation, layerLocations.ToEquatableArray());
        var stack = valid ? new StackSpec(symbol.Name, stackMethod is StackMethod m && method is not null ? m : null, input, from, layers.ToEquatableArray(), output) : null;
        return new StackParse(typeSpec!, stack, locations, diagnostics.ToEquatableArray(), order, usability, stack is null ? stub : null);
    }

    private static Shape? ReadShape(LayerArguments arguments, string parameter, bool isInteger, string owner, string attribute, List<DiagnosticInfo> diagnostics, ref bool valid)
    {
        var descriptor = attribute == "[Input]" ? DiagnosticDescriptors.InvalidInput : DiagnosticDescriptors.InvalidOutput;
        if (arguments.IsNull(parameter))
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, arguments.LocationOf(parameter), owner, "give the per-sample shape, not null"));
            valid = false;
            return null;
        }
        var dims = arguments.Ints(parameter);
        var bad = dims.IndexOf(dims.FirstOrDefault(d => d < 1));
        if (bad >= 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, arguments.LocationOf(parameter, bad), owner, $"every dimension must be at least 1, not {dims[bad]}"));
            valid = false;
            return null;
        }
        var shape = new Shape(dims.Select(d => (long)d).ToEquatableArray(), isInteger);
        if (shape.ElementCount is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(descriptor, arguments.AttributeLocation, owner, $"{shape} has more elements per sample than a tensor can hold"));
            valid = false;
            return null;
        }
        return shape;
    }

    private static Location Identifier(SyntaxNode node) => node switch
    {
        TypeDeclarationSyntax type => type.Identifier.GetLocation(),
        MethodDeclarationSyntax method => method.Identifier.GetLocation(),
        _ => node.GetLocation(),
    };

    private static LocationInfo? IdentifierLocation(ISymbol symbol) =>
        LocationInfo.From(symbol.Locations.FirstOrDefault(l => l.IsInSource));

    /// <summary>Namespace and enclosing types; null (with a diagnostic) when the type cannot be extended.</summary>
    private static TypeSpec? DescribeType(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var ok = CheckExtensible(type, diagnostics);
        var containers = new List<string>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            ok &= CheckExtensible(outer, diagnostics);
            var keyword = outer.IsRecord ? (outer.IsValueType ? "record struct" : "record") : outer.IsValueType ? "struct" : outer.TypeKind == TypeKind.Interface ? "interface" : "class";
            containers.Insert(0, $"partial {keyword} {outer.Name}");
        }
        if (type.IsRecord || type.TypeKind != TypeKind.Class)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, IdentifierLocation(type), type.Name, type.IsRecord ? "a record" : "a " + type.TypeKind.ToString().ToLowerInvariant()));
            ok = false;
        }
        var ns = type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString();
        return ok ? new TypeSpec(ns, type.Name, containers.ToEquatableArray()) : null;
    }

    private static bool CheckExtensible(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var ok = true;
        // Generated code lives in another file, where a file-local type does not exist.
        if (type.IsFileLocal)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, IdentifierLocation(type), type.Name, "file-local"));
            ok = false;
        }
        if (type.IsGenericType)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedType, IdentifierLocation(type), type.Name, "generic"));
            ok = false;
        }
        var notPartial = type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .FirstOrDefault(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword));
        if (notPartial is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotPartial, LocationInfo.From(notPartial.Identifier.GetLocation()), type.Name));
            ok = false;
        }
        return ok;
    }

    /// <summary>A class-level stack: the generator supplies Module&lt;Tensor, Tensor&gt; as the base.</summary>
    private static StackMethod? CheckClassForm(INamedTypeSymbol type, KnownSymbols known, List<DiagnosticInfo> diagnostics, ref bool constructible)
    {
        var baseType = type.BaseType;
        // A struct's System.ValueType base is already covered by MDSL0019.
        var acceptable = type.IsValueType || baseType is null || baseType.SpecialType == SpecialType.System_Object || known.IsTensorModule(baseType);
        if (!acceptable)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, IdentifierLocation(type), type.Name,
                $"derives from {baseType!.ToDisplayString()}, but a class-level stack makes it a Module<Tensor, Tensor>: remove the base class, or declare the stacks as partial methods"));
            constructible = false;
            return null;
        }
        return CheckConstructor(type, diagnostics, ref constructible) ? new StackMethod("", "input") : null;
    }

    /// <summary>
    /// The partial method's declaration as the implementation must repeat it (the user's modifiers, fully
    /// qualified types), or null when no implementation can be generated for it (not a bodiless partial
    /// method, or generic: its constraints would have to be repeated too).
    /// </summary>
    private static StackMethod? StubbableMethod(IMethodSymbol method)
    {
        if (!method.IsPartialDefinition || HasOwnImplementation(method) || method.IsGenericMethod) return null;
        if (method.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is not MethodDeclarationSyntax syntax) return null;
        var modifiers = string.Join(" ", syntax.Modifiers.Select(m => m.Text));
        var returnType = (method.ReturnsByRef ? "ref " : method.ReturnsByRefReadonly ? "ref readonly " : "")
            + method.ReturnType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var parameters = method.Parameters.Select(p =>
            (p.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", RefKind.RefReadOnlyParameter => "ref readonly ", _ => "" })
            + p.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat) + " " + EscapedName(p));
        return new StackMethod($"{modifiers} {returnType} {method.Name}({string.Join(", ", parameters)})",
            method.Parameters.FirstOrDefault() is { } first ? EscapedName(first) : "input");
    }

    /// <summary>The parameter's name as code must write it: <c>@class</c> for a keyword.</summary>
    private static string EscapedName(IParameterSymbol parameter) =>
        SyntaxFacts.GetKeywordKind(parameter.Name) == SyntaxKind.None ? parameter.Name : "@" + parameter.Name;

    /// <param name="operands">How many [Multiply]/[Add] the stack has: each takes one more Tensor parameter.</param>
    private static StackMethod? CheckMethodForm(IMethodSymbol method, INamedTypeSymbol type, int operands, KnownSymbols known, List<DiagnosticInfo> diagnostics, ref bool constructible)
    {
        var location = IdentifierLocation(method);
        var problem =
            !method.IsPartialDefinition ? "it is not a partial method declaration"
            : HasOwnImplementation(method) ? "it already has a body"
            : method.IsStatic ? "it is static"
            : method.IsGenericMethod ? "it is generic"
            : method.Parameters.Length != 1 + operands || method.Parameters.Any(p => p.RefKind != RefKind.None || !known.IsTensor(p.Type))
                ? (operands == 0 ? "it must take exactly one Tensor" : $"it must take {1 + operands} Tensors: its input, then one per [Multiply] or [Add], in order")
            : !known.IsTensor(method.ReturnType) || method.ReturnsByRef || method.ReturnsByRefReadonly ? "it must return Tensor"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStackMethod, location, method.Name, problem));
            return null;
        }
        if (!KnownSymbols.DerivesFrom(type, known.Module))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, IdentifierLocation(type), type.Name,
                "declares stacks as partial methods, so it must derive from TorchSharp's Module<…> (e.g. Module<Tensor, Tensor>)"));
            constructible = false;
            return null;
        }
        if (!CheckConstructor(type, diagnostics, ref constructible)) return null;
        return StubbableMethod(method);
    }

    /// <summary>Whether the user gave the partial method a body (the analyzer also sees the generated one).</summary>
    private static bool HasOwnImplementation(IMethodSymbol method) =>
        method.PartialImplementationPart is { } implementation && !KnownSymbols.IsGeneratedByModelDsl(implementation);

    private static bool CheckConstructor(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics, ref bool constructible)
    {
        var declared = type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared && !KnownSymbols.IsGeneratedByModelDsl(c));
        if (declared is null) return true;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, IdentifierLocation(declared), type.Name));
        constructible = false;
        return false;
    }
}

/// <summary>A ModelDsl attribute with its arguments and, for a layer, the layer its rule (or [ShapeRule]) parses.</summary>
internal sealed class ParsedAttribute
{
    public ParsedAttribute(AttributeData data, KnownSymbols known)
    {
        Data = data;
        Arguments = new LayerArguments(data);
        var attributeClass = data.AttributeClass;
        var isStackAttribute = known.IsInput(attributeClass) || known.IsFrom(attributeClass) || known.IsOutput(attributeClass);
        Layer = isStackAttribute ? null : known.RuleFor(attributeClass)?.Parse(Arguments) ?? CustomLayer.TryParse(data, known);
    }

    public AttributeData Data { get; }

    public LayerArguments Arguments { get; }

    /// <summary>The layer; null for [Input]/[From]/[Output] and for a layer attribute no rule knows.</summary>
    public Layer? Layer { get; }
}
