using ModelDsl.Analyzers.Tests.Harness;
using ModelDsl.CodeFixes;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>The code fixes of the diagnostics that have a unique repair: the text they write, and that it then builds.</summary>
public sealed class CodeFixTests
{
    private static string BrokenDcgan()
    {
        // The README's example: the real model file with its second upsampling changed.
        var model = RepoRoot.ReadFile("src/Models.Mnist/Models/DcganGenerator.cs");
        const string upsampling = "[Conv2DTranspose(128, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)]";
        var second = model.IndexOf(upsampling, model.IndexOf(upsampling, StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        Assert.That(second, Is.GreaterThan(0), "DcganGenerator.cs no longer has two such layers");
        return model[..second] + "[Conv2DTranspose(128, 3, stride: 2, padding: 1)]" + model[(second + upsampling.Length)..];
    }

    [Test]
    public async Task Layer_change_offers_each_repair_of_the_message_in_its_order()
    {
        Assert.That(await Fixes.Titles(new ReplaceLayerCodeFix(), BrokenDcgan()), Is.EqualTo(new[]
        {
            "Change to [Conv2DTranspose(128, 4, stride: 2, padding: 1)]",
            "Change to [Conv2DTranspose(128, 3, stride: 2, padding: 1, outputPadding: 1)]",
            "Change to [Conv2DTranspose(128, 3, stride: 2, padding: Padding.Same)]",
        }));
    }

    [TestCase("Conv2DTranspose(128, 4, stride: 2, padding: 1)")]
    [TestCase("Conv2DTranspose(128, 3, stride: 2, padding: 1, outputPadding: 1)")]
    [TestCase("Conv2DTranspose(128, 3, stride: 2, padding: Padding.Same)")]
    public async Task Each_layer_change_rewrites_only_that_attribute_and_builds(string replacement)
    {
        var broken = BrokenDcgan();
        var fixedSources = await Fixes.Apply(new ReplaceLayerCodeFix(), $"Change to [{replacement}]", broken);

        Assert.That(fixedSources, Is.EqualTo(new[] { broken.Replace("[Conv2DTranspose(128, 3, stride: 2, padding: 1)]", $"[{replacement}]") }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Layer_change_keeps_the_attribute_name_as_written()
    {
        var fixedSources = await Fixes.Apply(new ReplaceLayerCodeFix(), "Change to [Dense(12)]", """
            [Input(10)] [ModelDsl.DenseAttribute( 5 )] [Output(12)]
            public partial class Head;
            """);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            """
            [Input(10)] [ModelDsl.DenseAttribute(12)] [Output(12)]
            public partial class Head;
            """,
        }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Layer_change_keeps_the_init_argument()
    {
        var fixedSources = await Fixes.Apply(new ReplaceLayerCodeFix(), "Change to [Dense(12, init: Init.GlorotNormal)]", """
            [Input(10)] [Dense(5, init: Init.GlorotNormal)] [Output(12)]
            public partial class Head;
            """);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            """
            [Input(10)] [Dense(12, init: Init.GlorotNormal)] [Output(12)]
            public partial class Head;
            """,
        }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task A_decoder_LSTM_that_forgot_returnSequences_gets_it()
    {
        var fixedSources = await Fixes.Apply(new ReplaceLayerCodeFix(), "Change to [LSTM(128, returnSequences: true)]", """
            [Input(7, 12)] [LSTM(128)] [RepeatVector(4)] [LSTM(128)] [Dense(12)] [Output(4, 12)]
            public partial class Addition;
            """);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            """
            [Input(7, 12)] [LSTM(128)] [RepeatVector(4)] [LSTM(128, returnSequences: true)] [Dense(12)] [Output(4, 12)]
            public partial class Addition;
            """,
        }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public void Layer_changes_have_no_fix_all_since_each_error_offers_its_own_choice()
    {
        Assert.That(new ReplaceLayerCodeFix().GetFixAllProvider(), Is.Null);
    }

    [Test]
    public async Task Output_is_set_to_the_computed_shape()
    {
        const string source = """
            [Input(10)] [Dense(5)]
            [Output(3, 4)]
            public partial class Head;
            """;
        Assert.That(await Fixes.Titles(new SetOutputCodeFix(), source), Is.EqualTo(new[] { "Set [Output(5)] (the computed shape)" }));

        var fixedSources = await Fixes.Apply(new SetOutputCodeFix(), "Set [Output(5)] (the computed shape)", source);

        Assert.That(fixedSources, Is.EqualTo(new[] { source.Replace("[Output(3, 4)]", "[Output(5)]") }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Fix_all_sets_every_Output_in_every_file()
    {
        const string stacks = """
            public partial class TwoStacks : Module<Tensor, Tensor>
            {
                [Input(10)] [Dense(5)] [Output(3, 4)]
                private partial Tensor Left(Tensor x);

                [Input(10)] [ReLU] [Output(12)]
                private partial Tensor Right(Tensor x);

                public override Tensor forward(Tensor x) => Left(x) + Right(x);
            }
            """;
        const string model = """
            [Input(1, 8, 8)] [Flatten]
            [Output(8, 8)]
            public partial class Flat;
            """;

        var fixedSources = await Fixes.ApplyToAll(new SetOutputCodeFix(), stacks, model);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            stacks.Replace("[Output(3, 4)]", "[Output(5)]").Replace("[Output(12)]", "[Output(10)]"),
            model.Replace("[Output(8, 8)]", "[Output(64)]"),
        }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Partial_goes_on_the_model_and_on_its_enclosing_types()
    {
        var fixedSources = await Fixes.Apply(new AddPartialCodeFix(), "Make 'Model' partial", """
            public static class Outer
            {
                [Input(10)] [Dense(3)]
                public class Model;
            }
            """);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            """
            public static partial class Outer
            {
                [Input(10)] [Dense(3)]
                public partial class Model;
            }
            """,
        }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Partial_goes_on_every_declaration_in_every_file_and_before_a_bare_keyword()
    {
        const string layers = """
            [Input(10)] [Dense(3)]
            class Model;
            """;
        const string members = """
            class Model
            {
                public int Width => 3;
            }
            """;

        var fixedSources = await Fixes.Apply(new AddPartialCodeFix(), "Make 'Model' partial", layers, members);

        Assert.That(fixedSources, Is.EqualTo(new[] { layers.Replace("class Model;", "partial class Model;"), members.Replace("class Model", "partial class Model") }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task Fix_all_makes_every_model_partial_and_each_enclosing_type_once()
    {
        const string source = """
            public class Outer
            {
                [Input(10)] [Dense(3)]
                public class First;

                [Input(10)] [Dense(4)]
                public class Second;
            }
            """;

        var fixedSources = await Fixes.ApplyToAll(new AddPartialCodeFix(), source);

        Assert.That(fixedSources, Is.EqualTo(new[] { source.Replace("public class", "public partial class") }));
        Expect.Clean(fixedSources);
    }

    [Test]
    public async Task An_empty_parameterless_constructor_is_removed()
    {
        var fixedSources = await Fixes.Apply(new RemoveEmptyConstructorCodeFix(), "Remove the empty constructor (ModelDsl generates it)", """
            [Input(10)] [Dense(3)]
            public partial class Model
            {
                public Model() { }

                public Model(int width) : this() => Width = width;

                public int Width { get; }
            }
            """);

        Assert.That(fixedSources, Is.EqualTo(new[]
        {
            """
            [Input(10)] [Dense(3)]
            public partial class Model
            {
                public Model(int width) : this() => Width = width;

                public int Width { get; }
            }
            """,
        }));
        Expect.Clean(fixedSources);
    }

    [TestCase("public Model() { Width = 3; }", TestName = "Constructor with statements")]
    [TestCase("public Model() : base(\"named\") { }", TestName = "Constructor with an initializer")]
    [TestCase("public Model() => Width = 3;", TestName = "Expression-bodied constructor")]
    public async Task A_constructor_that_does_something_has_no_unique_repair(string constructor)
    {
        var titles = await Fixes.Titles(new RemoveEmptyConstructorCodeFix(), $$"""
            [Input(10)] [Dense(3)]
            public partial class Model
            {
                {{constructor}}

                public int Width { get; set; }
            }
            """);

        Assert.That(titles, Is.Empty);
    }
}
