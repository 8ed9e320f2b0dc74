using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Inference;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// Reports every MDSL error of a model declaration — shapes, arguments, stacks, cycles, custom rules, the
/// declaration itself — from the very parsing and inference the generator runs (one implementation, two front
/// ends). Editors show analyzer diagnostics as the user types, which they do not do for a generator's. Also reports
/// layers or [Output] on a declaration without [Input]/[From], which the generator never sees (it keys on those two).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.All.ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var known = KnownSymbols.Of(start.Compilation);
            if (known.InputAttribute is null && known.FromAttribute is null) return;
            var trees = new SourceTrees(start.Compilation);
            start.RegisterSymbolAction(symbol => Analyze(symbol, known, trees), SymbolKind.NamedType);
            start.RegisterSymbolAction(symbol => AnalyzeStrayLayers(symbol, known), SymbolKind.NamedType, SymbolKind.Method);
        });
    }

    /// <summary>All stacks of one type together, since stacks read each other ([From], [Multiply], [Add]).</summary>
    private static void Analyze(SymbolAnalysisContext context, KnownSymbols known, SourceTrees trees)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var parses = new[] { (ISymbol)type }.Concat(type.GetMembers().OfType<IMethodSymbol>())
            .SelectMany(symbol => Stacks(symbol, known, context.CancellationToken))
            .Select(stack => StackParser.ParseSafely(stack.Symbol, stack.Declaration, known, context.CancellationToken))
            .ToImmutableArray();
        if (parses.IsEmpty) return;
        foreach (var result in ModelBuilder.BuildAll(parses))
            foreach (var diagnostic in result.Diagnostics)
                context.ReportDiagnostic(trees.ToDiagnostic(diagnostic));
    }

    /// <summary>Layers or [Output] on a class or method without [Input]/[From]: reported on the first of them.</summary>
    private static void AnalyzeStrayLayers(SymbolAnalysisContext context, KnownSymbols known)
    {
        var attributes = context.Symbol.GetAttributes().Where(a => known.IsModelDslAttribute(a.AttributeClass)).ToList();
        if (attributes.Count == 0 || attributes.Any(a => known.IsInput(a.AttributeClass) || known.IsFrom(a.AttributeClass))) return;

        var firstLayer = attributes.FirstOrDefault(a => !known.IsOutput(a.AttributeClass));
        var (descriptor, attribute) = firstLayer is not null
            ? (DiagnosticDescriptors.MissingInput, firstLayer)
            : (DiagnosticDescriptors.OutputOnEmptyInput, attributes[0]);
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Symbol.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, context.Symbol.Name));
    }

    /// <summary>
    /// The declarations the generator's ForAttributeWithMetadataName finds on <paramref name="symbol"/>: the one
    /// carrying [Input], and the one carrying [From] (a stack with both is parsed twice there, and here).
    /// </summary>
    private static IEnumerable<(ISymbol Symbol, SyntaxNode Declaration)> Stacks(ISymbol symbol, KnownSymbols known, CancellationToken cancellationToken)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            var isInput = known.IsInput(attribute.AttributeClass);
            if (!isInput && !known.IsFrom(attribute.AttributeClass)) continue;
            // Attribute → attribute list → the declaration it is written on.
            var declaration = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).Parent?.Parent;
            if (declaration is null || KnownSymbols.IsModelDslOutput(declaration.SyntaxTree)) continue;
            if (isInput ? StackDeclarations.CanCarryInput(declaration) : StackDeclarations.CanCarryFrom(declaration))
                yield return (symbol, declaration);
        }
    }

    /// <summary>Turns the pipeline's equatable locations back into source locations (pragma-suppressible, usable by code fixes).</summary>
    private sealed class SourceTrees(Compilation compilation)
    {
        private readonly ConcurrentDictionary<string, SyntaxTree?> _byPath = new();

        public Diagnostic ToDiagnostic(DiagnosticInfo info)
        {
            var location = info.Location is { } at && Tree(at.FilePath) is { } tree ? Location.Create(tree, at.Span) : info.Location?.ToLocation();
            return info.ToDiagnostic(location);
        }

        private SyntaxTree? Tree(string path) =>
            _byPath.GetOrAdd(path, p => compilation.SyntaxTrees.FirstOrDefault(t => t.FilePath == p));
    }
}
