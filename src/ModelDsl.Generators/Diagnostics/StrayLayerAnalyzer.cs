using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// Layers or [Output] on a declaration without [Input]/[From]: the generator never sees such a
/// declaration (it keys on those two attributes), so a small analyzer reports it.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class StrayLayerAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.MissingInput, DiagnosticDescriptors.OutputOnEmptyInput);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSymbolAction(Analyze, SymbolKind.NamedType, SymbolKind.Method);
    }

    private static void Analyze(SymbolAnalysisContext context)
    {
        var attributes = context.Symbol.GetAttributes().Where(a => StackParser.IsModelDslAttribute(a.AttributeClass)).ToList();
        if (attributes.Count == 0) return;
        var names = attributes.Select(a => a.AttributeClass!.ToDisplayString()).ToList();
        if (names.Contains(StackParser.InputAttribute) || names.Contains(StackParser.FromAttribute)) return;

        var firstLayer = attributes.FirstOrDefault(a => a.AttributeClass!.ToDisplayString() != StackParser.OutputAttribute);
        var (descriptor, attribute) = firstLayer is not null
            ? (DiagnosticDescriptors.MissingInput, firstLayer)
            : (DiagnosticDescriptors.OutputOnEmptyInput, attributes[0]);
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Symbol.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, context.Symbol.Name));
    }
}
