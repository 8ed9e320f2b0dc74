using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>How stacks start and connect: [Input]/[From]/[Output] (MDSL0001, 0011, 0012, 0014, 0015, 0016, 0021, 0025).</summary>
public sealed class StackDiagnosticsTests
{
    [Test]
    public void Layers_without_Input_are_reported_by_the_analyzer()
    {
        var run = Expect.Diagnostics("""
            [{|MDSL0001:Dense(10)|}] [ReLU]
            public partial class Model;
            """,
            "'Model' declares layers but no [Input] or [From]: add [Input(…)] with the per-sample input shape before the first layer");
        Assert.That(run.AnalyzerDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "MDSL0001" }));
    }

    [Test]
    public void Output_alone_is_reported_by_the_analyzer()
    {
        var run = Expect.Diagnostics("""
            [{|MDSL0021:Output(10)|}]
            public partial class Model;
            """,
            "[Output] on 'Model' has no [Input] or [From] to start the stack it describes");
        Assert.That(run.AnalyzerDiagnostics.Select(d => d.Id), Is.EqualTo(new[] { "MDSL0021" }));
    }

    [Test]
    public void From_an_unknown_stack_lists_the_stacks_there_are()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] private partial Tensor Body(Tensor x);
                [{|MDSL0011:From("Missing")|}] [Dense(3)] private partial Tensor Head(Tensor x);
            """, "Head(Body(x))"),
            "[From(\"Missing\")] names no stack of 'Model'; its stacks are: Body");
    }

    [Test]
    public void Stack_from_itself()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [{|MDSL0012:From(nameof(Loop))|}] [Dense(3)] private partial Tensor Loop(Tensor x);
            """, "Loop(x)"),
            "Stack 'Loop' feeds itself through [From]: Loop → Loop");
    }

    [Test]
    public void Two_stacks_from_each_other_show_the_whole_cycle()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [From(nameof(B))] [Dense(3)] private partial Tensor A(Tensor x);
                [{|MDSL0012:From(nameof(A))|}] [Dense(3)] private partial Tensor B(Tensor x);
            """, "B(A(x))"),
            "Stack 'B' feeds itself through [From]: B → A → B");
    }

    [Test]
    public void Layers_spread_over_two_partial_declarations()
    {
        Expect.Diagnostics(
        [
            """
            [Input(10)]
            public partial class {|MDSL0014:Model|};
            """,
            """
            [Dense(3)]
            public partial class Model;
            """,
        ],
            "The layers of 'Model' are spread over several partial declarations, so their order is undefined: keep [Input], the layers and [Output] of one stack on one declaration");
    }

    [Test]
    public void Partial_declarations_without_layers_are_fine()
    {
        Expect.Clean(
            """
            [Input(10)] [Dense(3)]
            public partial class Model;
            """,
            """
            public partial class Model { public Tensor Twice(Tensor x) => forward(forward(x)); }
            """);
    }

    [Test]
    public void Input_and_From_on_one_stack()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] private partial Tensor Body(Tensor x);
                [Input(10)] [{|MDSL0015:From(nameof(Body))|}] [Dense(3)] private partial Tensor Head(Tensor x);
            """, "Head(Body(x))"),
            "Stack 'Head' has both [Input] and [From]: a stack takes its input from exactly one of them");
    }

    // Void partial methods without accessibility need no implementation, so only MDSL0016 is expected.
    [TestCase("static partial void {|MDSL0016:Stack|}(Tensor x);", "it is static")]
    [TestCase("partial void {|MDSL0016:Stack|}<T>(Tensor x);", "it is generic")]
    [TestCase("partial void {|MDSL0016:Stack|}(Tensor x, Tensor y);", "it must take exactly one Tensor")]
    [TestCase("partial void {|MDSL0016:Stack|}(int x);", "it must take exactly one Tensor")]
    [TestCase("partial void {|MDSL0016:Stack|}(ref Tensor x);", "it must take exactly one Tensor")]
    [TestCase("partial void {|MDSL0016:Stack|}(Tensor x);", "it must return Tensor")]
    [TestCase("private partial Tensor {|MDSL0016:Stack|}(Tensor x);\n    private partial Tensor Stack(Tensor x) => x;", "it already has a body")]
    [TestCase("private Tensor {|CS0501:{|MDSL0016:Stack|}|}(Tensor x);", "it is not a partial method declaration")]
    [TestCase("[Multiply(nameof(Body))] private partial Tensor {|MDSL0016:Stack|}(Tensor x);", "it must take 2 Tensors: its input, then one per [Multiply] or [Add], in order")]
    [TestCase("[Add(nameof(Body))] private partial Tensor {|MDSL0016:Stack|}(Tensor x, Tensor y, Tensor z);", "it must take 2 Tensors: its input, then one per [Multiply] or [Add], in order")]
    [TestCase("[Multiply(nameof(Body))] [Add(nameof(Body))] private partial Tensor {|MDSL0016:Stack|}(Tensor x, int body, Tensor body2);",
        "it must take 3 Tensors: its input, then one per [Multiply] or [Add], in order")]
    public void Invalid_stack_method(string declaration, string problem)
    {
        // A valid stack beside it keeps the model (and its generated constructor) alive.
        Expect.Diagnostics(Sources.StackModel($"""
                [Input(10)] private partial Tensor Body(Tensor x);
                [Input(10)] [Dense(3)]
                {declaration}
            """, "Body(x)"),
            $"Stack method 'Stack' must be a partial method without a body that takes one Tensor (one more per [Multiply] or [Add]) and returns Tensor ({problem})");
    }

    [Test]
    public void Overloaded_stack_methods_are_two_stacks_of_one_name() =>
        Expect.Diagnostics(
            """
            public partial class M : Module<Tensor, Tensor>
            {
                [Input(4)] [Dense(3)] private partial Tensor Head(Tensor x);
                [Input(4)] [Multiply(nameof(Gate))] private partial Tensor {|MDSL0025:Head|}(Tensor x, Tensor gate);
                [Input(4)] [Dense(4)] private partial Tensor Gate(Tensor x);
                public override Tensor forward(Tensor x) => Head(x);
            }
            """,
            "'M' declares two stacks named 'Head': stack names must be unique within a model");

    [Test]
    public void A_namespace_and_a_class_of_one_name_are_left_to_the_compiler()
    {
        // The generator keys models by full name, so it joins Outer.M of the namespace and of the class (and gives
        // both stubs); the analyzer checks each type on its own, and C#'s own CS0101 says what is wrong.
        Expect.Diagnostics(
        [
            """
            namespace Outer { [Input(10)] [Dense(3)] partial class M; }
            """,
            """
            partial class {|CS0101:Outer|} { [Input(10)] [Dense(3)] partial class M; }
            """,
        ]);
    }
}
