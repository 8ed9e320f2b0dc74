namespace ModelDsl.CodeFixes;

/// <summary>MDSL0004: sets [Output] to the shape the layers compute.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SetOutputCodeFix)), Shared]
public sealed class SetOutputCodeFix : SingleRepairCodeFix<AttributeSyntax>
{
    protected override string DiagnosticId => DiagnosticIds.OutputMismatch;

    protected override string FixAllTitle => "Set every [Output] to its computed shape";

    protected override AttributeSyntax? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        diagnostic.Properties.ContainsKey(DiagnosticPropertyKeys.ComputedOutput)
            ? root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>()
            : null;

    protected override string Title(AttributeSyntax target, Diagnostic diagnostic) => $"Set [{Output(diagnostic)}] (the computed shape)";

    protected override Task<IEnumerable<NodeEdit>> EditsAsync(Document document, AttributeSyntax target, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<NodeEdit>>([new NodeEdit(document.Id, target, current => AttributeArguments.Replace((AttributeSyntax)current, Output(diagnostic)))]);

    private static string Output(Diagnostic diagnostic) => $"Output({diagnostic.Properties[DiagnosticPropertyKeys.ComputedOutput]})";
}
