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
        var location = MnistLocation.Resolve("/data/mnist", Environment(("MODELDSL_DATA", "/env/mnist")), "/home/u");

        Assert.Equal(new MnistLocation("/data/mnist", MnistLocationSource.Explicit), location);
    }

    [Fact]
    public void The_environment_variable_comes_next()
    {
        var location = MnistLocation.Resolve(null, Environment(("MODELDSL_DATA", "/env/mnist"), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal(new MnistLocation("/env/mnist", MnistLocationSource.EnvironmentVariable), location);
    }

    [Fact]
    public void Then_the_XDG_cache_folder()
    {
        var location = MnistLocation.Resolve("", Environment(("MODELDSL_DATA", ""), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal(new MnistLocation("/xdg/modeldsl/mnist", MnistLocationSource.UserCache), location);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("relative/cache")]
    public void Else_the_cache_folder_in_the_home_folder(string? xdgCacheHome)
    {
        var location = MnistLocation.Resolve(null, Environment(("XDG_CACHE_HOME", xdgCacheHome!)), "/home/u");

        Assert.Equal(new MnistLocation("/home/u/.cache/modeldsl/mnist", MnistLocationSource.UserCache), location);
    }

    [Fact]
    public void Relative_folders_become_absolute()
    {
        var location = MnistLocation.Resolve("data", Environment(), "/home/u");

        Assert.Equal(Path.GetFullPath("data"), location.Directory);
    }
}
