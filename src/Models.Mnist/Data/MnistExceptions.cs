namespace Models.Mnist.Data;

/// <summary>
/// A file is not a valid IDX file of the data set expected: truncated, corrupt, of another kind, or not the published original.
/// The message starts with the file name and says what is wrong.
/// </summary>
public sealed class MnistFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="filePath"/>.</summary>
    public MnistFormatException(string filePath, string problem, Exception? innerException = null)
        : base($"{Path.GetFileName(filePath)}: {problem}", innerException)
    {
        FilePath = filePath;
        Problem = problem;
    }

    /// <summary>What is wrong, without the file name.</summary>
    public string Problem { get; }

    /// <summary>The path of the offending file.</summary>
    public string FilePath { get; }
}

/// <summary>
/// A data set's file is neither in the data folder nor could it be downloaded. The message names the file, the
/// folder that was searched and how to provide the data.
/// </summary>
public sealed class MnistDataUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MnistDataUnavailableException(string fileName, string directory, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FileName = fileName;
        Directory = directory;
    }

    /// <summary>The missing file's published name.</summary>
    public string FileName { get; }

    /// <summary>The folder where the file was looked for.</summary>
    public string Directory { get; }
}
