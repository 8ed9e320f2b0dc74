using ModelDsl;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.TestModels;

/// <summary>Keras "same" with stride 2 on odd and even sizes: asymmetric padding becomes an explicit ZeroPad2d.</summary>
[Input(3, 15, 16)]
[Conv2D(8, 3, stride: 2, padding: Padding.Same)] [ReLU]
[Conv2D(8, 4, stride: 2, padding: Padding.Same, dilation: 2)]
[Output(8, 4, 4)]
public partial class SamePaddingModel;

/// <summary>Transposed convolutions: Same with odd kernel, explicit outputPadding, dilation.</summary>
[Input(4, 7, 7)]
[Conv2DTranspose(6, 5, stride: 2, padding: Padding.Same)]
[Conv2DTranspose(3, 3, stride: 2, padding: 1, outputPadding: 1)]
[Conv2DTranspose(2, 3, stride: 1, padding: Padding.Valid, dilation: 2)]
[Output(2, 32, 32)]
public partial class TransposeModel;

/// <summary>Pooling, upsampling, zero padding and batch normalisation on images and vectors.</summary>
[Input(2, 12, 12)]
[ZeroPadding2D(2)] [BatchNormalization]
[MaxPooling2D(3, stride: 2, padding: 1)]
[AveragePooling2D(2)]
[UpSampling2D(3)]
[MaxPooling2D(2, dilation: 2)]
[Flatten] [BatchNormalization(momentum: 0.01)] [Dense(5)] [Tanh] [Softmax]
[Output(5)]
public partial class PoolingModel;

/// <summary>Max pooling whose only window covers padding alone: PyTorch gives -inf, and so must the ONNX export.</summary>
[Input(1, 1, 1)]
[MaxPooling2D(2, padding: 1, dilation: 2)]
[Output(1, 1, 1)]
public partial class PaddingOnlyPoolingModel;

/// <summary>Integer class input: Embedding, then a reshape with an inferred dimension.</summary>
[Input(DType.Int64)]
[Embedding(10, 16)]
[Reshape(4, -1)]
[Dense(3)] [LogSoftmax]
[Output(4, 3)]
public partial class EmbeddingModel;

/// <summary>Several heads from one trunk, written as partial methods.</summary>
public partial class TwoHeadModel : nn.Module<Tensor, (Tensor Validity, Tensor Class)>
{
    [Input(1, 28, 28)]
    [Conv2D(16, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.3)]
    [Flatten]
    private partial Tensor Features(Tensor image);

    [From(nameof(Features))] [Dense(1)] [Sigmoid]
    [Output(1)]
    private partial Tensor Validity(Tensor x);

    [From(nameof(Features))] [Dense(10)]
    private partial Tensor ClassLogits(Tensor features);

    public override (Tensor Validity, Tensor Class) forward(Tensor image)
    {
        var features = Features(image);
        return (Validity(features), ClassLogits(features));
    }
}

public static partial class Outer
{
    /// <summary>A model nested in another type.</summary>
    [Input(7)] [Dense(3)]
    public partial class NestedModel;
}

/// <summary>Keras "same" transposed convolution with an odd excess (kernel 3, stride 2): the crop is at the bottom/right.</summary>
[Input(1, 3, 3)]
[Conv2DTranspose(1, 3, stride: 2, padding: Padding.Same)]
[Output(1, 6, 6)]
public partial class OddSameTransposeModel;

/// <summary>
/// Glorot initialisation on every weighted layer kind (normal and uniform), the last Dense left at TorchSharp's
/// default; big enough layers that the runtime test can check the spread of their weights.
/// </summary>
[Input(DType.Int64)]
[Embedding(100, 128, init: Init.GlorotNormal)]
[Reshape(32, 2, 2)]
[Conv2D(64, 3, padding: Padding.Same, init: Init.GlorotNormal)]
[Conv2DTranspose(32, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform)]
[Flatten]
[Dense(64, init: Init.GlorotUniform)]
[Dense(10)]
[Output(10)]
public partial class GlorotModel;

/// <summary>
/// Stacks combined element-wise: a class vector added at every pixel (4×1×1 broadcast over 4×6×6), then a per-pixel
/// gate of lower rank (6×6) multiplied in, its batch axis kept apart from the channels.
/// </summary>
public partial class CombinedStacksModel : nn.Module<Tensor, Tensor, Tensor>
{
    [Input(DType.Int64)] [Embedding(10, 4)] [Reshape(4, 1, 1)]
    internal partial Tensor ClassBias(Tensor label);

    [Input(6, 6)] [Sigmoid]
    internal partial Tensor Gate(Tensor pixels);

    [Input(4, 6, 6)] [Add(nameof(ClassBias))] [Multiply(nameof(Gate))]
    internal partial Tensor Conditioned(Tensor x, Tensor classBias, Tensor gate);

    [From(nameof(Conditioned))] [Conv2D(2, 3)] [Flatten] [Dense(3)]
    [Output(3)]
    internal partial Tensor Head(Tensor conditioned);

    public override Tensor forward(Tensor image, Tensor label) =>
        Head(Conditioned(image, ClassBias(label), Gate(image.mean([1]))));
}

/// <summary>
/// <c>useBias: false</c> on each layer kind that has it, with and without Glorot initialisation (which then has no
/// bias to zero), a Keras "same" transposed convolution that crops, and one Dense that keeps its bias.
/// </summary>
[Input(3, 8, 8)]
[Conv2D(4, 3, stride: 2, padding: Padding.Same, useBias: false)]
[Conv2DTranspose(5, 4, stride: 2, padding: Padding.Same, init: Init.GlorotUniform, useBias: false)]
[Flatten]
[Dense(6, init: Init.GlorotNormal, useBias: false)]
[Dense(2)]
[Output(2)]
public partial class NoBiasModel;

/// <summary>
/// A dilated 1×1 convolution with padding and a stride (the dilation changes nothing): libtorch crashed on it with the
/// channels-last input the generated modules give convolutions, so the module is built without the dilation.
/// </summary>
[Input(8, 4, 1)]
[Conv2D(2, 1, stride: 2, padding: 1, dilation: 2)]
[Output(2, 3, 2)]
public partial class PointwiseDilatedModel;
