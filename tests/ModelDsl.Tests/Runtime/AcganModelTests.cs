using Models.Mnist.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Runtime;

/// <summary>The AC-GAN networks written in the DSL: Keras' shapes, parameter counts and initialisation.</summary>
public class AcganModelTests
{
    private const int Batch = 3;

    [Fact]
    public void Generator_turns_latent_points_and_classes_into_images()
    {
        using var generator = new AcganGenerator();
        generator.eval();
        using var images = generator.forward(rand(Batch, 100) * 2 - 1, tensor(new long[] { 0, 7, 9 }));
        Assert.Equal([Batch, 1, 28, 28], images.shape);
        Assert.True(images.abs().max().item<float>() <= 1); // tanh
        Assert.Equal([100], AcganGenerator.ImageInputShape.ToArray());
        Assert.Equal(AcganGenerator.ClassEmbeddingOutputShape.ToArray(), AcganGenerator.ImageInputShape.ToArray());
    }

    [Fact]
    public void Discriminator_gives_a_validity_and_class_logits_per_image()
    {
        using var discriminator = new AcganDiscriminator();
        discriminator.eval();
        var (validity, classLogits) = discriminator.forward(rand(Batch, 1, 28, 28) * 2 - 1);
        Assert.Equal([Batch, 1], validity.shape);
        Assert.Equal([Batch, 10], classLogits.shape);
        Assert.Equal([12544], AcganDiscriminator.FeaturesOutputShape.ToArray());
    }

    // Keras' mnist_acgan: the generator's Sequential has 8,171,521 parameters plus the 1,000 of the class embedding;
    // the discriminator's convolutions 387,840, its heads 12,545 and 125,450.
    [Fact]
    public void Parameter_counts_are_those_of_the_Keras_example()
    {
        using var generator = new AcganGenerator();
        using var discriminator = new AcganDiscriminator();
        Assert.Equal(8_172_521, AcganGenerator.ParameterCount);
        Assert.Equal(525_835, AcganDiscriminator.ParameterCount);
        Assert.Equal(AcganGenerator.ParameterCount, generator.parameters().Sum(p => p.numel()));
        Assert.Equal(AcganDiscriminator.ParameterCount, discriminator.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Kernel_2_same_convolution_pads_only_the_bottom_and_right_as_Keras()
    {
        using var generator = new AcganGenerator();
        var pad = generator.named_modules().Single(m => m.name == "image_conv2d_12_pad").module as nn.Module<Tensor, Tensor>;
        using var padded = pad!.forward(ones(1, 1, 2, 2));
        using var expected = tensor(new float[] { 1, 1, 0, 1, 1, 0, 0, 0, 0 }).reshape(1, 1, 3, 3);
        Assert.True(padded.allclose(expected));
    }

    [Fact]
    public void Other_weighted_layers_start_with_Keras_default_Glorot_uniform()
    {
        using var generator = new AcganGenerator();
        using var discriminator = new AcganDiscriminator();
        CheckGlorotUniform(generator, "image_dense_1", 100 + 1024);
        CheckGlorotUniform(discriminator, "features_conv2d_0", (1 + 32) * 3 * 3);
        CheckGlorotUniform(discriminator, "class_logits_dense_0", 12544 + 10);

        static void CheckGlorotUniform(nn.Module model, string layer, int fanInPlusFanOut)
        {
            var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            Assert.True(parameters[layer + ".weight"].abs().max().item<float>() <= Math.Sqrt(6.0 / fanInPlusFanOut) * (1 + 1e-6));
            Assert.Equal(0, parameters[layer + ".bias"].abs().max().item<float>());
        }
    }

    [Theory]
    [InlineData("class_embedding_embedding_0.weight", 10 + 100)]
    [InlineData("image_conv2d_7.weight", (128 + 256) * 5 * 5)]
    [InlineData("image_conv2d_10.weight", (256 + 128) * 5 * 5)]
    public void Embedding_and_convolutions_start_Glorot_normal(string name, int fanInPlusFanOut)
    {
        using var generator = new AcganGenerator();
        var weight = generator.named_parameters().Single(p => p.name == name).parameter;
        Assert.InRange(weight.std().item<float>() / Math.Sqrt(2.0 / fanInPlusFanOut), 0.9, 1.1);
        var bias = generator.named_parameters().SingleOrDefault(p => p.name == name.Replace(".weight", ".bias")).parameter;
        if (bias is not null) Assert.Equal(0, bias.abs().max().item<float>());
    }
}
