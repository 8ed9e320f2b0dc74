namespace ModelDsl.CodeFixes;

/// <summary>MDSL0002: adds <c>partial</c> to every declaration of the type, and of its enclosing types, that lacks it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddPartialCodeFix)), Shared]
public sealed class AddPartialCodeFix : SingleRepairCodeFix<TypeDeclarationSyntax>
{
    protected override string DiagnosticId => DiagnosticIds.NotPartial;

    protected override string FixAllTitle => "Make every ModelDsl model and its enclosing types partial";

    protected override TypeDeclarationSyntax? FindTarget(SyntaxNode root, Diagnostic diagnostic) =>
        root.FindToken(diagnostic.Location.SourceSpan.Start).Parent as TypeDeclarationSyntax;

    protected override string Title(TypeDeclarationSyntax target, Diagnostic diagnostic) => $"Make '{target.Identifier.ValueText}' partial";

    protected override async Task<IEnumerable<NodeEdit>> EditsAsync(Document document, TypeDeclarationSyntax target, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var edits = new List<NodeEdit>();
        for (var type = model?.GetDeclaredSymbol(target, cancellationToken); type is not null; type = type.ContainingType)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                // Generated declarations are not documents of the solution, and are partial already.
                if (await reference.GetSyntaxAsync(cancellationToken).ConfigureAwait(false) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword)
                    && document.Project.Solution.GetDocument(reference.SyntaxTree) is { } declaringDocument)
                    edits.Add(new NodeEdit(declaringDocument.Id, declaration, current => AddPartial((TypeDeclarationSyntax)current)));
            }
        }
        return edits;
    }

    // 'partial' goes last among the modifiers and takes over what stood before the keyword (a line break after attributes).
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        var partial = SyntaxFactory.Token(declaration.Keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
        return declaration.WithModifiers(declaration.Modifiers.Add(partial)).WithKeyword(declaration.Keyword.WithLeadingTrivia());
    }
}
