using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>Diagnostics found while walking shapes through the layers (MDSL0003–0010, MDSL0018).</summary>
public sealed class ShapeDiagnosticsTests
{
    [Test]
    public void Dcgan_with_a_3x3_transposed_convolution_proposes_kernel_4_or_output_padding_1()
    {
        // The acceptance case: the real model file with its second upsampling changed.
        var model = RepoRoot.ReadFile("src/Models.Mnist/Models/DcganGenerator.cs");
        const string upsampling = "[Conv2DTranspose(128, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)]";
        var second = model.IndexOf(upsampling, model.IndexOf(upsampling, StringComparison.Ordinal) + 1, StringComparison.Ordinal);
        Assert.That(second, Is.GreaterThan(0), "DcganGenerator.cs no longer has two such layers");
        var markup = model[..second] + "[{|MDSL0003:Conv2DTranspose(128, 3, stride: 2, padding: 1)|}]" + model[(second + upsampling.Length)..];

        var run = Expect.Diagnostics(markup,
            "Conv2DTranspose(128, 3, stride: 2, padding: 1) turns 128×14×14 into 128×27×27, so 'DcganGenerator' ends at 1×27×27 " +
            "but [Output] promises 1×28×28 (100 → 6272 → 128×7×7 → 128×14×14 → 128×27×27 → 1×27×27); " +
            "kernel 4, outputPadding: 1 or padding: Padding.Same would give 1×28×28");

        var message = run.AnalyzerDiagnostics.Single().GetMessage();
        Assert.That(message, Does.Contain("27").And.Contain("28").And.Contain("kernel 4").And.Contain("outputPadding: 1"));
    }

    [Test]
    public void Diagnostics_sit_in_the_source_so_a_pragma_suppresses_them()
    {
        const string model = """
            [Input(1, 28, 28)] [Conv2D(8, 3)] [Flatten] [Dense(10)]
            [Output(12)]
            public partial class Classifier;
            """;
        var reported = Dsl.Run(model).AnalyzerDiagnostics.Single();
        Assert.That(reported.Location.IsInSource, "the diagnostic's location is not in the compilation's syntax tree");
        Assert.That(Dsl.Run("#pragma warning disable MDSL0003\n" + model).AnalyzerDiagnostics, Is.Empty);
    }

    [Test]
    public void Output_mismatch_fixable_by_one_argument_names_the_layer_and_the_fix()
    {
        Expect.Diagnostics("""
            [Input(1, 28, 28)] [Conv2D(8, 3)] [Flatten] [{|MDSL0003:Dense(10)|}] [ReLU]
            [Output(12)]
            public partial class Classifier;
            """,
            "Dense(10) turns 5408 into 10, so 'Classifier' ends at 10 but [Output] promises 12 (1×28×28 → 8×26×26 → 5408 → 10); units 12 would give 12");
    }

    [Test]
    public void Output_mismatch_without_a_one_argument_fix_is_reported_on_Output()
    {
        Expect.Diagnostics("""
            [Input(10)] [Dense(5)]
            [{|MDSL0004:Output(3, 4)|}]
            public partial class Head;
            """,
            "'Head' ends at 5 but [Output] promises 3×4 (10 → 5); no single argument of one layer fixes it: check the layers, or write [Output(5)]");
    }

    [Test]
    public void Output_mismatch_of_a_stack_without_shape_changes_shows_the_input_alone()
    {
        Expect.Diagnostics("""
            [Input(10)] [ReLU]
            [{|MDSL0004:Output(12)|}]
            public partial class Activation;
            """,
            "'Activation' ends at 10 but [Output] promises 12 (10); no single argument of one layer fixes it: check the layers, or write [Output(10)]");
    }

    [Test]
    public void Transposed_convolution_with_big_padding_reaches_negative_size()
    {
        Expect.Diagnostics("""
            [Input(8, 4, 4)] [{|MDSL0005:Conv2DTranspose(8, 3, padding: 5)|}]
            public partial class Shrinker;
            """,
            "Conv2DTranspose(8, 3, padding: 5) turns 8×4×4 into 8×-4×-4: every dimension must be at least 1");
    }

    [Test]
    public void Kernel_larger_than_the_input()
    {
        Expect.Diagnostics("""
            [Input(1, 3, 3)] [{|MDSL0006:Conv2D(8, 5)|}]
            public partial class Tiny;
            """,
            "Conv2D(8, 5) needs a window of 5 but its input 1×3×3 is only 3 wide after padding: use a kernel of at most 3, add padding, or remove a downsampling layer before it");
    }

    [Test]
    public void Pooling_window_larger_than_the_input_left_by_earlier_pooling()
    {
        Expect.Diagnostics("""
            [Input(1, 8, 8)] [MaxPooling2D(2)] [MaxPooling2D(2)] [{|MDSL0006:MaxPooling2D(3)|}]
            public partial class Pools;
            """,
            "MaxPooling2D(3) needs a window of 3 but its input 1×2×2 is only 2 wide after padding: use a kernel of at most 2, add padding, or remove a downsampling layer before it");
    }

    [Test]
    public void Reshape_to_another_element_count()
    {
        Expect.Diagnostics("""
            [Input(100)] [{|MDSL0007:Reshape(7, 7, 3)|}]
            public partial class Reshaper;
            """,
            "Reshape(7, 7, 3) needs 147 elements per sample but its input 100 has 100");
    }

    [Test]
    public void Reshape_with_an_inferred_dimension_that_does_not_divide()
    {
        Expect.Diagnostics("""
            [Input(100)] [{|MDSL0007:Reshape(-1, 3)|}]
            public partial class Reshaper;
            """,
            "Reshape(-1, 3) needs a multiple of 3 elements per sample but its input 100 has 100");
    }

    [Test]
    public void Spatial_layer_after_Flatten_says_Flatten_caused_it()
    {
        Expect.Diagnostics("""
            [Input(1, 28, 28)] [Flatten] [{|MDSL0008:Conv2D(8, 3)|}]
            public partial class Flat;
            """,
            "Conv2D(8, 3) needs a channels×height×width input but receives 784 (Flatten before it turned 1×28×28 into 784)");
    }

    [Test]
    public void LSTM_after_Flatten_of_an_image_names_the_rank_it_needs()
    {
        Expect.Diagnostics("""
            [Input(1, 28, 28)] [Flatten] [{|MDSL0008:LSTM(32)|}]
            public partial class Flat;
            """,
            "LSTM(32) needs a steps×features (T×F) input but receives 784 (Flatten before it turned 1×28×28 into 784)");
    }

    [Test]
    public void GRU_on_an_image_and_RepeatVector_on_a_sequence_name_the_rank_they_need()
    {
        Expect.Diagnostics("""
            [Input(1, 28, 28)] [{|MDSL0008:GRU(8)|}]
            public partial class Image;
            """,
            "GRU(8) needs a steps×features (T×F) input but receives 1×28×28");
        Expect.Diagnostics("""
            [Input(7, 12)] [LSTM(16, returnSequences: true)] [{|MDSL0008:RepeatVector(4)|}]
            public partial class Steps;
            """,
            "RepeatVector(4) needs a vector (F) input but receives 7×16");
    }

    [Test]
    public void Sequence_model_with_a_wrong_Output_names_the_sizes_and_proposes_returnSequences()
    {
        // Keras' addition RNN with the decoder's returnSequences forgotten.
        Expect.Diagnostics("""
            [Input(7, 12)] [LSTM(128)] [RepeatVector(4)] [{|MDSL0003:LSTM(128)|}] [Dense(12)]
            [Output(4, 12)]
            public partial class Addition;
            """,
            "LSTM(128) turns 4×128 into 128, so 'Addition' ends at 12 but [Output] promises 4×12 (7×12 → 128 → 4×128 → 128 → 12); " +
            "returnSequences: true would give 4×12");
    }

    [Test]
    public void Spatial_layer_on_a_vector_input()
    {
        Expect.Diagnostics("""
            [Input(10)] [{|MDSL0008:UpSampling2D(2)|}]
            public partial class Vector;
            """,
            "UpSampling2D(2) needs a channels×height×width input but receives 10");
    }

    [Test]
    public void Embedding_fed_by_floats()
    {
        Expect.Diagnostics("""
            [Input(10)] [{|MDSL0009:Embedding(10, 4)|}]
            public partial class Lookup;
            """,
            "Embedding(10, 4) looks up integer indices but receives 10: feed it from [Input(DType.Int64)] before any other layer");
    }

    [Test]
    public void Integer_tokens_into_LSTM_without_an_Embedding()
    {
        Expect.Diagnostics("""
            [Input(DType.Int64, 5, 3)] [{|MDSL0010:LSTM(4)|}]
            public partial class Tokens;
            """,
            "LSTM(4) receives integer indices (int64 5×3): start the stack with [Embedding(count, dim)], or declare a float [Input]");
    }

    [Test]
    public void Integer_input_into_Dense()
    {
        Expect.Diagnostics("""
            [Input(DType.Int64, 5)] [{|MDSL0010:Dense(4)|}]
            public partial class Tokens;
            """,
            "Dense(4) receives integer indices (int64 5): start the stack with [Embedding(count, dim)], or declare a float [Input]");
    }

    [Test]
    public void Integer_input_keeps_its_type_through_Reshape_and_Flatten()
    {
        Expect.Diagnostics("""
            [Input(DType.Int64, 2, 2)] [Reshape(4)] [Flatten] [{|MDSL0010:ReLU|}]
            public partial class Tokens;
            """,
            "ReLU receives integer indices (int64 4): start the stack with [Embedding(count, dim)], or declare a float [Input]");
    }

    [Test]
    public void Dense_of_int_MaxValue_twice_overflows_the_element_count()
    {
        Expect.Diagnostics("""
            [Input(3, 10)] [Dense(int.MaxValue)] [Reshape(-1, 1)] [{|MDSL0018:Dense(int.MaxValue)|}]
            public partial class Huge;
            """,
            "Dense(2147483647) produces 6442450941×2147483647, more elements per sample than a tensor can hold");
    }

    [Test]
    public void Upsampling_a_large_image_overflows_the_element_count()
    {
        Expect.Diagnostics("""
            [Input(1000, 1000, 1000)] [{|MDSL0018:UpSampling2D(int.MaxValue)|}]
            public partial class Huge;
            """,
            "UpSampling2D(2147483647) produces 1000×2147483647000×2147483647000, more elements per sample than a tensor can hold");
    }

    [Test]
    public void Dimension_beyond_a_long_is_an_overflow_not_a_crash()
    {
        Expect.Diagnostics("""
            [Input(1, 1, 1)] [{|MDSL0018:Conv2DTranspose(1, int.MaxValue, stride: int.MaxValue, dilation: int.MaxValue)|}]
            public partial class Huge;
            """,
            "Conv2DTranspose(1, 2147483647, stride: 2147483647, dilation: 2147483647) produces a dimension beyond 2^63, more elements per sample than a tensor can hold");
    }

    [Test]
    public void Parameter_count_beyond_a_long()
    {
        Expect.Diagnostics("""
            [Input(int.MaxValue, 3, 3)] [{|MDSL0018:Conv2D(int.MaxValue, 3)|}]
            public partial class Huge;
            """,
            "Conv2D(2147483647, 3) produces more than 2^63 trainable parameters, more elements per sample than a tensor can hold");
    }

    [Test]
    public void Huge_input_is_reported_on_Input()
    {
        Expect.Diagnostics("""
            [{|MDSL0022:Input(int.MaxValue, int.MaxValue, int.MaxValue)|}]
            public partial class Huge;
            """,
            "[Input] of 'Huge': 2147483647×2147483647×2147483647 has more elements per sample than a tensor can hold");
    }

    [Test]
    public void Flatten_of_a_huge_input_reports_the_input_not_a_zero_size()
    {
        Expect.Diagnostics("""
            [{|MDSL0022:Input(int.MaxValue, int.MaxValue, int.MaxValue)|}] [Flatten]
            public partial class Huge;
            """,
            "[Input] of 'Huge': 2147483647×2147483647×2147483647 has more elements per sample than a tensor can hold");
    }
}
