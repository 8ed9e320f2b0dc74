using Models.Mnist.Data;
using Xunit;

namespace ModelDsl.Tests.Data;

public sealed class MnistLocationTests
{
    private static Func<string, string?> Environment(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void An_explicit_folder_wins()
    {
        var location = MnistLocation.Resolve("/data/mnist", DataSet.Mnist, Environment(("MODELDSL_DATA", "/env/mnist")), "/home/u");

        Assert.Equal(new MnistLocation("/data/mnist", MnistLocationSource.Explicit), location);
    }

    [Fact]
    public void The_environment_variable_comes_next()
    {
        var location = MnistLocation.Resolve(null, DataSet.Mnist, Environment(("MODELDSL_DATA", "/env/mnist"), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal(new MnistLocation("/env/mnist", MnistLocationSource.EnvironmentVariable), location);
    }

    [Fact]
    public void Then_the_XDG_cache_folder()
    {
        var location = MnistLocation.Resolve("", DataSet.Mnist, Environment(("MODELDSL_DATA", ""), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal(new MnistLocation("/xdg/modeldsl/mnist", MnistLocationSource.UserCache), location);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("relative/cache")]
    public void Else_the_cache_folder_in_the_home_folder(string? xdgCacheHome)
    {
        var location = MnistLocation.Resolve(null, DataSet.Mnist, Environment(("XDG_CACHE_HOME", xdgCacheHome!)), "/home/u");

        Assert.Equal(new MnistLocation("/home/u/.cache/modeldsl/mnist", MnistLocationSource.UserCache), location);
    }

    [Fact]
    public void Relative_folders_become_absolute()
    {
        var location = MnistLocation.Resolve("data", DataSet.Mnist, Environment(), "/home/u");

        Assert.Equal(Path.GetFullPath("data"), location.Directory);
    }

    [Fact]
    public void Each_data_set_has_its_own_cache_folder_and_the_environment_variable_names_only_MNIST_s()
    {
        var location = MnistLocation.Resolve(null, DataSet.FashionMnist, Environment(("MODELDSL_DATA", "/env/mnist"), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal(new MnistLocation("/xdg/modeldsl/fashion-mnist", MnistLocationSource.UserCache), location);
    }
}
