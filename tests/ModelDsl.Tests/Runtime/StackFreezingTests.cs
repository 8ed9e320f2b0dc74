using ModelDsl.Tests.TestModels;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Runtime;

/// <summary>Transfer learning: freezing the convolutional stack of the CIFAR-10 network and training its head.</summary>
public class StackFreezingTests
{
    private const long FeaturesParameters = 896 + 9_248 + 18_496 + 36_928;
    private const long ClassifierParameters = 2_304 * 512 + 512 + 512 * 10 + 10;

    [Fact]
    public void Freezing_the_features_leaves_only_the_classifier_trainable()
    {
        using var model = new Cifar10Transfer();
        model.Freeze("Features");

        var parameters = model.parameters().ToList();
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        Assert.Equal(12, parameters.Count); // weight and bias of four convolutions and two dense layers
        Assert.Equal(Cifar10Transfer.ParameterCount, parameters.Sum(p => p.numel()));
        Assert.Equal(4, trainable.Count);
        Assert.Equal(ClassifierParameters, trainable.Sum(p => p.numel()));
        Assert.Equal(FeaturesParameters, model.StackParameters("Features").Sum(p => p.Parameter.numel()));
        Assert.All(model.StackParameters("Features"), p => Assert.StartsWith("features_conv2d_", p.Name));
    }

    [Fact]
    public void An_optimizer_step_moves_the_head_but_not_the_frozen_features()
    {
        torch.manual_seed(7);
        using var model = new Cifar10Transfer();
        model.Freeze("Features");
        var before = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);

        using var loss = nn.functional.cross_entropy(model.forward(randn(4, 3, 32, 32)), tensor(new long[] { 0, 1, 2, 3 }));
        loss.backward();
        optimizer.step();

        foreach (var (name, parameter) in model.StackParameters("Features"))
        {
            Assert.Null(parameter.grad);
            Assert.True(Unchanged(parameter, before[name]), $"{name} changed although frozen");
        }
        foreach (var (name, parameter) in model.StackParameters("Classifier"))
        {
            Assert.False(Unchanged(parameter, before[name]), $"{name} did not train");
        }
    }

    private static bool Unchanged(Tensor parameter, Tensor before) => parameter.eq(before).all().item<bool>();

    [Fact]
    public void Unfreezing_trains_the_stack_again()
    {
        using var model = new Cifar10Transfer();
        model.Freeze("Features");
        model.Unfreeze("Features");
        Assert.All(model.parameters(), p => Assert.True(p.requires_grad));
    }

    [Fact]
    public void A_stack_whose_name_extends_another_keeps_its_own_parameters()
    {
        using var model = new OverlappingStacks();
        model.Freeze("Features");
        Assert.Equal(["features_dense_0.weight", "features_dense_0.bias"], model.StackParameters("Features").Select(p => p.Name));
        Assert.Equal(["features_head_dense_0.weight", "features_head_dense_0.bias"], model.StackParameters("FeaturesHead").Select(p => p.Name));
        Assert.All(model.StackParameters("FeaturesHead"), p => Assert.True(p.Parameter.requires_grad));
    }

    [Fact]
    public void An_unknown_stack_is_an_error_that_lists_the_stacks()
    {
        using var model = new Cifar10Transfer();
        var error = Assert.Throws<ArgumentException>(() => model.Freeze("Feature"));
        Assert.StartsWith("'Cifar10Transfer' has no stack 'Feature'; its stacks are: Features, Classifier.", error.Message);
    }

    [Fact]
    public void A_class_level_model_has_no_stacks_to_freeze()
    {
        using var model = new Cifar10Cnn();
        var error = Assert.Throws<ArgumentException>(() => model.Freeze(nameof(Cifar10Cnn)));
        Assert.StartsWith("'Cifar10Cnn' declares no stacks as partial methods", error.Message);
    }
}

/// <summary>Two stacks whose generated names share the prefix "features_".</summary>
public partial class OverlappingStacks : nn.Module<Tensor, Tensor>
{
    [Input(4)] [Dense(3)]
    private partial Tensor Features(Tensor x);

    [From(nameof(Features))] [Dense(2)]
    private partial Tensor FeaturesHead(Tensor x);

    public override Tensor forward(Tensor x) => FeaturesHead(Features(x));
}
