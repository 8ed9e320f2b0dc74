using System.Text.RegularExpressions;
using ModelDsl.Analyzers.Tests.Harness;
using ModelDsl.Generators.Diagnostics;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>The diagnostics catalog as a whole: every ID is tested, and the release notes list them all.</summary>
public sealed partial class CatalogTests
{
    [Test]
    public void Every_diagnostic_but_the_internal_error_is_marked_in_a_test()
    {
        var tests = Directory.GetFiles(Path.Combine(RepoRoot.Path, "analyzers-tests"), "*Tests.cs")
            .SelectMany(f => MarkedId().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet();
        var untested = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id != "MDSL0999" && !tests.Contains(id));
        Assert.That(untested, Is.Empty);
    }

    [Test]
    public void Every_diagnostic_is_an_enabled_error_listed_in_the_release_notes()
    {
        var shipped = RepoRoot.ReadFile("src/ModelDsl.Generators/AnalyzerReleases.Shipped.md");
        Assert.Multiple(() =>
        {
            foreach (var descriptor in DiagnosticDescriptors.All)
            {
                Assert.That(descriptor.DefaultSeverity, Is.EqualTo(Microsoft.CodeAnalysis.DiagnosticSeverity.Error), descriptor.Id);
                Assert.That(descriptor.IsEnabledByDefault, descriptor.Id);
                Assert.That(shipped, Does.Contain($"{descriptor.Id} | ModelDsl | Error | {descriptor.Title}"));
            }
        });
    }

    [GeneratedRegex(@"\{\|(MDSL\d{4}):")]
    private static partial Regex MarkedId();
}
