using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Bench.HandWritten;

/// <summary>
/// The AC-GAN generator as a TorchSharp user writes it by hand: every size computed by hand (6272 = 128·7·7,
/// padding 2 for Keras "same" with kernel 5; kernel 2 pads one row/column at the bottom/right only) and Keras'
/// initialisation applied by hand, as the DSL model declares it.
/// </summary>
public sealed class HandWrittenAcganGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding classEmbedding = nn.Embedding(10, 100);
    private readonly Linear dense1 = nn.Linear(100, 1024);
    private readonly Linear dense2 = nn.Linear(1024, 6272);
    private readonly Upsample upsample = nn.Upsample(scale_factor: [2.0, 2.0]);
    private readonly Conv2d conv1 = nn.Conv2d(128, 256, 5, padding: 2);
    private readonly Conv2d conv2 = nn.Conv2d(256, 128, 5, padding: 2);
    private readonly Conv2d output = nn.Conv2d(128, 1, 2);

    public HandWrittenAcganGenerator() : base(nameof(HandWrittenAcganGenerator))
    {
        // TorchSharp 0.107's xavier_normal_ draws a uniform, hence normal_ with Glorot's std.
        nn.init.normal_(classEmbedding.weight, std: Math.Sqrt(2.0 / (10 + 100)));
        foreach (var conv in new[] { conv1, conv2, output })
        {
            var (fanIn, fanOut) = nn.init.CalculateFanInAndFanOut(conv.weight);
            nn.init.normal_(conv.weight, std: Math.Sqrt(2.0 / (fanIn + fanOut)));
            nn.init.zeros_(conv.bias!);
        }
        foreach (var dense in new[] { dense1, dense2 })
        {
            nn.init.xavier_uniform_(dense.weight);
            nn.init.zeros_(dense.bias!);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor latent, Tensor digit)
    {
        var x = latent * classEmbedding.forward(digit);
        x = nn.functional.relu(dense1.forward(x));
        x = nn.functional.relu(dense2.forward(x)).reshape(-1, 128, 7, 7);
        x = nn.functional.relu(conv1.forward(upsample.forward(x)));
        x = nn.functional.relu(conv2.forward(upsample.forward(x)));
        return torch.tanh(output.forward(nn.functional.pad(x, [0, 1, 0, 1])));
    }
}

/// <summary>
/// The AC-GAN discriminator by hand: Keras "same" with stride 2 on even sizes pads only the bottom/right, stride 1
/// pads 1 all round; 12544 = 256·7·7 features feed both heads; Glorot-uniform weights and zero biases, Keras' default.
/// </summary>
public sealed class HandWrittenAcganDiscriminator : nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 32, 3, stride: 2);
    private readonly Conv2d conv2 = nn.Conv2d(32, 64, 3, padding: 1);
    private readonly Conv2d conv3 = nn.Conv2d(64, 128, 3, stride: 2);
    private readonly Conv2d conv4 = nn.Conv2d(128, 256, 3, padding: 1);
    private readonly Dropout dropout = nn.Dropout(0.3);
    private readonly Linear validity = nn.Linear(12544, 1);
    private readonly Linear classLogits = nn.Linear(12544, 10);

    public HandWrittenAcganDiscriminator() : base(nameof(HandWrittenAcganDiscriminator))
    {
        foreach (var (weight, bias) in new[] { conv1, conv2, conv3, conv4 }.Select(c => (c.weight, c.bias))
                     .Concat(new[] { validity, classLogits }.Select(d => (d.weight, d.bias))))
        {
            nn.init.xavier_uniform_(weight);
            nn.init.zeros_(bias!);
        }
        RegisterComponents();
    }

    public override (Tensor Validity, Tensor ClassLogits) forward(Tensor image)
    {
        var x = Block(conv1, nn.functional.pad(image, [0, 1, 0, 1]));
        x = Block(conv2, x);
        x = Block(conv3, nn.functional.pad(x, [0, 1, 0, 1]));
        var features = Block(conv4, x).flatten(1);
        return (torch.sigmoid(validity.forward(features)), classLogits.forward(features));
    }

    private Tensor Block(Conv2d conv, Tensor x) => dropout.forward(nn.functional.leaky_relu(conv.forward(x), 0.2));
}
