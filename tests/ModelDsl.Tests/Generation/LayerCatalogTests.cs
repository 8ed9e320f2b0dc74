using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using ModelDsl.Generators;
using ModelDsl.Generators.Layers;
using ModelDsl.Generators.Parsing;
using ModelDsl.ShapeFuzz;
using Xunit;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// One contract per layer kind: every layer attribute has exactly one rule, one fuzz layer and one README row, and
/// its rule reads exactly the parameters its constructors declare. Adding a layer without its rule, fuzz layer or
/// documentation, or renaming a parameter on one side only, fails here.
/// </summary>
public sealed partial class LayerCatalogTests
{
    /// <summary>Layers that read a second stack, which the fuzzer's one-stack classes cannot have (README: shape fuzzing).</summary>
    private static readonly string[] s_notFuzzed = ["Multiply", "Add"];

    private static readonly Type[] s_attributes = typeof(LayerAttribute).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(LayerAttribute)) && !t.IsAbstract && t.IsPublic)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static TheoryData<string> AttributeNames() => [.. s_attributes.Select(t => t.Name)];

    [Fact]
    public void Every_layer_attribute_has_exactly_one_rule_and_every_rule_an_attribute()
    {
        var ruled = LayerRule.All.Select(r => r.AttributeName).ToList();
        Assert.Equal(ruled.Count, ruled.Distinct().Count());
        Assert.Equal(s_attributes.Select(t => t.Name), ruled.Order(StringComparer.Ordinal));
        Assert.All(LayerRule.All, r => Assert.Equal(KnownSymbols.Namespace + "." + r.AttributeName, r.AttributeMetadataName));
    }

    [Fact]
    public void Every_layer_kind_but_the_two_stack_ones_has_exactly_one_fuzz_layer()
    {
        var fuzzKinds = typeof(FuzzLayer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(FuzzLayer)) && !t.IsAbstract)
            .SelectMany(t => t == typeof(Activation) ? Activation.Names : [t.Name])
            .ToList();
        var kinds = s_attributes.Select(t => LayerRule.KindOf(t.Name)).Except(s_notFuzzed);
        Assert.Equal(kinds.Order(StringComparer.Ordinal), fuzzKinds.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(AttributeNames))]
    public void Every_layer_attribute_has_exactly_one_README_row_naming_only_its_own_parameters(string attributeName)
    {
        var type = s_attributes.Single(t => t.Name == attributeName);
        var kind = LayerRule.KindOf(attributeName);
        var rows = LayerTableRows().Where(r => r.Kinds.Contains(kind)).ToList();
        Assert.Single(rows);
        var parameters = type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name).ToHashSet();
        // The row names the parameters of every layer it lists, e.g. slope for LeakyReLU beside ReLU.
        var written = rows[0].Signatures.Where(s => s.Kind == kind).SelectMany(s => s.NamedArguments);
        Assert.All(written, name => Assert.Contains(name, parameters));
    }

    [Theory]
    [MemberData(nameof(AttributeNames))]
    public void Every_constructor_parameter_is_read_by_the_rule_and_the_rule_reads_no_other(string attributeName)
    {
        var type = s_attributes.Single(t => t.Name == attributeName);
        var rule = LayerRule.All.Single(r => r.AttributeName == attributeName);
        Assert.All(type.GetConstructors(), constructor =>
        {
            var arguments = new LayerArguments(Apply(constructor));
            var layer = rule.Parse(arguments); // throws if the rule reads a parameter no constructor declares
            Assert.Equal(LayerRule.KindOf(attributeName), layer.Kind);
            Assert.Equal(constructor.GetParameters().Select(p => p.Name!).Order(), arguments.ReadParameters.Intersect(constructor.GetParameters().Select(p => p.Name!)).Order());
        });
    }

    [Fact]
    public void The_generators_enum_mirrors_have_exactly_the_members_and_values_of_the_DSL_enums()
    {
        Assert.Equal(Members(typeof(Init)), Members(typeof(WeightInit)));
        // PaddingMode adds how a padding can be written besides the enum: a number, or an undefined value.
        Assert.Equal(Members(typeof(TorchSharp.Padding)), Members(typeof(PaddingMode)).Where(m => m.Value >= 0));
    }

    [Fact]
    public void The_generator_reads_the_attribute_types_at_compile_time_only_so_no_host_has_to_load_them()
    {
        var referenced = typeof(ModelGenerator).Assembly.GetReferencedAssemblies().Select(a => a.Name);
        Assert.DoesNotContain(typeof(LayerAttribute).Assembly.GetName().Name, referenced);
    }

    private static IEnumerable<(string Name, int Value)> Members(Type enumType) =>
        Enum.GetNames(enumType).Select(n => (n, Convert.ToInt32(Enum.Parse(enumType, n)))).OrderBy(m => m.Item2);

    /// <summary>The attribute applied through <paramref name="constructor"/>, every parameter given a value of its type.</summary>
    private static AttributeData Apply(ConstructorInfo constructor)
    {
        var kind = LayerRule.KindOf(constructor.DeclaringType!.Name);
        var arguments = constructor.GetParameters().Select(p => $"{p.Name}: {SampleValue(p)}");
        var source = $"using ModelDsl; [{kind}({string.Join(", ", arguments)})] class Sample {{ }}";
        var compilation = GeneratorSetup.Compile([GeneratorSetup.Parse(source, "Sample.cs")]);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation.GetTypeByMetadataName("Sample")!.GetAttributes().Single();
    }

    // A bool other than its default, so that reading the default instead would show.
    private static string SampleValue(ParameterInfo parameter) => parameter.ParameterType switch
    {
        var type when type == typeof(bool) => parameter.DefaultValue is true ? "false" : "true",
        var type => SampleValue(type),
    };

    private static string SampleValue(Type type) =>
        type == typeof(int) ? "2"
        : type == typeof(double) ? "0.5"
        : type == typeof(string) ? "\"Other\""
        : type == typeof(int[]) ? "new[] { 2, -1 }"
        : type.IsEnum ? $"{type.Name}.{Enum.GetNames(type).Last()}"
        : throw new NotSupportedException($"no sample value for a parameter of type {type}");

    private sealed record Signature(string Kind, IReadOnlyList<string> NamedArguments);

    private sealed record LayerRow(IReadOnlyList<string> Kinds, IReadOnlyList<Signature> Signatures);

    /// <summary>The rows of the README's layer table: each first cell lists attributes as written, e.g. <c>`Dense(units, init: Init.Default)`</c>.</summary>
    private static IEnumerable<LayerRow> LayerTableRows()
    {
        var readme = File.ReadAllLines(RepoRoot.FilePath("README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("Layers (", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md has no layer table (a line starting with \"Layers (\")");
        foreach (var line in readme.Skip(start + 3).TakeWhile(l => l.StartsWith('|')))
        {
            var firstCell = line.Split(" | ")[0];
            var signatures = Signatures().Matches(firstCell)
                .Select(m => new Signature(m.Groups["kind"].Value, NamedArgument().Matches(m.Groups["arguments"].Value).Select(a => a.Groups[1].Value).ToList()))
                .ToList();
            yield return new LayerRow(signatures.Select(s => s.Kind).ToList(), signatures);
        }
    }

    [GeneratedRegex(@"`(?<kind>[A-Z]\w*)(\((?<arguments>[^`]*)\))?`")]
    private static partial Regex Signatures();

    [GeneratedRegex(@"(\w+):")]
    private static partial Regex NamedArgument();
}
