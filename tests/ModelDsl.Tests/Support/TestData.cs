namespace ModelDsl.Tests.Support;

/// <summary>Where the real MNIST files are: MODELDSL_DATA, else ../shared/data/mnist beside the repository.</summary>
public static class TestData
{
    public static string MnistDirectory { get; } = Locate();

    public static string MnistFile(string name) => Path.Combine(MnistDirectory, name);

    private static string Locate()
    {
        if (Environment.GetEnvironmentVariable("MODELDSL_DATA") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment;
        }
        return Path.GetFullPath(Path.Combine(RepoRoot.Path, "..", "shared", "data", "mnist"));
    }
}
