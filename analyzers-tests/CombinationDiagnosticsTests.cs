using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>
/// [Multiply]/[Add] of another stack's output: shapes that do not broadcast (MDSL0028), operands that name no stack
/// (MDSL0011) or close a cycle (MDSL0012), integer operands (MDSL0010) and class-level stacks (MDSL0013); stack
/// methods without a parameter per operand (MDSL0016) are among StackDiagnosticsTests' invalid stack methods.
/// </summary>
public sealed class CombinationDiagnosticsTests
{
    [Test]
    public void Operands_of_different_sizes_name_both_shapes_and_both_stacks()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(DType.Int64)] [Embedding(10, 10)] private partial Tensor ClassEmbedding(Tensor label);
                [Input(100)] [{|MDSL0028:Multiply(nameof(ClassEmbedding))|}] [Dense(3)] private partial Tensor Image(Tensor latent, Tensor classEmbedding);
            """, "Image(x, ClassEmbedding(x))"),
            "Multiply(nameof(ClassEmbedding)) cannot combine 100 from 'Image' with 10 from 'ClassEmbedding': per-sample shapes must be equal or broadcast (aligned at the last axis, each pair of sizes equal or one of them 1), but axis -1 is 100 against 10");
    }

    [Test]
    public void Operands_are_compared_from_the_last_axis_after_the_layers_before()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(5, 4)] private partial Tensor Other(Tensor x);
                [Input(12)] [Reshape(3, 4)] [{|MDSL0028:Add(nameof(Other))|}] private partial Tensor Sum(Tensor x, Tensor other);
            """, "Sum(x, Other(x))"),
            "Add(nameof(Other)) cannot combine 3×4 from 'Sum' with 5×4 from 'Other': per-sample shapes must be equal or broadcast (aligned at the last axis, each pair of sizes equal or one of them 1), but axis -2 is 3 against 5");
    }

    [Test]
    public void Operands_that_broadcast_are_accepted()
    {
        Expect.Clean(Sources.StackModel("""
                [Input(4, 1, 1)] private partial Tensor PerChannel(Tensor x);
                [Input(6, 6)] private partial Tensor PerPixel(Tensor x);
                [Input(1)] private partial Tensor Scalar(Tensor x);
                [Input(4, 6, 6)] [Add(nameof(PerChannel))] [Multiply(nameof(PerPixel))] [Multiply(nameof(Scalar))] [Flatten]
                [Output(144)]
                private partial Tensor Image(Tensor x, Tensor perChannel, Tensor perPixel, Tensor scalar);
            """, "Image(x, PerChannel(x), PerPixel(x), Scalar(x))"));
    }

    [Test]
    public void A_broadcast_can_grow_the_stack()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(3, 1)] private partial Tensor Column(Tensor x);
                [Input(4)] [Multiply(nameof(Column))] [{|MDSL0004:Output(3)|}]
                private partial Tensor Grid(Tensor x, Tensor column);
            """, "Grid(x, Column(x))"),
            "'Grid' ends at 3×4 but [Output] promises 3 (4 → 3×4); no single argument of one layer fixes it: check the layers, or write [Output(3, 4)]");
    }

    [Test]
    public void Operand_from_an_unknown_stack_lists_the_stacks_there_are()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] private partial Tensor Body(Tensor x);
                [Input(10)] [{|MDSL0011:Multiply("Missing")|}] private partial Tensor Head(Tensor x, Tensor missing);
            """, "Head(Body(x), x)"),
            "[Multiply(\"Missing\")] names no stack of 'Model'; its stacks are: Body");
    }

    [Test]
    public void Operand_from_the_stack_itself()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] [{|MDSL0012:Add(nameof(Loop))|}] private partial Tensor Loop(Tensor x, Tensor loop);
            """, "Loop(x, x)"),
            "Stack 'Loop' feeds itself through [Add]: Loop → Loop");
    }

    [Test]
    public void Operand_and_From_closing_a_cycle()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] [Multiply(nameof(B))] private partial Tensor A(Tensor x, Tensor b);
                [{|MDSL0012:From(nameof(A))|}] [Dense(10)] private partial Tensor B(Tensor a);
            """, "A(x, x)"),
            "Stack 'B' feeds itself through [From]: B → A → B");
    }

    [Test]
    public void Integer_operand()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(DType.Int64, 4)] private partial Tensor Tokens(Tensor x);
                [Input(4)] [{|MDSL0010:Add(nameof(Tokens))|}] private partial Tensor Sum(Tensor x, Tensor tokens);
            """, "Sum(x, Tokens(x))"),
            "Add(nameof(Tokens)) receives integer indices (int64 4): start the stack with [Embedding(count, dim)], or declare a float [Input]");
    }

    [Test]
    public void Class_level_stack_has_no_parameter_for_an_operand()
    {
        Expect.Diagnostics("""
            [Input(10)] [{|MDSL0013:Multiply(nameof(Other))|}] [Dense(3)]
            public partial class Model;
            public static class Other;
            """,
            "Multiply(nameof(Other)): a class-level stack takes only its input: declare the stacks as partial methods, this one with one more Tensor parameter for the output of 'Other'");
    }
}
