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
    public const string InputAttribute = "ModelDsl.InputAttribute";
    public const string FromAttribute = "ModelDsl.FromAttribute";
    public const string OutputAttribute = "ModelDsl.OutputAttribute";
    public const string LayerAttribute = "ModelDsl.LayerAttribute";
    private const string TensorType = "TorchSharp.torch.Tensor";
    private const string ModuleType = "TorchSharp.torch.nn.Module";

    public static StackParse Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var symbol = context.TargetSymbol;
        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        var diagnostics = new List<DiagnosticInfo>();
        var typeSpec = DescribeType(type, diagnostics);
        var method = symbol as IMethodSymbol;
        var attributes = symbol.GetAttributes()
            .Where(a => IsModelDslAttribute(a.AttributeClass))
            .OrderBy(a => a.ApplicationSyntaxReference?.SyntaxTree.FilePath)
            .ThenBy(a => a.ApplicationSyntaxReference?.Span.Start)
            .ToList();
        cancellationToken.ThrowIfCancellationRequested();
        var operands = attributes.Count(a => LayerRule.ForAttribute(a.AttributeClass!.ToDisplayString())?.TakesOperand == true);
        var stackMethod = method is null ? CheckClassForm(type, diagnostics) : CheckMethodForm(method, type, operands, diagnostics);
        var declaration = LocationInfo.From(Identifier(context.TargetNode));

        // Attributes split over partial declarations have no defined order.
        var owners = attributes.Select(a => a.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent).Distinct().Count();
        if (owners > 1)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.LayersInSeveralDeclarations, declaration, symbol.Name));

        var emptyLocations = new StackLocations(declaration, null, null, null, EquatableArray<LocationInfo>.Empty);
        var order = context.TargetNode.SpanStart;
        var fatal = owners > 1 || stackMethod is null || typeSpec is null;
        // A failed stack on a usable declaration is still implemented (throwing), so no CS8795/CS1729 follows its MDSL error.
        var stub = typeSpec is null ? null
            : method is null ? (stackMethod is null ? null : new StackSpec(symbol.Name, null, null, null, EquatableArray<Layer>.Empty, null))
            : StubbableMethod(method) is { } signature ? new StackSpec(symbol.Name, signature, null, null, EquatableArray<Layer>.Empty, null)
            : null;
        // The compiler already reports attributes it cannot bind; a stack built from them would mislead.
        // An unusable type keys on its full display name, so it never joins a valid type of the same simple name.
        if (fatal || !attributes.All(LayerArguments.IsWellFormed))
            return new StackParse(typeSpec ?? new TypeSpec(null, type.ToDisplayString(), EquatableArray<string>.Empty), null, emptyLocations, diagnostics.ToEquatableArray(), order, stub);

        Shape? input = null, output = null;
        string? from = null;
        LocationInfo? inputLocation = null, fromLocation = null, outputLocation = null;
        var layers = new List<Layer>();
        var layerLocations = new List<LocationInfo>();
        var operandNames = method?.Parameters.Skip(1).Select(EscapedName).ToList() ?? [];
        var valid = true;
        foreach (var attribute in attributes)
        {
            var arguments = new LayerArguments(attribute);
            var name = attribute.AttributeClass!.ToDisplayString();
            switch (name)
            {
                case InputAttribute:
                    inputLocation = arguments.AttributeLocation;
                    input = ReadShape(arguments, "shape", arguments.IsEnum("dtype") && arguments.Int("dtype") == 1, symbol.Name, "[Input]", diagnostics, ref valid);
                    break;
                case OutputAttribute:
                    outputLocation = arguments.AttributeLocation;
                    output = ReadShape(arguments, "shape", false, symbol.Name, "[Output]", diagnostics, ref valid);
                    break;
                case FromAttribute:
                    fromLocation = arguments.AttributeLocation;
                    from = arguments.String("stack") ?? "";
                    break;
                default:
                    var rule = LayerRule.ForAttribute(name);
                    var layer = rule?.Parse(arguments) ?? CustomLayer.TryParse(attribute);
                    if (layer is null)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownLayer, arguments.AttributeLocation, attribute.AttributeClass.Name));
                        valid = false;
                        break;
                    }
                    foreach (var (parameter, problem) in layer.Problems())
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, arguments.LocationOf(parameter), layer.Display, problem));
                        valid = false;
                    }
                    if (layer is ElementWiseLayer combination)
                    {
                        if (method is null)
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidArgument, arguments.AttributeLocation, layer.Display,
                                $"a class-level stack takes only its input: declare the stacks as partial methods, this one with one more Tensor parameter for the output of '{combination.Stack}'"));
                            valid = false;
                        }
                        else
                        {
                            // CheckMethodForm made sure there is one parameter per operand, in attribute order.
                            layer = combination with { Operand = operandNames[layers.Count(l => l is ElementWiseLayer)] };
                        }
                    }
                    layers.Add(layer);
                    layerLocations.Add(arguments.AttributeLocation ?? declaration!);
                    break;
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
        return new StackParse(typeSpec!, stack, locations, diagnostics.ToEquatableArray(), order, stack is null ? stub : null);
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

    public static bool IsModelDslAttribute(INamedTypeSymbol? attribute)
    {
        if (attribute is null) return false;
        var name = attribute.ToDisplayString();
        if (name is InputAttribute or FromAttribute or OutputAttribute) return true;
        for (var type = attribute.BaseType; type is not null; type = type.BaseType)
            if (type.ToDisplayString() == LayerAttribute) return true;
        return false;
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
    private static StackMethod? CheckClassForm(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var baseType = type.BaseType;
        // A struct's System.ValueType base is already covered by MDSL0019.
        var acceptable = type.IsValueType || baseType is null || baseType.SpecialType == SpecialType.System_Object
            || (baseType.OriginalDefinition.ToDisplayString().StartsWith(ModuleType + "<", System.StringComparison.Ordinal)
                && baseType.TypeArguments.Length == 2 && baseType.TypeArguments.All(t => t.ToDisplayString() == TensorType));
        if (!acceptable)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, IdentifierLocation(type), type.Name,
                $"derives from {baseType!.ToDisplayString()}, but a class-level stack makes it a Module<Tensor, Tensor>: remove the base class, or declare the stacks as partial methods"));
            return null;
        }
        return CheckConstructor(type, diagnostics) ? new StackMethod("", "input") : null;
    }

    /// <summary>
    /// The partial method's declaration as the implementation must repeat it (the user's modifiers, fully
    /// qualified types), or null when no implementation can be generated for it (not a bodiless partial
    /// method, or generic: its constraints would have to be repeated too).
    /// </summary>
    private static StackMethod? StubbableMethod(IMethodSymbol method)
    {
        if (!method.IsPartialDefinition || method.PartialImplementationPart is not null || method.IsGenericMethod) return null;
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
    private static StackMethod? CheckMethodForm(IMethodSymbol method, INamedTypeSymbol type, int operands, List<DiagnosticInfo> diagnostics)
    {
        var location = IdentifierLocation(method);
        var problem =
            !method.IsPartialDefinition ? "it is not a partial method declaration"
            : method.PartialImplementationPart is not null ? "it already has a body"
            : method.IsStatic ? "it is static"
            : method.IsGenericMethod ? "it is generic"
            : method.Parameters.Length != 1 + operands || method.Parameters.Any(p => p.RefKind != RefKind.None || p.Type.ToDisplayString() != TensorType)
                ? (operands == 0 ? "it must take exactly one Tensor" : $"it must take {1 + operands} Tensors: its input, then one per [Multiply] or [Add], in order")
            : method.ReturnType.ToDisplayString() != TensorType || method.ReturnsByRef || method.ReturnsByRefReadonly ? "it must return Tensor"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStackMethod, location, method.Name, problem));
            return null;
        }
        if (!DerivesFromModule(type))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NotAModule, IdentifierLocation(type), type.Name,
                "declares stacks as partial methods, so it must derive from TorchSharp's Module<…> (e.g. Module<Tensor, Tensor>)"));
            return null;
        }
        if (!CheckConstructor(type, diagnostics)) return null;
        return StubbableMethod(method);
    }

    private static bool DerivesFromModule(INamedTypeSymbol type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            if (baseType.OriginalDefinition.ToDisplayString() == ModuleType) return true;
        return false;
    }

    private static bool CheckConstructor(INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        // The generator's own output is not part of the compilation it reads, so any such constructor is the user's.
        var declared = type.InstanceConstructors.FirstOrDefault(c => c.Parameters.Length == 0 && !c.IsImplicitlyDeclared);
        if (declared is null) return true;
        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ConstructorConflict, IdentifierLocation(declared), type.Name));
        return false;
    }
}
