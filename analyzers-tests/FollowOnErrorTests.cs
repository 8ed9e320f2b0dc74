using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>
/// A model with errors still gets stubs (constructor, stack methods, forward), so the user sees the MDSL
/// errors and not compiler errors about members that were never generated.
/// </summary>
public sealed class FollowOnErrorTests
{
    [Test]
    public void Failed_shape_inference_leaves_stubs_that_other_code_compiles_against()
    {
        Expect.Diagnostics("""
            [Input(10)] [{|MDSL0008:Conv2D(8, 3)|}]
            public partial class Broken;

            public partial class Stacks : Module<Tensor, Tensor>
            {
                [Input(10)] [{|MDSL0008:Conv2D(8, 3)|}] private partial Tensor Body(Tensor x);
                public override Tensor forward(Tensor x) => Body(x);
            }

            static class Usage
            {
                static Module<Tensor, Tensor>[] Models() => [new Broken(), new Stacks()];
                static long Count() => Broken.ParameterCount;
            }
            """,
            "Conv2D(8, 3) needs a channels×height×width input but receives 10",
            "Conv2D(8, 3) needs a channels×height×width input but receives 10");
    }

    [Test]
    public void Stack_method_with_an_invalid_argument()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] private partial Tensor Body(Tensor x);
                [From(nameof(Body))] [Dense({|MDSL0013:0|})] private partial Tensor Head(Tensor x);
            """, "Head(Body(x))"),
            "Dense(0): units must be at least 1, not 0");
    }

    [Test]
    public void Model_whose_only_stack_has_an_unknown_layer()
    {
        Expect.Diagnostics(Sources.StackModel("""
                public sealed class SwishAttribute : LayerAttribute;
                [Input(10)] [{|MDSL0023:Swish|}] private partial Tensor Body(Tensor x);
            """, "Body(x)"),
            "'SwishAttribute' derives from LayerAttribute, but ModelDsl has no shape rule for it: derive it from CustomLayerAttribute and declare its [ShapeRule]");
    }

    [Test]
    public void Class_level_stack_with_an_invalid_input_used_from_other_code()
    {
        Expect.Diagnostics("""
            [Input({|MDSL0022:0|})] [Dense(3)]
            public partial class Model;

            static class Usage { static Module<Tensor, Tensor> Create() => new Model(); }
            """,
            "[Input] of 'Model': every dimension must be at least 1, not 0");
    }

    [Test]
    public void Multi_stack_model_with_its_own_constructor()
    {
        Expect.Diagnostics(Sources.StackModel("""
                public {|MDSL0020:Model|}() : base("model") { }
                [Input(10)] [Dense(3)] private partial Tensor Body(Tensor x);
            """, "Body(x)"),
            "'Model' declares a parameterless constructor, but ModelDsl generates it to build the layers: remove it, or give your constructor parameters and chain it with ': this()'");
    }

    [Test]
    public void Static_stack_method_with_an_accessibility()
    {
        Expect.Diagnostics(Sources.StackModel("""
                [Input(10)] [Dense(3)] private static partial Tensor {|MDSL0016:Body|}(Tensor x);
            """),
            "Stack method 'Body' must be a partial method without a body that takes one Tensor (one more per [Multiply] or [Add]) and returns Tensor (it is static)");
    }
}
