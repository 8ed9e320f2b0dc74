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
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ModelDsl.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "mnist"));
            }
        }
        throw new InvalidOperationException($"No ModelDsl.sln above {AppContext.BaseDirectory}; set MODELDSL_DATA to the MNIST folder.");
    }
}
