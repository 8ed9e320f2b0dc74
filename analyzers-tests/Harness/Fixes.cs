using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>
/// Applies ModelDsl's code fixes as an IDE does: the test sources (Model0.cs, Model1.cs, …) as documents of a
/// workspace, the generator's and analyzer's diagnostics on them, a fix's code actions, and the sources after one.
/// </summary>
internal static class Fixes
{
    /// <summary>The titles of the actions <paramref name="fix"/> offers for each of its diagnostics, in source order.</summary>
    public static async Task<IReadOnlyList<string>> Titles(CodeFixProvider fix, params string[] sources)
    {
        var project = CreateProject(sources);
        var titles = new List<string>();
        foreach (var diagnostic in await Fixable(fix, project))
            titles.AddRange((await Actions(fix, project, diagnostic)).Select(a => a.Title));
        return titles;
    }

    /// <summary>The sources after the one action titled <paramref name="title"/> that <paramref name="fix"/> offers.</summary>
    public static async Task<string[]> Apply(CodeFixProvider fix, string title, params string[] sources)
    {
        var project = CreateProject(sources);
        var actions = new List<CodeAction>();
        foreach (var diagnostic in await Fixable(fix, project))
            actions.AddRange(await Actions(fix, project, diagnostic));
        return await SourcesAfter(actions.Single(a => a.Title == title), project);
    }

    /// <summary>The sources after Fix All over the whole solution, from the first document.</summary>
    public static async Task<string[]> ApplyToAll(CodeFixProvider fix, params string[] sources)
    {
        var project = CreateProject(sources);
        var diagnostics = await Fixable(fix, project);
        var first = project.Documents.First(d => d.Name == Dsl.FileName(0));
        var context = new FixAllContext(first, fix, FixAllScope.Solution, diagnostics[0].Id, fix.FixableDiagnosticIds,
            new KnownDiagnostics(diagnostics), CancellationToken.None);
        var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
        return await SourcesAfter(action!, project);
    }

    private static Project CreateProject(string[] sources)
    {
        // Dsl.Compile's trees, references and options, so the workspace builds what the other tests build.
        var compilation = Dsl.Compile(sources);
        var projectId = ProjectId.CreateNewId();
        var documents = compilation.SyntaxTrees.Select(tree => DocumentInfo.Create(DocumentId.CreateNewId(projectId), tree.FilePath,
            loader: TextLoader.From(TextAndVersion.Create(tree.GetText(), VersionStamp.Create())), filePath: tree.FilePath));
        var workspace = new AdhocWorkspace();
        return workspace.AddProject(ProjectInfo.Create(projectId, VersionStamp.Create(), "TestModels", "TestModels", LanguageNames.CSharp,
            compilationOptions: compilation.Options, parseOptions: GeneratorSetup.ParseOptions, documents: documents, metadataReferences: compilation.References));
    }

    private static async Task<ImmutableArray<Diagnostic>> Fixable(CodeFixProvider fix, Project project)
    {
        var run = Dsl.Run((await project.GetCompilationAsync())!);
        var diagnostics = run.All.Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).OrderBy(d => d.Location.GetLineSpan().Path).ThenBy(d => d.Location.SourceSpan.Start).ToImmutableArray();
        Assert.That(diagnostics, Is.Not.Empty, "the sources have no diagnostic this fix repairs");
        return diagnostics;
    }

    private static async Task<IReadOnlyList<CodeAction>> Actions(CodeFixProvider fix, Project project, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(DocumentOf(project, diagnostic), diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await fix.RegisterCodeFixesAsync(context);
        return actions;
    }

    private static async Task<string[]> SourcesAfter(CodeAction action, Project project)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var documents = solution.GetProject(project.Id)!.Documents.Where(d => d.Name.StartsWith("Model", StringComparison.Ordinal)).OrderBy(d => d.Name);
        return [.. await Task.WhenAll(documents.Select(async d => (await d.GetTextAsync()).ToString()))];
    }

    // The generator reports on file paths (its diagnostics outlive syntax trees), as the IDE maps them.
    private static Document DocumentOf(Project project, Diagnostic diagnostic) =>
        project.Documents.Single(d => d.FilePath == diagnostic.Location.GetLineSpan().Path);

    /// <summary>Fix All's diagnostics: those the generator and analyzer reported for the test sources.</summary>
    private sealed class KnownDiagnostics(ImmutableArray<Diagnostic> diagnostics) : FixAllContext.DiagnosticProvider
    {
        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken) =>
            Task.FromResult(diagnostics.Where(d => d.Location.GetLineSpan().Path == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken) =>
            Task.FromResult<IEnumerable<Diagnostic>>(diagnostics);
    }
}
