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
        context.RegisterCompilationStartAction(start =>
        {
            var known = new KnownSymbols(start.Compilation);
            start.RegisterSymbolAction(symbol => Analyze(symbol, known), SymbolKind.NamedType, SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, KnownSymbols known)
    {
        var attributes = context.Symbol.GetAttributes().Where(a => known.IsModelDslAttribute(a.AttributeClass)).ToList();
        if (attributes.Count == 0) return;
        if (attributes.Any(a => known.IsInput(a.AttributeClass) || known.IsFrom(a.AttributeClass))) return;

        var firstLayer = attributes.FirstOrDefault(a => !known.IsOutput(a.AttributeClass));
        var (descriptor, attribute) = firstLayer is not null
            ? (DiagnosticDescriptors.MissingInput, firstLayer)
            : (DiagnosticDescriptors.OutputOnEmptyInput, attributes[0]);
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? context.Symbol.Locations.FirstOrDefault();
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, context.Symbol.Name));
    }
}
