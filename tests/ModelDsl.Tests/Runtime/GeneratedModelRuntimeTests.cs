using Models.Mnist.Models;
using ModelDsl.Tests.TestModels;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Runtime;

/// <summary>What the generator computed at build time equals what TorchSharp does at run time.</summary>
public class GeneratedModelRuntimeTests
{
    private const int Batch = 2;

    [Fact] public void DcganGenerator_matches_its_compile_time_facts() => CheckFloatModel<DcganGenerator>();
    [Fact] public void DcganDiscriminator_matches_its_compile_time_facts() => CheckFloatModel<DcganDiscriminator>();
    [Fact] public void DigitClassifier_matches_its_compile_time_facts() => CheckFloatModel<DigitClassifier>();
    [Fact] public void SamePaddingModel_matches_its_compile_time_facts() => CheckFloatModel<SamePaddingModel>();
    [Fact] public void TransposeModel_matches_its_compile_time_facts() => CheckFloatModel<TransposeModel>();
    [Fact] public void PoolingModel_matches_its_compile_time_facts() => CheckFloatModel<PoolingModel>();
    [Fact] public void NestedModel_matches_its_compile_time_facts() => CheckFloatModel<Outer.NestedModel>();
    [Fact] public void Custom_layer_model_matches_its_compile_time_facts() => CheckFloatModel<AntirectifierModel>();
    [Fact] public void Custom_layer_with_arguments_and_parameters_matches_its_compile_time_facts() => CheckFloatModel<ScaledPoolModel>();
    [Fact] public void Cifar10Cnn_matches_its_compile_time_facts() => CheckFloatModel<Cifar10Cnn>();
    [Fact] public void TransferCnn_matches_its_compile_time_facts() => CheckFloatModel<TransferCnn>();

    // Keras' summary of mnist_transfer_cnn: 600,165 parameters, 9,568 of them in the two convolutions.
    [Fact] public void TransferCnn_has_the_parameter_count_of_the_Keras_example() => Assert.Equal(600_165, TransferCnn.ParameterCount);

    [Fact] public void SequenceToSequenceModel_matches_its_compile_time_facts() => CheckFloatModel<SequenceToSequenceModel>();
    [Fact] public void AdditionRnn_matches_its_compile_time_facts() => CheckFloatModel<AdditionRnn>();

    // Keras' 205,324, plus PyTorch's second bias vector in both LSTMs (4·128 each).
    [Fact] public void AdditionRnn_has_the_parameter_count_of_the_Keras_example_with_PyTorchs_biases() => Assert.Equal(205_324 + 2 * 512, AdditionRnn.ParameterCount);

    [Fact]
    public void Recurrent_layers_have_PyTorchs_parameter_counts()
    {
        // LSTM 4·(F·h + h² + 2h), GRU 3·(F·h + h² + 2h): F = 3, h = 8 and F = 8, h = 6; Dense 6·3 + 3.
        Assert.Equal(4 * (3 * 8 + 64 + 16) + 4 * (8 * 6 + 36 + 12) + 21, SequenceToSequenceModel.ParameterCount);
        // Embedding 20·4; GRU F = 4, h = 5 and F = 5, h = 7; Dense 7·2 + 2.
        Assert.Equal(80 + 3 * (4 * 5 + 25 + 10) + 3 * (5 * 7 + 49 + 14) + 16, TokenGruModel.ParameterCount);
    }

    [Fact]
    public void TokenGruModel_takes_token_ids()
    {
        using var model = new TokenGruModel();
        model.eval();
        using var output = model.forward(randint(20, [Batch, .. TokenGruModel.InputShape]));
        Assert.Equal([Batch, .. TokenGruModel.OutputShape], output.shape);
        Assert.Equal(TokenGruModel.ParameterCount, CountParameters(model));
    }

    [Fact]
    public void A_recurrent_layers_last_state_is_the_last_step_of_its_sequence()
    {
        using var model = new LstmReadings();
        // One set of weights read both ways (each stack's layers are named after it).
        model.load_state_dict(model.state_dict().Where(p => p.Key.StartsWith("sequence_", StringComparison.Ordinal))
            .ToDictionary(p => p.Key.Replace("sequence_", "last_state_"), p => p.Value), strict: false);
        using var steps = randn(Batch, 6, 2);
        using var sequence = model.Sequence(steps);
        using var last = model.LastState(steps);
        Assert.Equal([Batch, 6, 3], sequence.shape);
        Assert.True(last.allclose(sequence[.., -1]));
        Assert.Contains("last_state_lstm_0.lstm.weight_hh_l0", model.state_dict().Keys);
    }

    [Fact]
    public void RepeatVector_gives_every_step_the_same_vector()
    {
        using var model = new LstmReadings();
        using var vector = randn(Batch, 2);
        using var repeated = model.Repeated(vector);
        Assert.Equal([Batch, 6, 2], repeated.shape);
        for (var step = 0; step < 6; step++) Assert.True(repeated[.., step].allclose(vector, rtol: 0, atol: 0));
    }

    [Fact] public void DcganBnGenerator_matches_its_compile_time_facts() => CheckFloatModel<DcganBnGenerator>();
    [Fact] public void DcganBnDiscriminator_matches_its_compile_time_facts() => CheckFloatModel<DcganBnDiscriminator>();
    [Fact] public void MlpGenerator_matches_its_compile_time_facts() => CheckFloatModel<MlpGenerator>();
    [Fact] public void MlpDiscriminator_matches_its_compile_time_facts() => CheckFloatModel<MlpDiscriminator>();

    [Fact]
    public void DcganBn_networks_have_the_trainable_parameter_counts_of_the_TensorFlow_tutorial()
    {
        // The tutorial's summaries: 2,305,472 trainable (plus 25,472 BatchNormalization statistics, buffers here) and 212,865.
        Assert.Equal(2_305_472, DcganBnGenerator.ParameterCount);
        Assert.Equal(212_865, DcganBnDiscriminator.ParameterCount);
    }

    [Fact] public void NoBiasModel_matches_its_compile_time_facts() => CheckFloatModel<NoBiasModel>();

    [Fact]
    public void Layers_with_useBias_false_have_no_bias_parameter_and_count_only_their_weights()
    {
        using var model = new NoBiasModel();
        Assert.Equal(["conv2d_0.weight", "conv2d_transpose_1.weight", "dense_3.weight", "dense_4.bias", "dense_4.weight"],
            model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal));
        // Conv2D 3·4·3², Conv2DTranspose 4·5·4², Dense 5·8·8·6, Dense 6·2 + 2: as Keras counts use_bias=False.
        Assert.Equal(3 * 4 * 9 + 4 * 5 * 16 + 5 * 8 * 8 * 6 + 6 * 2 + 2, NoBiasModel.ParameterCount);
        using var linear = nn.Linear(5 * 8 * 8, 6, hasBias: false);
        using var convolution = nn.Conv2d(3, 4, 3, bias: false);
        using var transposed = nn.ConvTranspose2d(4, 5, 4, bias: false);
        Assert.Equal(NoBiasModel.ParameterCount - 6 * 2 - 2, CountParameters(linear) + CountParameters(convolution) + CountParameters(transposed));
    }

    [Fact] public void Cifar10Cnn_has_the_parameter_count_of_the_Keras_example() => Assert.Equal(1_250_858, Cifar10Cnn.ParameterCount);

    [Fact]
    public void Cifar10Transfer_stacks_have_their_compile_time_shapes()
    {
        using var model = new Cifar10Transfer();
        model.eval();
        using var output = model.forward(zeros([Batch, .. Cifar10Transfer.FeaturesInputShape]));
        Assert.Equal([Batch, .. Cifar10Transfer.ClassifierOutputShape], output.shape);
        Assert.Equal(Cifar10Transfer.FeaturesOutputShape.ToArray(), Cifar10Transfer.ClassifierInputShape.ToArray());
        Assert.Equal(Cifar10Cnn.ParameterCount, Cifar10Transfer.ParameterCount);
        Assert.Equal(Cifar10Transfer.ParameterCount, CountParameters(model));
    }

    [Fact]
    public void EmbeddingModel_takes_integer_indices()
    {
        using var model = new EmbeddingModel();
        model.eval();
        using var output = model.forward(zeros([Batch, .. EmbeddingModel.InputShape], ScalarType.Int64));
        Assert.Equal([Batch, .. EmbeddingModel.OutputShape], output.shape);
        Assert.Equal(EmbeddingModel.ParameterCount, CountParameters(model));
    }

    [Fact]
    public void TwoHeadModel_heads_have_their_compile_time_shapes()
    {
        using var model = new TwoHeadModel();
        model.eval();
        var (validity, logits) = model.forward(zeros([Batch, .. TwoHeadModel.FeaturesInputShape]));
        Assert.Equal([Batch, .. TwoHeadModel.ValidityOutputShape], validity.shape);
        Assert.Equal([Batch, .. TwoHeadModel.ClassLogitsOutputShape], logits.shape);
        Assert.Equal(TwoHeadModel.ParameterCount, CountParameters(model));
    }

    [Fact]
    public void Combined_stacks_have_their_compile_time_shapes()
    {
        using var model = new CombinedStacksModel();
        model.eval();
        using var output = model.forward(randn([Batch, .. CombinedStacksModel.ConditionedInputShape]), tensor(new long[] { 3, 7 }));
        Assert.Equal([Batch, .. CombinedStacksModel.HeadOutputShape], output.shape);
        Assert.Equal(CombinedStacksModel.ParameterCount, CountParameters(model));
    }

    [Fact]
    public void Element_wise_operands_broadcast_per_sample_with_the_batch_axis_kept_apart()
    {
        using var model = new CombinedStacksModel();
        using var image = randn(Batch, 4, 6, 6);
        using var classBias = randn(Batch, 4, 1, 1);
        using var gate = randn(Batch, 6, 6);
        using var expected = (image + classBias) * gate.unsqueeze(1);
        using var actual = model.Conditioned(image, classBias, gate);
        Assert.True(actual.allclose(expected));
    }

    [Fact]
    public void State_dict_keys_are_the_generated_field_names()
    {
        using var model = new DcganGenerator();
        var keys = model.state_dict().Keys.ToHashSet();
        Assert.Contains("dense_0.weight", keys);
        Assert.Contains("conv2d_transpose_3.bias", keys);
        Assert.Contains("conv2d_7.weight", keys);
        Assert.Equal(8, keys.Count); // weight and bias of the four layers with parameters
    }

    [Fact]
    public void Keras_same_padding_matches_the_computed_shape_for_odd_sizes()
    {
        using var model = new SamePaddingModel();
        using var output = model.forward(randn(Batch, 3, 15, 16));
        Assert.Equal([Batch, 8, 4, 4], output.shape);
    }

    [Fact]
    public void Keras_same_transposed_convolution_keeps_the_top_left_of_the_full_result()
    {
        using var model = new OddSameTransposeModel();
        using var full = nn.ConvTranspose2d(1, 1, 3, stride: 2);
        full.load_state_dict(model.state_dict().ToDictionary(p => p.Key.Split('.')[1], p => p.Value));
        using var input = randn(Batch, 1, 3, 3);
        using var expected = full.forward(input)[.., .., ..6, ..6]; // TensorFlow crops ⌊excess/2⌋ = 0 rows at the top
        using var actual = model.forward(input);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    private static void CheckFloatModel<TModel>() where TModel : nn.Module<Tensor, Tensor>, IGeneratedModel, new()
    {
        using var model = new TModel();
        model.eval();
        using var output = model.forward(zeros([Batch, .. TModel.InputShape]));
        Assert.Equal([Batch, .. TModel.OutputShape], output.shape);
        Assert.Equal(TModel.ParameterCount, CountParameters(model));
        Assert.Contains("Total params: " + TModel.ParameterCount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), TModel.Summary);
    }

    private static long CountParameters(nn.Module model) => model.parameters().Sum(p => p.numel());
}
