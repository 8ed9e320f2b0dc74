using System.Globalization;
using Microsoft.CodeAnalysis.CodeActions;

namespace ModelDsl.CodeFixes;

/// <summary>MDSL0003: one action per single-argument change that gives the promised output, e.g. kernel 4 or outputPadding: 1.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ReplaceLayerCodeFix)), Shared]
public sealed class ReplaceLayerCodeFix : CodeFixProvider
{
    private const string DiagnosticId = DiagnosticIds.OutputMismatchWithFix;

    public override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticId];

    // Each error offers its own alternatives and the user picks one, so there is nothing to apply to all.
    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            for (var i = 0; diagnostic.Properties.TryGetValue(DiagnosticPropertyKeys.Replacement + i.ToString(CultureInfo.InvariantCulture), out var replacement) && replacement is not null; i++)
            {
                var fixedAttribute = AttributeArguments.Replace(attribute, replacement);
                context.RegisterCodeFix(
                    CodeAction.Create($"Change to [{replacement}]",
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(attribute, fixedAttribute))),
                        DiagnosticId + ":" + replacement),
                    diagnostic);
            }
        }
    }
}
