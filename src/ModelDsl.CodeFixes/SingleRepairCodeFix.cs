using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.Editing;

namespace ModelDsl.CodeFixes;

/// <summary>One node of a repair: rewritten from its current form, or removed when <see cref="Rewrite"/> is null.</summary>
public sealed class NodeEdit(DocumentId document, SyntaxNode node, Func<SyntaxNode, SyntaxNode>? rewrite)
{
    public DocumentId Document { get; } = document;

    public SyntaxNode Node { get; } = node;

    public Func<SyntaxNode, SyntaxNode>? Rewrite { get; } = rewrite;
}

/// <summary>
/// A fix for a diagnostic that has exactly one repair: each diagnostic gets one action, and Fix All repairs every
/// site of its scope in one change (edits that several diagnostics share, such as an enclosing type, apply once).
/// </summary>
/// <typeparam name="TNode">The syntax the diagnostic sits on.</typeparam>
public abstract class SingleRepairCodeFix<TNode> : CodeFixProvider where TNode : SyntaxNode
{
    /// <summary>The one diagnostic this fix repairs.</summary>
    protected abstract string DiagnosticId { get; }

    /// <summary>The title of Fix All's action.</summary>
    protected abstract string FixAllTitle { get; }

    /// <summary>The node a diagnostic asks to repair, or null where it has no clean repair.</summary>
    protected abstract TNode? FindTarget(SyntaxNode root, Diagnostic diagnostic);

    /// <summary>The title of the action that repairs <paramref name="target"/>.</summary>
    protected abstract string Title(TNode target, Diagnostic diagnostic);

    /// <summary>The edits that repair <paramref name="target"/>, in any document of the solution.</summary>
    protected abstract Task<IEnumerable<NodeEdit>> EditsAsync(Document document, TNode target, Diagnostic diagnostic, CancellationToken cancellationToken);

    public sealed override ImmutableArray<string> FixableDiagnosticIds => [DiagnosticId];

    public sealed override FixAllProvider GetFixAllProvider() => new RepairAll(this);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root is null || FindTarget(root, diagnostic) is not { } target) continue;
            var site = new[] { (context.Document.Id, diagnostic) };
            context.RegisterCodeFix(
                CodeAction.Create(Title(target, diagnostic), ct => RepairAsync(context.Document.Project.Solution, site, ct), DiagnosticId),
                diagnostic);
        }
    }

    private async Task<Solution> RepairAsync(Solution solution, IEnumerable<(DocumentId Document, Diagnostic Diagnostic)> sites, CancellationToken cancellationToken)
    {
        var edits = new List<NodeEdit>();
        foreach (var (documentId, diagnostic) in sites)
        {
            var document = solution.GetDocument(documentId);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is not null && FindTarget(root, diagnostic) is { } target)
                edits.AddRange(await EditsAsync(document!, target, diagnostic, cancellationToken).ConfigureAwait(false));
        }

        foreach (var byDocument in edits.GroupBy(e => e.Document))
        {
            var editor = await DocumentEditor.CreateAsync(solution.GetDocument(byDocument.Key)!, cancellationToken).ConfigureAwait(false);
            foreach (var edit in byDocument.GroupBy(e => e.Node).Select(same => same.First()))
            {
                if (edit.Rewrite is { } rewrite) editor.ReplaceNode(edit.Node, (current, _) => rewrite(current));
                else editor.RemoveNode(edit.Node);
            }
            solution = editor.GetChangedDocument().Project.Solution;
        }
        return solution;
    }

    private sealed class RepairAll(SingleRepairCodeFix<TNode> fix) : FixAllProvider
    {
        public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            var sites = new List<(DocumentId, Diagnostic)>();
            if (context.Scope == FixAllScope.Document && context.Document is { } document)
            {
                sites.AddRange((await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)).Select(d => (document.Id, d)));
            }
            else
            {
                var projects = context.Scope == FixAllScope.Solution ? context.Solution.Projects : [context.Project];
                foreach (var project in projects)
                    foreach (var diagnostic in await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false))
                        if (DocumentOf(project, diagnostic) is { } id) sites.Add((id, diagnostic));
            }
            return sites.Count == 0 ? null : CodeAction.Create(fix.FixAllTitle, ct => fix.RepairAsync(context.Solution, sites, ct), fix.DiagnosticId);
        }

        // The generator reports on file paths rather than syntax trees, so both are looked up.
        private static DocumentId? DocumentOf(Project project, Diagnostic diagnostic) =>
            diagnostic.Location.SourceTree is { } tree && project.GetDocument(tree) is { } document
                ? document.Id
                : project.Solution.GetDocumentIdsWithFilePath(diagnostic.Location.GetLineSpan().Path).FirstOrDefault(id => id.ProjectId == project.Id);
    }
}
