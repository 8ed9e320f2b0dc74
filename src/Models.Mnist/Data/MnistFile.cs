namespace Models.Mnist.Data;

/// <summary>Which half of MNIST to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images and labels.</summary>
    Train,

    /// <summary>The 10,000 test images and labels (the <c>t10k</c> files).</summary>
    Test,
}

/// <summary>One of the four published MNIST files, with the size and SHA-256 of its original gzip form.</summary>
/// <param name="Name">The published file name, ending in <c>.gz</c>.</param>
/// <param name="Size">The size of the published gzip file in bytes.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the published gzip file.</param>
public sealed record MnistFile(string Name, long Size, string Sha256)
{
    /// <summary>The training images.</summary>
    public static MnistFile TrainImages { get; } =
        new("train-images-idx3-ubyte.gz", 9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");

    /// <summary>The training labels.</summary>
    public static MnistFile TrainLabels { get; } =
        new("train-labels-idx1-ubyte.gz", 28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c");

    /// <summary>The test images.</summary>
    public static MnistFile TestImages { get; } =
        new("t10k-images-idx3-ubyte.gz", 1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6");

    /// <summary>The test labels.</summary>
    public static MnistFile TestLabels { get; } =
        new("t10k-labels-idx1-ubyte.gz", 4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

    /// <summary>All four files, training first.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The name of the decompressed variant, which is accepted in place of the gzip file.</summary>
    public string UncompressedName => Path.GetFileNameWithoutExtension(Name);

    /// <summary>The images and labels files of a split.</summary>
    internal static (MnistFile Images, MnistFile Labels) Of(MnistSplit split) => split switch
    {
        MnistSplit.Train => (TrainImages, TrainLabels),
        MnistSplit.Test => (TestImages, TestLabels),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };
}
