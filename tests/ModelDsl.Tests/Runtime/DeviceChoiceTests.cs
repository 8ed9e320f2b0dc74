using TorchSharp;

namespace ModelDsl.Tests.Runtime;

/// <summary>cpu|cuda|auto as a user writes it, to a TorchSharp device.</summary>
public class DeviceChoiceTests
{
    private static bool Available() => true;

    private static bool Unavailable() => false;

    private static bool MustNotAsk() => throw new InvalidOperationException("cpu must not query CUDA");

    [Theory]
    [InlineData("cpu")]
    [InlineData("CPU")]
    public void Cpu_is_the_cpu_without_asking_about_CUDA(string choice) =>
        Assert.Equal(DeviceType.CPU, DeviceChoice.Select(choice, MustNotAsk).type);

    [Fact]
    public void Cuda_is_cuda_when_available() => Assert.Equal(DeviceType.CUDA, DeviceChoice.Select("cuda", Available).type);

    [Fact]
    public void Auto_prefers_cuda() => Assert.Equal(DeviceType.CUDA, DeviceChoice.Select("auto", Available).type);

    [Fact]
    public void Auto_falls_back_to_the_cpu() => Assert.Equal(DeviceType.CPU, DeviceChoice.Select("auto", Unavailable).type);

    [Fact]
    public void Cuda_when_unavailable_fails_with_one_line_that_says_why_and_what_to_do()
    {
        var error = Assert.Throws<DeviceUnavailableException>(() => DeviceChoice.Select("cuda", Unavailable));
        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains("torch.cuda.is_available() is false", error.Message);
        Assert.Contains("use cpu or auto", error.Message);
    }

    [Fact]
    public void An_unknown_device_names_the_choices()
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceChoice.Select("tpu", Available));
        Assert.StartsWith("Unknown device 'tpu': use cpu, cuda, auto.", error.Message);
    }

    [Fact]
    public void Auto_on_this_machine_follows_torch_cuda_is_available() =>
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, DeviceChoice.Select("auto").type);
}
