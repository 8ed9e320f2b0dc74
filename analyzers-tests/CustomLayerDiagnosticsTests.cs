using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>User-defined layers: their [ShapeRule] is checked, and shapes are checked through them (MDSL0026, MDSL0027, MDSL0013).</summary>
public sealed class CustomLayerDiagnosticsTests
{
    private static string Layer(string rule) => $$"""
        {{rule}}
        public sealed class TwiceAttribute(int times) : CustomLayerAttribute
        {
            public int Times { get; } = times;
            public override Module<Tensor, Tensor> CreateModule(long[] inputShape) => throw new System.NotImplementedException();
        }
        """;

    [Test]
    public void Shapes_flow_through_a_custom_layer()
    {
        Expect.Diagnostics(Layer("""[ShapeRule("C, H, W", "C * times, H, W / 2", Parameters = "C + times")]""") + """

            [Input(3, 8, 8)] [Twice(2)] [Conv2D(4, 3)]
            [Output(4, 6, 2)]
            public partial class Model;
            """);
    }

    [Test]
    public void Required_input_size_is_checked()
    {
        Expect.Diagnostics(Layer("""[ShapeRule("3, H, W", "H, W")]""") + """

            [Input(1, 8, 8)] [{|MDSL0026:Twice(2)|}]
            public partial class Model;
            """,
            "Twice(2) needs axis 0 to be 3, as its [ShapeRule] says, but receives 1×8×8");
    }

    [Test]
    public void Rank_is_checked()
    {
        Expect.Diagnostics(Layer("""[ShapeRule("F", "F * times")]""") + """

            [Input(1, 8, 8)] [{|MDSL0008:Twice(2)|}]
            public partial class Model;
            """,
            "Twice(2) needs 1 axis (F) per its [ShapeRule] but receives 1×8×8");
    }

    [Test]
    public void Division_by_zero_in_the_rule_is_reported_for_that_input()
    {
        Expect.Diagnostics(Layer("""[ShapeRule("F", "F / (times - 2)")]""") + """

            [Input(10)] [{|MDSL0027:Twice(2)|}]
            public partial class Model;
            """,
            "The [ShapeRule] of Twice(2) cannot be evaluated for the input 10: a division by zero");
    }

    [TestCase("""[ShapeRule("F", "F * size")]""", "Twice(2): [ShapeRule] unknown name 'size' (known: times, F)")]
    [TestCase("""[ShapeRule("F", "(F + 1")]""", "Twice(2): [ShapeRule] missing ')' in \"(F + 1\"")]
    [TestCase("""[ShapeRule("F, F", "F")]""", "Twice(2): [ShapeRule] input axis name \"F\" is used twice (or clashes with an argument)")]
    [TestCase("""[ShapeRule("F", "")]""", "Twice(2): [ShapeRule] output lists no axes")]
    [TestCase("", "Twice(2): TwiceAttribute derives from CustomLayerAttribute but has no [ShapeRule(input, output)]")]
    public void Malformed_rules_are_reported_on_the_layer(string rule, string message)
    {
        Expect.Diagnostics(Layer(rule) + """

            [Input(10)] [{|MDSL0013:Twice(2)|}]
            public partial class Model;
            """,
            message);
    }
}
