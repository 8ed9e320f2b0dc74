using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>Whatever the user writes, the generator and analyzer must not throw: a crash (CS8785) would hide every model.</summary>
public sealed class RobustnessTests
{
    private static IEnumerable<TestCaseData> Corpus()
    {
        yield return Case("Dense without arguments", "[Input(10)] [Dense] public partial class M;");
        yield return Case("String where an int belongs", """[Input(10)] [Dense("10")] public partial class M;""");
        yield return Case("Non-constant argument", "[Input(10)] [Dense(N)] public partial class M { static int N = 4; }");
        yield return Case("Unknown attribute among layers", "[Input(10)] [Foo] [Dense(3)] [System.Obsolete] public partial class M;");
        yield return Case("Named arguments in any order", "[Input(1, 9, 9)] [Conv2D(kernel: 3, filters: 8)] [Conv2D(8, kernel: 0)] public partial class M;");
        yield return Case("Duplicate named argument", "[Input(1, 9, 9)] [Conv2D(8, 3, padding: Padding.Same, padding: 1)] public partial class M;");
        yield return Case("Undefined enum values", "[Input((DType)5, 3)] [Conv2D(8, 3, (Padding)7)] [Dense(3)] public partial class M;");
        yield return Case("Arrays instead of params", "[Input(new[] { 1, 28, 28 })] [Reshape(new int[] { 28, 28 })] [Dense(3)] public partial class M;");
        yield return Case("Null shapes", "#nullable disable\n[Input(null)] [Reshape(null)] [Output(null)] public partial class M;");
        yield return Case("Input without a shape", "[Input] [Output] public partial class M;");
        yield return Case("Unclosed attribute", "[Input(10)] [Dense(10\npublic partial class M;");
        yield return Case("Unclosed class", "[Input(10)] [Dense(3)] public partial class M {");
        yield return Case("Missing class name", "[Input(10)] [Dense(3)] public partial class : Module<Tensor, Tensor>;");
        yield return Case("Attributes on nothing", "public partial class M { [Input(10)] [Dense(3)] }");
        yield return Case("Duplicate Input and Output", "[Input(10)] [Dense(3)] [Input(4)] [Output(3)] [Output(3)] public partial class M;");
        yield return Case("From with odd names", "#nullable disable\n" + Sources.StackModel("""
                [From(null)] [Dense(3)] private partial Tensor A(Tensor x);
                [From("")] [Dense(3)] private partial Tensor B(Tensor x);
                [From(nameof(Missing))] [Dense(3)] private partial Tensor C(Tensor x);
            """));
        yield return Case("Combinations with odd operands", "#nullable disable\n" + Sources.StackModel("""
                [Input(10)] private partial Tensor Body(Tensor x);
                [Input(10)] [Multiply(null)] [Add("")] private partial Tensor A(Tensor x, Tensor a, Tensor b);
                [Input(10)] [Multiply(nameof(Body))] private partial Tensor B(Tensor x);
                [Input(10)] [Add(nameof(Body))] [Add(nameof(Body))] private partial Tensor C(Tensor x, Tensor y, Tensor z, Tensor w);
                [From(nameof(Body))] [Multiply(nameof(D))] private partial Tensor D(Tensor x, Tensor d);
                [Input(int.MaxValue, int.MaxValue)] [Multiply(nameof(Body))] [Add(nameof(E))] private partial Tensor E(Tensor x, Tensor body, Tensor e);
                [Input(10)] [Multiply] [Add(1)] private partial Tensor F(Tensor x, Tensor a, Tensor b);
            """));
        yield return Case("Combination on a class", "[Input(10)] [Add(nameof(M))] [Multiply(\"M\")] public partial class M;");
        yield return Case("Layers on a property and a local function", Sources.StackModel("""
                [Dense(3)] public int P { get; set; }
                private static Tensor Run(Tensor x) { [Input(10)] [Dense(3)] Tensor Local(Tensor y) => y; return Local(x); }
            """, "Run(x)"));
        yield return Case("Stacks in an interface and an enum", """
            public partial interface I { [Input(10)] [Dense(3)] partial class M; }
            [Input(10)] public enum E { A }
            """);
        yield return Case("Extreme values", """
            [Input(int.MaxValue, 1, 1)] [Conv2D(1, int.MaxValue, dilation: int.MaxValue)] public partial class A;
            [Input(1, 1, 1)] [MaxPooling2D(int.MaxValue, padding: int.MaxValue / 2, dilation: int.MaxValue)] public partial class B;
            [Input(1, 4, 4)] [Conv2DTranspose(1, 3, stride: int.MaxValue, outputPadding: int.MaxValue - 1)] [Output(1, 9, 9)] public partial class C;
            [Input(1, 1, 1)] [ZeroPadding2D(int.MaxValue)] [ZeroPadding2D(int.MaxValue)] [Output(1, 3, 3)] public partial class D;
            [Input(10)] [Dense(int.MinValue)] [Dropout(double.NaN)] [LeakyReLU(double.PositiveInfinity)] [BatchNormalization(double.NaN, double.NaN)] public partial class E;
            [Input(int.MaxValue)] [Reshape(-1, int.MaxValue)] [Output(int.MaxValue, int.MaxValue)] public partial class F;
            """);
        yield return Case("Output fix search with huge targets", "[Input(1, 4, 4)] [Conv2D(2, 3)] [UpSampling2D(2)] [Output(int.MaxValue, int.MaxValue, int.MaxValue)] public partial class M;");
        yield return Case("Parameter count overflowing a long", "[Input(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] [Dense(int.MaxValue)] public partial class M;");
        yield return Case("Layer parameters overflowing a long", "[Input(int.MaxValue, 3, 3)] [Conv2D(int.MaxValue, 3)] public partial class M;");
        // Found by the mutants: Roslyn puts a method outside any class into a type named '<invalid-global-code>',
        // whose name once made an invalid generated file name.
        yield return Case("Stack method outside any class", "namespace N;\n[Input(10)] [Dense(3)] public partial Tensor Features(Tensor x);");
        yield return Case("Partial class across files", "[Input(10)] public partial class M;", "[Dense(3)] public partial class M;", "public partial class M { }");
        yield return Case("Partial stack method across files",
            Sources.StackModel("    [Input(10)] private partial Tensor A(Tensor x);", "A(x)"),
            "public partial class Model { [Dense(3)] private partial Tensor A(Tensor x) => x; }");
    }

    private static TestCaseData Case(string name, params string[] sources) => new TestCaseData((object)sources).SetName(name);

    [TestCaseSource(nameof(Corpus))]
    public void Generator_never_throws(string[] sources) => Expect.AssertHealthy(Dsl.Run(sources));

    /// <summary>
    /// A fuzzed variant of the corpus (and of the MNIST models): random deletions, duplications,
    /// extreme numbers and stray tokens, a fixed seed per source, so a failure reproduces.
    /// </summary>
    [Test]
    public void Generator_never_throws_on_mutants_of_the_corpus_and_the_models()
    {
        const int MutantsPerSource = 12;
        var originals = Corpus().Select(c => (string[])c.Arguments[0]!)
            .Concat(RepoRoot.MnistModelFiles().Select(f => new[] { File.ReadAllText(f) }))
            .ToList();
        var mutants = 0;
        for (var i = 0; i < originals.Count; i++)
        {
            var random = new Random(i);
            for (var m = 0; m < MutantsPerSource; m++, mutants++)
            {
                var sources = originals[i].Select(source => Mutate(source, random)).ToArray();
                var run = Dsl.Run(sources);
                Assert.That(run.Result.Exception, Is.Null, () => "generator threw on:\n" + string.Join("\n---\n", sources));
                Assert.That(run.All.Select(d => d.Id), Has.None.AnyOf("MDSL0999", "CS8785", "AD0001"), () =>
                    "generator failed (" + string.Join("; ", run.All.Where(d => d.Id is "MDSL0999" or "CS8785" or "AD0001").Select(d => d.GetMessage())) +
                    ") on:\n" + string.Join("\n---\n", sources));
            }
        }
        Assert.That(mutants, Is.GreaterThanOrEqualTo(300));
    }

    private static readonly string[] s_strayTokens =
        ["[", "]", "(", ")", ",", ";", "partial ", "static ", "Padding.Same", "(Padding)9", "DType.Int64, ", "[Flatten]", "[Dense(0)]",
         "[From(\"Nowhere\")]", "[Output(1, 2)]", "[Input(3, 3)]", "[Reshape(-1, -1)]", "[Embedding(10, 4)]", "nameof(", "null", "\""];

    private static readonly string[] s_extremeNumbers = ["0", "-1", "int.MaxValue", "int.MinValue", "2147483647", "99999", "1.5", "double.NaN", "null"];

    private static string Mutate(string source, Random random)
    {
        var text = source;
        for (var edits = random.Next(1, 4); edits > 0 && text.Length > 1; edits--)
        {
            var at = random.Next(text.Length);
            var length = Math.Min(random.Next(1, 12), text.Length - at);
            text = random.Next(4) switch
            {
                0 => text.Remove(at, length),
                1 => text.Insert(at, text.Substring(at, length)),
                2 => ReplaceNumber(text, at, random),
                _ => text.Insert(at, s_strayTokens[random.Next(s_strayTokens.Length)]),
            };
        }
        return text;
    }

    private static string ReplaceNumber(string text, int from, Random random)
    {
        var start = text.IndexOfAny("0123456789".ToCharArray(), from);
        if (start < 0) return text;
        var end = start;
        while (end < text.Length && char.IsDigit(text[end])) end++;
        return text[..start] + s_extremeNumbers[random.Next(s_extremeNumbers.Length)] + text[end..];
    }

    [Test]
    public void Null_input_shape_is_reported()
    {
        Expect.Diagnostics("""
            #nullable disable
            [Input({|MDSL0022:null|})] [Dense(3)]
            public partial class M;
            """,
            "[Input] of 'M': give the per-sample shape, not null");
    }

    [Test]
    public void Null_from_is_reported()
    {
        Expect.Diagnostics("#nullable disable\n" + Sources.StackModel("""
                [Input(10)] private partial Tensor A(Tensor x);
                [{|MDSL0011:From(null)|}] [Dense(3)] private partial Tensor B(Tensor x);
            """, "B(A(x))"),
            "[From(\"\")] names no stack of 'Model'; its stacks are: A");
    }
}
