using ModelDsl.Analyzers.Tests.Harness;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests;

/// <summary>Valid models report nothing and their generated code compiles without a warning.</summary>
public sealed class ValidModelTests
{
    public const string AcganDiscriminator = """
        public partial class AcganDiscriminator : Module<Tensor, (Tensor Validity, Tensor Class)>
        {
            [Input(1, 28, 28)]
            [Conv2D(32, 3, stride: 2, padding: Padding.Same)] [LeakyReLU(0.2)] [Dropout(0.3)]
            [Flatten]
            private partial Tensor Features(Tensor image);
            [From(nameof(Features))] [Dense(1)] [Sigmoid]
            private partial Tensor Validity(Tensor features);
            [From(nameof(Features))] [Dense(10)]
            private partial Tensor ClassLogits(Tensor features);
            public override (Tensor Validity, Tensor Class) forward(Tensor image)
            { var f = Features(image); return (Validity(f), ClassLogits(f)); }
        }
        """;

    [Test]
    public void Mnist_models_of_this_repository()
    {
        string[] names = ["DigitClassifier", "DcganGenerator", "DcganDiscriminator", "AcganGenerator", "AcganDiscriminator"];
        var run = Expect.Clean([.. names.Select(n => RepoRoot.ReadFile($"src/Models.Mnist/Models/{n}.cs"))]);
        Assert.That(run.Result.GeneratedSources.Select(s => s.HintName),
            Is.EquivalentTo(names.Select(n => $"Models.Mnist.Models.{n}.g.cs")));
    }

    [Test]
    public void Acgan_discriminator_with_three_stacks()
    {
        var run = Expect.Clean(AcganDiscriminator);
        var code = run.Result.GeneratedSources.Single().SourceText.ToString();
        Assert.That(code, Does.Contain("private partial global::TorchSharp.torch.Tensor ClassLogits(global::TorchSharp.torch.Tensor features)"));
    }

    [Test]
    public void Integer_input_into_Embedding()
    {
        Expect.Clean("""
            public partial class Conditioner : Module<Tensor, Tensor>
            {
                [Input(DType.Int64)] [Embedding(10, 100)] [Dense(49)] [Reshape(1, 7, 7)]
                private partial Tensor Label(Tensor label);
                [Input(DType.Int64, 4)] [Reshape(2, 2)] [Flatten] [Embedding(5, 3)] [Flatten]
                internal partial Tensor Tokens(Tensor tokens);
                public override Tensor forward(Tensor label) => Label(label);
            }
            """);
    }

    [Test]
    public void Nested_partial_classes_in_a_namespace()
    {
        Expect.Clean("""
            namespace A.B
            {
                public partial class Outer
                {
                    internal partial record Middle
                    {
                        [Input(10)] [Dense(3)]
                        public partial class Inner;
                    }
                }
            }
            """);
    }

    [Test]
    public void Class_in_the_global_namespace()
    {
        var run = Expect.Clean("""
            [Input(7)] [Dense(3)] [Tanh] [LogSoftmax]
            [Output(3)]
            partial class Global;
            """);
        Assert.That(run.Result.GeneratedSources.Single().HintName, Is.EqualTo("Global.g.cs"));
    }

    // Every layer kind in one place, with the options that change the emitted code.
    [TestCase("[Input(16)] [BatchNormalization] [Dense(4)] [BatchNormalization(momentum: 0.01, epsilon: 1e-3)] [Softmax]", TestName = "BatchNormalization on vectors")]
    [TestCase("[Input(3, 8, 8)] [BatchNormalization] [Conv2D(4, 3)] [BatchNormalization(momentum: 0.2)]", TestName = "BatchNormalization on images")]
    [TestCase("[Input(3, 9, 9)] [AveragePooling2D(2)] [AveragePooling2D(3, stride: 1, padding: 1)]", TestName = "AveragePooling2D")]
    [TestCase("[Input(3, 9, 9)] [MaxPooling2D(3, stride: 2, padding: 1, dilation: 2)]", TestName = "MaxPooling2D with dilation")]
    [TestCase("[Input(3, 7, 7)] [UpSampling2D(2)] [ZeroPadding2D(1)] [Output(3, 16, 16)]", TestName = "UpSampling2D and ZeroPadding2D")]
    [TestCase("[Input(3, 16, 16)] [Conv2D(4, 3, dilation: 2)] [Conv2D(4, 3, padding: 2, dilation: 3)]", TestName = "Conv2D with dilation")]
    [TestCase("[Input(3, 9, 9)] [Conv2D(4, 4, stride: 2, padding: Padding.Same)] [Conv2D(4, 2, padding: Padding.Same)] [Output(4, 5, 5)]", TestName = "Same padding with odd sizes")]
    [TestCase("[Input(3, 9, 9)] [Conv2D(4, 3, padding: Padding.Valid)] [Output(4, 7, 7)]", TestName = "Valid padding")]
    [TestCase("[Input(2, 7, 7)] [Conv2DTranspose(2, 5, stride: 2, padding: Padding.Same)] [Conv2DTranspose(2, 3, stride: 2, padding: 1, outputPadding: 1)] [Output(2, 28, 28)]", TestName = "Conv2DTranspose with Same and output padding")]
    [TestCase("[Input(100)] [Reshape(4, -1)] [Reshape(-1)] [Output(100)]", TestName = "Reshape with -1")]
    [TestCase("[Input] [Reshape(1)] [Dense(2)]", TestName = "Scalar float input")]
    public void Layer_kinds(string stack)
    {
        Expect.Clean($"""
            {stack}
            public partial class Model;
            """);
    }

    [Test]
    public void Stack_method_whose_parameter_is_named_x()
    {
        // The generated body declares its own local; it must not clash with the parameter.
        Expect.Clean("""
            public partial class Model : Module<Tensor, Tensor>
            {
                [Input(10)] [Dense(5)] [ReLU] [Dense(2)]
                public partial Tensor Body(Tensor x);
                [From(nameof(Body))] [Dense(1)]
                protected partial Tensor Head(Tensor h);
                public override Tensor forward(Tensor input) => Head(Body(input));
            }
            """);
    }

    [Test]
    public void Stack_from_a_stack_declared_later()
    {
        Expect.Clean("""
            public partial class Model : Module<Tensor, Tensor>
            {
                [From(nameof(Body))] [Dense(1)] private partial Tensor Head(Tensor features);
                [Input(10)] [Dense(5)] private partial Tensor Body(Tensor input);
                public override Tensor forward(Tensor input) => Head(Body(input));
            }
            """);
    }

    [Test]
    public void Models_spread_over_files_and_used_from_other_code()
    {
        Expect.Clean(
            RepoRoot.ReadFile("src/Models.Mnist/Models/DigitClassifier.cs"),
            AcganDiscriminator,
            """
            using Models.Mnist.Models;

            static class Usage
            {
                static long Total() => DigitClassifier.ParameterCount + AcganDiscriminator.ParameterCount;
                static Tensor Run(Tensor images) => new DigitClassifier().forward(images);
                static string Describe<TModel>() where TModel : IGeneratedModel => TModel.Summary;
                static string Classifier() => Describe<DigitClassifier>();
            }
            """);
    }
}
