using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ModelDsl.Tests.NativeLoading;

/// <summary>TorchSharp's natives load in this process and can train, with the trimmed output folder.</summary>
public class TorchSharpLoadTests
{
    [Fact]
    public void OnesSumToSix()
    {
        using var ones = torch.ones(2, 3);
        using var sum = ones.sum();

        Assert.Equal(6f, sum.item<float>());
    }

    [Fact]
    public void LinearForwardBackwardAndStepsReduceTheLoss()
    {
        torch.manual_seed(7);
        using var linear = nn.Linear(3, 1);
        using var optimizer = optim.SGD(linear.parameters(), 0.1);
        using var input = torch.randn(16, 3);
        using var target = input.matmul(torch.tensor(new[] { 1f, -2f, 0.5f })).unsqueeze(1);

        float firstLoss = 0;
        float lastLoss = 0;
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            using var prediction = linear.forward(input);
            using var loss = nn.functional.mse_loss(prediction, target);
            loss.backward();
            optimizer.step();
            lastLoss = loss.item<float>();
            if (step == 0)
            {
                firstLoss = lastLoss;
                Assert.Equal([1L, 3L], linear.weight!.grad!.shape);
            }
        }

        Assert.True(float.IsFinite(lastLoss));
        Assert.True(lastLoss < firstLoss / 2, $"loss went from {firstLoss} to {lastLoss}");
    }
}
