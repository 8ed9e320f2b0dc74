using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using ModelDsl.Analyzers.Tests.Harness;
using ModelDsl.Generators;
using ModelDsl.Generators.Model;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>
/// The pipeline caches on value equality: edits that do not change a model must not regenerate it
/// (the approach of dotnet/runtime's generator tests: run twice, inspect the tracked steps).
/// </summary>
public sealed class IncrementalityTests
{
    private static readonly string[] s_allSteps =
        [TrackingNames.InputStacks, TrackingNames.FromStacks, TrackingNames.Forwards, TrackingNames.Models, TrackingNames.Code];

    private const string Classifier = """
        namespace Shop;

        [Input(1, 28, 28)] [Conv2D(8, 3)] [Flatten] [Dense(10)]
        public partial class Classifier
        {
            private static int Classes() => 10;
        }
        """;

    [Test]
    public void Adding_an_unrelated_file_changes_nothing()
    {
        var (first, second) = RunTwice(c => c.AddSyntaxTrees(GeneratorSetup.Parse("class Unrelated { }", "Unrelated.cs")));
        AssertUnchanged(second, s_allSteps);
        AssertNoForbiddenTypes(first);
    }

    [Test]
    public void Editing_a_method_body_in_a_model_changes_nothing()
    {
        var (_, second) = RunTwice(c => Edit(c, Dsl.FileName(0), "=> 10;", "=> 9 + 1;"));
        AssertUnchanged(second, s_allSteps);
    }

    [Test]
    public void Editing_forward_regenerates_only_that_model()
    {
        // The ONNX export composes the stacks as forward does, so forward is part of the code's model.
        var (_, second) = RunTwice(c => Edit(c, Dsl.FileName(1), "return (Validity(f), ClassLogits(f));", "return (Validity(f), ClassLogits(f * 2));"));
        Assert.That(Outputs(second, TrackingNames.Forwards).Select(o => o.Reason), Does.Contain(IncrementalStepRunReason.Modified));
        AssertUnchanged(second, TrackingNames.InputStacks, TrackingNames.FromStacks, TrackingNames.Models);
        Assert.That(Outputs(second, TrackingNames.Code).Select(o => (((ModelSpec)o.Value).Type.Name, o.Reason)), Is.EquivalentTo(new[]
        {
            ("Classifier", IncrementalStepRunReason.Unchanged),
            ("AcganDiscriminator", IncrementalStepRunReason.Modified),
        }));
    }

    [Test]
    public void Adding_a_comment_after_the_model_changes_nothing()
    {
        var (_, second) = RunTwice(c => Edit(c, Dsl.FileName(0), "public partial class Classifier", "public partial class Classifier // ten digits"));
        AssertUnchanged(second, s_allSteps);
    }

    [Test]
    public void Adding_a_comment_that_moves_the_model_keeps_the_models_and_code()
    {
        // Parsed stacks carry their locations, so only they may change; the models hold none.
        var (_, second) = RunTwice(c => Edit(c, Dsl.FileName(0), "namespace Shop;", "// A classifier for the shop.\nnamespace Shop;"));
        Assert.That(Outputs(second, TrackingNames.InputStacks).Select(o => o.Reason), Does.Contain(IncrementalStepRunReason.Modified));
        AssertUnchanged(second, TrackingNames.FromStacks, TrackingNames.Models, TrackingNames.Code);
    }

    [Test]
    public void Changing_one_layer_regenerates_only_that_model()
    {
        var (_, second) = RunTwice(c => Edit(c, Dsl.FileName(0), "[Dense(10)]", "[Dense(11)]"));
        var code = Outputs(second, TrackingNames.Code);
        Assert.That(code.Select(o => (((ModelSpec)o.Value).Type.Name, o.Reason)), Is.EquivalentTo(new[]
        {
            ("Classifier", IncrementalStepRunReason.Modified),
            ("AcganDiscriminator", IncrementalStepRunReason.Unchanged),
        }));
        AssertUnchanged(second, TrackingNames.FromStacks);
    }

    private static (GeneratorRunResult First, GeneratorRunResult Second) RunTwice(Func<Compilation, Compilation> edit)
    {
        var compilation = Dsl.Compile([Classifier, ValidModelTests.AcganDiscriminator]);
        var driver = GeneratorSetup.CreateDriver(trackSteps: true).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        var second = driver.RunGenerators(edit(compilation)).GetRunResult().Results.Single();
        Assert.That(second.Diagnostics, Is.Empty);
        return (first, second);
    }

    private static Compilation Edit(Compilation compilation, string path, string oldText, string newText)
    {
        var tree = compilation.SyntaxTrees.Single(t => t.FilePath == path);
        var text = tree.GetText().ToString();
        Assert.That(text, Does.Contain(oldText));
        return compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(text.IndexOf(oldText, StringComparison.Ordinal), oldText.Length, newText)));
    }

    private static IReadOnlyList<(object Value, IncrementalStepRunReason Reason)> Outputs(GeneratorRunResult result, string step)
    {
        Assert.That(result.TrackedSteps, Does.ContainKey(step));
        return [.. result.TrackedSteps[step].SelectMany(s => s.Outputs)];
    }

    private static void AssertUnchanged(GeneratorRunResult result, params string[] steps)
    {
        foreach (var step in steps)
            Assert.That(Outputs(result, step).Select(o => o.Reason),
                Has.All.AnyOf(IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged), step);
    }

    /// <summary>Symbols, syntax and compilations in our step outputs would defeat caching and keep compilations alive.</summary>
    private static void AssertNoForbiddenTypes(GeneratorRunResult result)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        // Roslyn's own tracked steps (inside ForAttributeWithMetadataName) hold syntax by design: only ours are checked.
        foreach (var (value, _) in s_allSteps.SelectMany(step => Outputs(result, step)))
            Walk(value, seen);
    }

    private static void Walk(object? value, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.That(value, Is.Not.InstanceOf<Compilation>().And.Not.InstanceOf<ISymbol>().And.Not.InstanceOf<SyntaxNode>()
            .And.Not.InstanceOf<SyntaxTree>().And.Not.InstanceOf<SemanticModel>().And.Not.InstanceOf<Location>());
        if (value is IEnumerable items)
        {
            foreach (var item in items) Walk(item, seen);
            return;
        }
        foreach (var field in value.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            Walk(field.GetValue(value), seen);
    }
}
