using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using ModelDsl;

/// <summary>
/// A model in a file that opens with the usings every TorchSharp user writes: the DSL's names live beside TorchSharp's,
/// and <c>Padding</c> is one type for the DSL and for TorchSharp's own modules.
/// </summary>
[Input(1, 28, 28)]
[Conv2D(16, 3, padding: Padding.Same)] [ReLU] [MaxPooling2D(2)]
[Flatten]
[Dense(10)]
[Output(10)]
public partial class TorchStyleNet
{
    /// <summary>Its first convolution written in plain TorchSharp, with the same padding value.</summary>
    public static Conv2d PlainFirstConvolution() => Conv2d(1, 16, 3, padding: Padding.Same);
}
