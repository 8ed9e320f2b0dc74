using Google.Protobuf;
using Models.Mnist.Models;
using ModelDsl.Export;
using ModelDsl.Onnx;
using ModelDsl.Tests.App;
using ModelDsl.ShapeFuzz;
using ModelDsl.Tests.TestModels;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Onnx;

/// <summary>
/// Every model exported to ONNX and run in ONNX Runtime agrees with TorchSharp in eval mode: same output shapes, and
/// values within 1e-4 · max(1, |TorchSharp's|). Batch-norm statistics are moved first by a few batches in training
/// mode, so that the inference form (running statistics) is exercised, not the initial zeros and ones.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class OnnxExportTests
{
    private const long Batch = 3;

    /// <summary>A model, and the bound of its integer inputs (class ids, token ids).</summary>
    public sealed record Case(string Name, Func<nn.Module> Create, long IndexLimit = 10)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Models() => [.. Cases];

    /// <summary>Every MNIST model and every test model with an ONNX form (ScaledPoolModel's custom layer has none).</summary>
    public static IReadOnlyList<Case> Cases { get; } =
    [
        new("DigitClassifier", () => new DigitClassifier()),
        new("TransferCnn", () => new TransferCnn()),
        new("DcganGenerator", () => new DcganGenerator()),
        new("DcganDiscriminator", () => new DcganDiscriminator()),
        new("DcganBnGenerator", () => new DcganBnGenerator()),
        new("DcganBnDiscriminator", () => new DcganBnDiscriminator()),
        new("MlpGenerator", () => new MlpGenerator()),
        new("MlpDiscriminator", () => new MlpDiscriminator()),
        new("AcganGenerator", () => new AcganGenerator()),
        new("AcganDiscriminator", () => new AcganDiscriminator()),
        new("AcganSmallGenerator", () => new AcganSmallGenerator()),
        new("AcganSmallDiscriminator", () => new AcganSmallDiscriminator()),
        new("AdditionRnn", () => new AdditionRnn()),
        new("Cifar10Cnn", () => new Cifar10Cnn()),
        new("Cifar10Transfer", () => new Cifar10Transfer()),
        new("AntirectifierModel", () => new AntirectifierModel()),
        new("SamePaddingModel", () => new SamePaddingModel()),
        new("TransposeModel", () => new TransposeModel()),
        new("OddSameTransposeModel", () => new OddSameTransposeModel()),
        new("PoolingModel", () => new PoolingModel()),
        new("PaddingOnlyPoolingModel", () => new PaddingOnlyPoolingModel()),
        new("EmbeddingModel", () => new EmbeddingModel()),
        new("GlorotModel", () => new GlorotModel(), IndexLimit: 100),
        new("NoBiasModel", () => new NoBiasModel()),
        new("PointwiseDilatedModel", () => new PointwiseDilatedModel()),
        new("TwoHeadModel", () => new TwoHeadModel()),
        new("NestedModel", () => new Outer.NestedModel()),
        new("SequenceToSequenceModel", () => new SequenceToSequenceModel()),
        new("TokenGruModel", () => new TokenGruModel(), IndexLimit: 20),
        new("LstmReadings", () => new LstmReadings()),
    ];

    [Theory]
    [MemberData(nameof(Models))]
    public void Onnx_runtime_agrees_with_TorchSharp(Case model)
    {
        using var scope = NewDisposeScope();
        var module = Prepared(model);
        var proto = OnnxExport.ToModel((IOnnxExportable)module, model.Name);
        using var random = new torch.Generator(7);
        var inputs = OnnxRuntimeRunner.RandomInputs(proto, Batch, model.IndexLimit, random);
        var expected = OnnxRuntimeRunner.Forward(module, inputs);
        var actual = OnnxRuntimeRunner.Run(proto, inputs);
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].shape, actual[i].Shape);
            Assert.InRange(OnnxRuntimeRunner.WorstError(actual[i].Values, expected[i]), 0, 1);
        }
    }

    [Fact]
    public void Equal_infinities_agree_and_an_infinity_on_one_side_does_not()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0, OnnxRuntimeRunner.WorstError([float.NegativeInfinity, float.NaN, 2f], tensor(new[] { float.NegativeInfinity, float.NaN, 2f })));
        Assert.Equal(double.PositiveInfinity, OnnxRuntimeRunner.WorstError([float.MinValue], tensor(new[] { float.NegativeInfinity })));
        Assert.Equal(double.PositiveInfinity, OnnxRuntimeRunner.WorstError([float.NaN], tensor(new[] { 1f })));
        Assert.Equal(2, OnnxRuntimeRunner.WorstError([1.0002f], tensor(new[] { 1f })), 2);
        // The model whose pooling window covers padding alone: -inf in TorchSharp, checked against ONNX Runtime by the theory above.
        using var noGrad = no_grad();
        Assert.Equal(float.NegativeInfinity, new PaddingOnlyPoolingModel().forward(ones(2, 1, 1, 1)).data<float>().Distinct().Single());
    }

    [Fact]
    public void A_file_has_the_promised_versions_names_batch_axis_and_metadata()
    {
        using var scope = NewDisposeScope();
        var proto = OnnxExport.ToModel(new AcganSmallGenerator(), "acgan-small", new Dictionary<string, string> { ["latent_size"] = "100" });
        var reread = ModelProto.Parser.ParseFrom(proto.ToByteArray());
        Assert.Equal(8, reread.IrVersion);
        Assert.Equal(17, Assert.Single(reread.OpsetImport).Version);
        Assert.Equal(["latent", "digit"], reread.Graph.Input.Select(i => i.Name));
        Assert.Equal(["output"], reread.Graph.Output.Select(o => o.Name));
        Assert.All(reread.Graph.Input.Concat(reread.Graph.Output), value => Assert.Equal("batch", value.Type.TensorType.Shape.Dim[0].DimParam));
        Assert.Equal((int)OnnxElementType.Int64, reread.Graph.Input[1].Type.TensorType.ElemType);
        Assert.Equal([1L, 28, 28], reread.Graph.Output[0].Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal(new Dictionary<string, string> { ["name"] = "acgan-small", ["latent_size"] = "100" }, reread.MetadataProps.ToDictionary(p => p.Key, p => p.Value));
        // Keras "same" needs no Pad node, dropout none, and the crop of a "same" transposed convolution sits in its end pads.
        Assert.DoesNotContain(reread.Graph.Node, n => n.OpType is "Pad" or "Dropout" or "Slice");
        Assert.Contains("image_dense_1.weight", reread.Graph.Initializer.Select(i => i.Name));
    }

    [Fact]
    public void Stacks_export_one_by_one_and_agree()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var module = new LstmReadings();
        module.eval();
        Assert.Equal(["Sequence", "LastState", "Repeated"], module.OnnxStacks);
        using var random = new torch.Generator(3);
        var steps = randn([2, 6, 2], generator: random);
        var vector = randn([2, 2], generator: random);
        foreach (var (stack, input, expected) in new[] { ("Sequence", steps, module.Sequence(steps)), ("Repeated", vector, module.Repeated(vector)) })
        {
            var proto = OnnxExport.ToModel(module, stack, stack: stack);
            Assert.Equal([stack], proto.Graph.Output.Select(o => o.Name));
            var actual = Assert.Single(OnnxRuntimeRunner.Run(proto, [input]));
            Assert.Equal(expected.shape, actual.Shape);
            Assert.InRange(OnnxRuntimeRunner.WorstError(actual.Values, expected), 0, 1);
        }
        Assert.Throws<ArgumentException>(() => module.WriteOnnxStack(new OnnxSpy(), "Head"));
    }

    [Fact]
    public void A_forward_that_does_more_than_call_stacks_is_exported_stack_by_stack()
    {
        using var scope = NewDisposeScope();
        var module = new CombinedStacksModel();
        Assert.False(module.HasOnnxGraph);
        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToModel(module, "combined"));
        Assert.Contains("'image.mean([1])' is not a stack call", error.Message);
        Assert.Contains("export its stacks one by one", error.Message);
        // A stack with operands takes them as inputs of its graph.
        var proto = OnnxExport.ToModel(module, "conditioned", stack: "Conditioned");
        Assert.Equal(["x", "classBias", "gate"], proto.Graph.Input.Select(i => i.Name));
        module.eval();
        using var random = new torch.Generator(5);
        var (x, classBias, gate) = (randn([2, 4, 6, 6], generator: random), randn([2, 4, 1, 1], generator: random), randn([2, 6, 6], generator: random));
        var actual = Assert.Single(OnnxRuntimeRunner.Run(proto, [x, classBias, gate]));
        Assert.InRange(OnnxRuntimeRunner.WorstError(actual.Values, module.Conditioned(x, classBias, gate)), 0, 1);
    }

    [Fact]
    public void A_custom_layer_without_onnx_nodes_stops_the_export_naming_it()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<OnnxExportException>(() => OnnxExport.ToModel(new ScaledPoolModel(), "scaled"));
        Assert.Contains("the custom layer ScaledPool (scaled_pool_0)", error.Message);
        Assert.Contains("implement ModelDsl.Export.IOnnxLayer", error.Message);
    }

    /// <summary>The model with batch-norm statistics moved by three random batches in training mode, then in eval mode.</summary>
    private static nn.Module Prepared(Case model)
    {
        manual_seed(11);
        var module = model.Create();
        var probe = OnnxExport.ToModel((IOnnxExportable)module, model.Name);
        using var random = new torch.Generator(1);
        module.train();
        using (no_grad())
            for (var step = 0; step < 3; step++)
                OnnxRuntimeRunner.Forward(module, OnnxRuntimeRunner.RandomInputs(probe, 16, model.IndexLimit, random));
        module.eval();
        return module;
    }

    /// <summary>A graph that only hands out names, for calls expected to fail before writing.</summary>
    private sealed class OnnxSpy : IOnnxGraph
    {
        public string Input(string name, OnnxElementType type, ReadOnlySpan<long> perSampleShape) => name;
        public void Output(string name, string value, OnnxElementType type, ReadOnlySpan<long> perSampleShape) { }
        public string Weight(string name, Tensor value) => name;
        public string Constant(string name, params long[] values) => name;
        public string Node(string operatorType, IReadOnlyList<string> inputs, params OnnxAttribute[] attributes) => operatorType;
        public IReadOnlyList<string> Node(string operatorType, IReadOnlyList<string> inputs, int outputs, params OnnxAttribute[] attributes) => [operatorType];
    }
}
