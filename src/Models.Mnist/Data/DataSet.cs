namespace Models.Mnist.Data;

/// <summary>Which half of a data set to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images and labels.</summary>
    Train,

    /// <summary>The 10,000 test images and labels (the <c>t10k</c> files).</summary>
    Test,
}

/// <summary>
/// One of a data set's four published files: the gzip file as published (what a download is checked against) and
/// the IDX bytes it holds (what a file found in the data folder is checked against, raw or in any gzip).
/// </summary>
/// <param name="Name">The published file name, ending in <c>.gz</c>.</param>
/// <param name="Size">The size of the published gzip file in bytes.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the published gzip file.</param>
/// <param name="ContentSize">The size of the decompressed IDX file in bytes.</param>
/// <param name="ContentSha256">The lowercase hex SHA-256 of the decompressed IDX file; null where none is published.</param>
public sealed record DataFile(string Name, long Size, string Sha256, long ContentSize, string? ContentSha256)
{
    /// <summary>The name of the decompressed variant, which is accepted in place of the gzip file.</summary>
    public string UncompressedName => Path.GetFileNameWithoutExtension(Name);

    /// <summary>The file of <paramref name="items"/> images (28×28) or labels, as the IDX header and its items make it.</summary>
    private static long IdxSize(bool images, int items) => images ? 16 + items * 784L : 8 + items;

    /// <summary>A data set's four files under their published names, the sizes following from the item counts.</summary>
    internal static (DataFile TrainImages, DataFile TrainLabels, DataFile TestImages, DataFile TestLabels) Four(
        (long Size, string Sha256, string? ContentSha256) trainImages, (long Size, string Sha256, string? ContentSha256) trainLabels,
        (long Size, string Sha256, string? ContentSha256) testImages, (long Size, string Sha256, string? ContentSha256) testLabels) =>
    (
        new("train-images-idx3-ubyte.gz", trainImages.Size, trainImages.Sha256, IdxSize(images: true, 60_000), trainImages.ContentSha256),
        new("train-labels-idx1-ubyte.gz", trainLabels.Size, trainLabels.Sha256, IdxSize(images: false, 60_000), trainLabels.ContentSha256),
        new("t10k-images-idx3-ubyte.gz", testImages.Size, testImages.Sha256, IdxSize(images: true, 10_000), testImages.ContentSha256),
        new("t10k-labels-idx1-ubyte.gz", testLabels.Size, testLabels.Sha256, IdxSize(images: false, 10_000), testLabels.ContentSha256)
    );
}

/// <summary>
/// A data set in MNIST's format (28×28 gray images, ten classes, 60,000 training and 10,000 test items in four IDX
/// files): its name on the command line, its four files, where to download them and what its classes are called.
/// </summary>
/// <param name="Name">The name <c>--dataset</c> takes and checkpoints record; also its cache folder's name.</param>
/// <param name="Title">The name messages and reports use.</param>
/// <param name="ClassNames">The name of each label 0..9, as reports show it.</param>
/// <param name="Mirrors">Base addresses (ending in '/') the files are downloaded from, tried in order.</param>
public sealed record DataSet(
    string Name, string Title, IReadOnlyList<string> ClassNames, IReadOnlyList<Uri> Mirrors,
    DataFile TrainImages, DataFile TrainLabels, DataFile TestImages, DataFile TestLabels)
{
    /// <summary>The data set of checkpoints that record none: every one written before <c>--dataset</c> existed.</summary>
    public const string EarlierName = "mnist";

    /// <summary>
    /// LeCun's handwritten digits: the published gzip files (torchvision lists their MD5s), and the SHA-256 of the
    /// IDX bytes they hold, computed from them.
    /// </summary>
    public static DataSet Mnist { get; } = Create("mnist", "MNIST", [.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))],
        ["https://ossci-datasets.s3.amazonaws.com/mnist/", "https://storage.googleapis.com/cvdf-datasets/mnist/"],
        DataFile.Four(
            (9912422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
            (28881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
            (1648877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
            (4542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")));

    /// <summary>
    /// Zalando's clothing pictures. The published gzip files' sizes and SHA-256 are those of the project's README
    /// (torchvision lists their MD5s); the decompressed SHA-256 were computed from Debian's
    /// <c>dataset-fashion-mnist</c>, whose files are re-gzipped (the gzip bytes differ, the IDX bytes do not).
    /// </summary>
    public static DataSet FashionMnist { get; } = Create("fashion-mnist", "Fashion-MNIST",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        ["https://fashion-mnist.s3.eu-central-1.amazonaws.com/", "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/"],
        DataFile.Four(
            (26421880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
            (29515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
            (4422102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
            (5148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    /// <summary>
    /// Kuzushiji-MNIST, cursive hiragana (the classes' romanised names). The published gzip files' sizes and SHA-256
    /// are those that torchvision's (prototype) dataset code and KMNIST's users record; torchvision's KMNIST class lists
    /// their MD5s. No SHA-256 of the decompressed files is published, and the files were not available offline to
    /// compute them, so a raw or re-gzipped copy is checked by its size and IDX structure only (and refused when it is
    /// another known data set's file); the published gzip files, downloaded or found, are checked in full.
    /// </summary>
    public static DataSet Kmnist { get; } = Create("kmnist", "KMNIST",
        ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
        ["https://codh.rois.ac.jp/kmnist/dataset/kmnist/"],
        DataFile.Four(
            (18165135, "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4", null),
            (29497, "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17", null),
            (3041136, "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5", null),
            (5120, "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c", null)));

    /// <summary>Every data set the app reads, MNIST (the default) first.</summary>
    public static IReadOnlyList<DataSet> All { get; } = [Mnist, FashionMnist, Kmnist];

    /// <summary>All four files, training first.</summary>
    public IReadOnlyList<DataFile> Files => [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The images and labels files of a split.</summary>
    public (DataFile Images, DataFile Labels) Of(MnistSplit split) => split switch
    {
        MnistSplit.Train => (TrainImages, TrainLabels),
        MnistSplit.Test => (TestImages, TestLabels),
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    /// <summary>The name of class <paramref name="label"/> (0..9).</summary>
    public string ClassName(int label) => ClassNames[label];

    /// <summary>The name, as <c>--dataset</c> takes it (and its help shows the default).</summary>
    public override string ToString() => Name;

    /// <summary>The data set a checkpoint's metadata records (<c>dataset</c>), <see cref="EarlierName"/> where it records none.</summary>
    public static string RecordedIn(JsonObject metadata) => metadata["dataset"]?.GetValue<string>() ?? EarlierName;

    private static DataSet Create(string name, string title, IReadOnlyList<string> classNames, string[] mirrors,
        (DataFile TrainImages, DataFile TrainLabels, DataFile TestImages, DataFile TestLabels) files) =>
        new(name, title, classNames, [.. mirrors.Select(m => new Uri(m))], files.TrainImages, files.TrainLabels, files.TestImages, files.TestLabels);
}
