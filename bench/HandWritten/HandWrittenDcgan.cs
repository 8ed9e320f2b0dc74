using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Bench.HandWritten;

/// <summary>
/// The DCGAN generator as a TorchSharp user writes it by hand: every size computed by hand
/// (6272 = 128·7·7; padding 1 for Keras "same" with kernel 4, stride 2; padding 3 for kernel 7).
/// With <c>channelsLast</c>, the activations are laid out channels-last (NHWC), oneDNN's preferred
/// layout, so that it need not reorder them around each convolution (TorchSharp 0.107 has no memory_format
/// argument; a permuted contiguous copy has the same strides).
/// </summary>
public sealed class HandWrittenGenerator : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense = nn.Linear(100, 6272);
    private readonly ConvTranspose2d up1 = nn.ConvTranspose2d(128, 128, 4, stride: 2, padding: 1);
    private readonly ConvTranspose2d up2 = nn.ConvTranspose2d(128, 128, 4, stride: 2, padding: 1);
    private readonly Conv2d output = nn.Conv2d(128, 1, 7, padding: 3);

    private readonly bool channelsLast;

    public HandWrittenGenerator(bool channelsLast = false) : base(nameof(HandWrittenGenerator))
    {
        this.channelsLast = channelsLast;
        RegisterComponents();
    }

    public override Tensor forward(Tensor latent)
    {
        var x = nn.functional.leaky_relu(dense.forward(latent), 0.2).reshape(-1, 128, 7, 7);
        if (channelsLast) x = ChannelsLast.Of(x);
        x = nn.functional.leaky_relu(up1.forward(x), 0.2);
        x = nn.functional.leaky_relu(up2.forward(x), 0.2);
        return torch.sigmoid(output.forward(x));
    }
}

/// <summary>
/// The DCGAN discriminator by hand. Keras "same" with stride 2 on an even size pads only bottom/right,
/// which PyTorch's symmetric padding cannot express, so (like the generated module) it pads explicitly.
/// </summary>
public sealed class HandWrittenDiscriminator : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 64, 3, stride: 2);
    private readonly Conv2d conv2 = nn.Conv2d(64, 64, 3, stride: 2);
    private readonly Dropout dropout = nn.Dropout(0.4);
    private readonly Linear dense = nn.Linear(3136, 1);

    private readonly bool channelsLast;

    public HandWrittenDiscriminator(bool channelsLast = false) : base(nameof(HandWrittenDiscriminator))
    {
        this.channelsLast = channelsLast;
        RegisterComponents();
    }

    public override Tensor forward(Tensor image)
    {
        var padded = nn.functional.pad(image, [0, 1, 0, 1]);
        var x = dropout.forward(nn.functional.leaky_relu(conv1.forward(channelsLast ? ChannelsLast.Of(padded) : padded), 0.2));
        x = dropout.forward(nn.functional.leaky_relu(conv2.forward(nn.functional.pad(x, [0, 1, 0, 1])), 0.2));
        return torch.sigmoid(dense.forward(x.flatten(1)));
    }
}

/// <summary>The same tensor with channels-last strides (N, H, W, C in memory).</summary>
internal static class ChannelsLast
{
    public static Tensor Of(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
