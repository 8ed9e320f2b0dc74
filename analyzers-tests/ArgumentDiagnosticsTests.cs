using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>Arguments that are wrong whatever the input (MDSL0013), shapes in [Input]/[Output] (MDSL0022, MDSL0024), unknown layers (MDSL0023).</summary>
public sealed class ArgumentDiagnosticsTests
{
    // Each case: the stack's layers with the offending argument marked, then the message.
    [TestCase("[Dense({|MDSL0013:0|})]", "Dense(0): units must be at least 1, not 0")]
    [TestCase("[Dense({|MDSL0013:int.MinValue|})]", "Dense(-2147483648): units must be at least 1, not -2147483648")]
    [TestCase("[LSTM({|MDSL0013:0|})]", "LSTM(0): units must be at least 1, not 0")]
    [TestCase("[GRU({|MDSL0013:-1|}, returnSequences: true)]", "GRU(-1, returnSequences: true): units must be at least 1, not -1")]
    [TestCase("[RepeatVector({|MDSL0013:0|})]", "RepeatVector(0): count must be at least 1, not 0")]
    [TestCase("[Dropout({|MDSL0013:1.5|})]", "Dropout(1.5): rate is the probability of dropping a value and must be in [0, 1), not 1.5")]
    [TestCase("[Dropout({|MDSL0013:double.NaN|})]", "Dropout(NaN): rate is the probability of dropping a value and must be in [0, 1), not NaN")]
    [TestCase("[LeakyReLU({|MDSL0013:-0.1|})]", "LeakyReLU(-0.1): slope must be a finite non-negative number, not -0.1")]
    [TestCase("[LeakyReLU({|MDSL0013:double.PositiveInfinity|})]", "LeakyReLU(Infinity): slope must be a finite non-negative number, not Infinity")]
    [TestCase("[Embedding({|MDSL0013:0|}, 4)]", "Embedding(0, 4): count must be at least 1, not 0")]
    [TestCase("[BatchNormalization({|MDSL0013:momentum: 2|})]", "BatchNormalization(momentum: 2): momentum must be in [0, 1], not 2")]
    [TestCase("[BatchNormalization({|MDSL0013:epsilon: 0|})]", "BatchNormalization(epsilon: 0): epsilon must be positive, not 0")]
    [TestCase("[Reshape({|MDSL0013:new[] { 0, 5 }|})]", "Reshape(0, 5): dimensions must be at least 1 (or -1 for one inferred dimension), not 0, 5")]
    [TestCase("[Dense(3, {|MDSL0013:init: (Init)3|})]", "Dense(3, init: (Init)3): init must be Init.Default, Init.GlorotNormal or Init.GlorotUniform, not the undefined value (Init)3")]
    [TestCase("[Dense(3, {|MDSL0013:(Init)(-1)|})]", "Dense(3, init: (Init)(-1)): init must be Init.Default, Init.GlorotNormal or Init.GlorotUniform, not the undefined value (Init)(-1)")]
    public void Invalid_argument_on_a_vector_layer(string layers, string message)
    {
        Expect.Diagnostics($"""
            [Input(10)] {layers}
            public partial class Model;
            """, message);
    }

    [TestCase("[Conv2D({|MDSL0013:0|}, 3)]", "Conv2D(0, 3): filters must be at least 1, not 0")]
    [TestCase("[Conv2D(8, {|MDSL0013:-1|})]", "Conv2D(8, -1): kernel must be at least 1, not -1")]
    [TestCase("[Conv2D(8, 3, {|MDSL0013:stride: 0|})]", "Conv2D(8, 3, stride: 0): stride must be at least 1, not 0")]
    [TestCase("[Conv2D(8, 3, {|MDSL0013:padding: -1|})]", "Conv2D(8, 3, padding: -1): padding must not be negative, not -1")]
    [TestCase("[Conv2D(8, 3, {|MDSL0013:dilation: 0|})]", "Conv2D(8, 3, dilation: 0): dilation must be at least 1, not 0")]
    [TestCase("[Conv2D(kernel: 3, {|MDSL0013:filters: 0|})]", "Conv2D(0, 3): filters must be at least 1, not 0")]
    [TestCase("[Conv2DTranspose(8, 4, stride: 2, {|MDSL0013:outputPadding: 2|})]",
        "Conv2DTranspose(8, 4, stride: 2, outputPadding: 2): outputPadding must be smaller than stride or dilation (PyTorch's rule), so at most 1, not 2")]
    [TestCase("[Conv2DTranspose(8, 4, {|MDSL0013:outputPadding: 1|})]",
        "Conv2DTranspose(8, 4, outputPadding: 1): outputPadding must be smaller than stride or dilation (PyTorch's rule), so at most 0, not 1")]
    [TestCase("[MaxPooling2D(2, {|MDSL0013:padding: 2|})]",
        "MaxPooling2D(2, padding: 2): padding must be at most half the pool size (PyTorch's rule), so at most 1, not 2")]
    [TestCase("[AveragePooling2D(3, {|MDSL0013:padding: 2|})]",
        "AveragePooling2D(3, padding: 2): padding must be at most half the pool size (PyTorch's rule), so at most 1, not 2")]
    [TestCase("[MaxPooling2D(2, {|MDSL0013:stride: -1|})]", "MaxPooling2D(2, stride: -1): stride must be at least 1 (or 0 for the pool size), not -1")]
    [TestCase("[UpSampling2D({|MDSL0013:0|})]", "UpSampling2D(0): factor must be at least 1, not 0")]
    [TestCase("[ZeroPadding2D({|MDSL0013:-1|})]", "ZeroPadding2D(-1): pad must not be negative, not -1")]
    [TestCase("[Conv2D(8, 3, padding: Padding.Same, {|MDSL0013:init: (Init)9|})]",
        "Conv2D(8, 3, padding: Padding.Same, init: (Init)9): init must be Init.Default, Init.GlorotNormal or Init.GlorotUniform, not the undefined value (Init)9")]
    [TestCase("[Conv2DTranspose(8, 3, {|MDSL0013:init: (Init)9|})]",
        "Conv2DTranspose(8, 3, init: (Init)9): init must be Init.Default, Init.GlorotNormal or Init.GlorotUniform, not the undefined value (Init)9")]
    public void Invalid_argument_on_an_image_layer(string layers, string message)
    {
        Expect.Diagnostics($"""
            [Input(8, 7, 7)] {layers}
            public partial class Model;
            """, message);
    }

    [Test]
    public void Every_invalid_argument_of_one_layer_is_reported()
    {
        Expect.Diagnostics("""
            [Input(8, 7, 7)] [Conv2D({|MDSL0013:0|}, {|MDSL0013:-1|}, {|MDSL0013:stride: 0|})]
            public partial class Model;
            """,
            "Conv2D(0, -1, stride: 0): filters must be at least 1, not 0",
            "Conv2D(0, -1, stride: 0): kernel must be at least 1, not -1",
            "Conv2D(0, -1, stride: 0): stride must be at least 1, not 0");
    }

    [Test]
    public void Reshape_with_two_inferred_dimensions_is_reported_on_its_dimensions()
    {
        Expect.Diagnostics("""
            [Input(10)] [Reshape({|MDSL0013:2, -1, -1|})]
            public partial class Model;
            """,
            "Reshape(2, -1, -1): at most one dimension can be -1");
    }

    [Test]
    public void Reshape_with_two_inferred_dimensions_given_as_an_array()
    {
        // An array argument is one argument, so it is the span whichever value is at fault.
        Expect.Diagnostics("""
            [Input(10)] [Reshape({|MDSL0013:new[] { 2, -1, -1 }|})]
            public partial class Model;
            """,
            "Reshape(2, -1, -1): at most one dimension can be -1");
    }

    [Test]
    public void Input_with_a_zero_dimension()
    {
        Expect.Diagnostics("""
            [Input({|MDSL0022:0|})] [Dense(3)]
            public partial class Model;
            """,
            "[Input] of 'Model': every dimension must be at least 1, not 0");
    }

    [Test]
    public void Integer_input_with_a_zero_dimension()
    {
        Expect.Diagnostics("""
            [Input(DType.Int64, {|MDSL0022:0|})] [Embedding(4, 2)]
            public partial class Model;
            """,
            "[Input] of 'Model': every dimension must be at least 1, not 0");
    }

    [Test]
    public void Input_with_a_zero_dimension_is_reported_on_that_dimension()
    {
        Expect.Diagnostics("""
            [Input(1, {|MDSL0022:0|}, 28)] [Flatten]
            public partial class Model;
            """,
            "[Input] of 'Model': every dimension must be at least 1, not 0");
    }

    [Test]
    public void Output_with_a_negative_dimension()
    {
        Expect.Diagnostics("""
            [Input(10)] [Dense(3)] [Output({|MDSL0024:-1|})]
            public partial class Model;
            """,
            "[Output] of 'Model': every dimension must be at least 1, not -1");
    }

    [Test]
    public void Layer_attribute_without_a_rule()
    {
        Expect.Diagnostics("""
            public sealed class SwishAttribute : LayerAttribute;

            [Input(10)] [{|MDSL0023:Swish|}] [Dense(3)]
            public partial class Model;
            """,
            "'SwishAttribute' derives from LayerAttribute, but ModelDsl has no shape rule for it: derive it from CustomLayerAttribute and declare its [ShapeRule]");
    }
}
