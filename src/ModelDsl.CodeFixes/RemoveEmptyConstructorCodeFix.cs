namespace ModelDsl.CodeFixes;

/// <summary>
/// MDSL0020 where the repair is unique: a parameterless constructor that does nothing (empty body, no initializer)
/// is removed, since the generated one replaces it. One that does something has no single right repair, so none is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveEmptyConstructorCodeFix)), Shared]
public sealed class RemoveEmptyConstructorCodeFix : SingleRepairCodeFix<ConstructorDeclarationSyntax>
{
    protected override string DiagnosticId => DiagnosticIds.ConstructorConflict;

    protected override string FixAllTitle => "Remove every empty parameterless constructor (ModelDsl generates it)";

    protected override ConstructorDeclarationSyntax? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is ConstructorDeclarationSyntax { Initializer: null, Body.Statements.Count: 0 } constructor
            ? constructor
            : null;

    protected override string Title(ConstructorDeclarationSyntax target, Diagnostic diagnostic) => "Remove the empty constructor (ModelDsl generates it)";

    protected override Task<IEnumerable<NodeEdit>> EditsAsync(Document document, ConstructorDeclarationSyntax target, Diagnostic diagnostic, CancellationToken cancellationToken) =>
        Task.FromResult<IEnumerable<NodeEdit>>([new NodeEdit(document.Id, target, rewrite: null)]);
}
