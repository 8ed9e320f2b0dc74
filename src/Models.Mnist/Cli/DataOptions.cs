using System.CommandLine;
using Models.Mnist.Data;

namespace Models.Mnist.Cli;

/// <summary>
/// <c>--dataset NAME</c> and <c>--data DIR</c>, the options of every command that reads images. Each command creates
/// its own pair (an option belongs to one command).
/// </summary>
/// <param name="dataSets">The data sets <c>--dataset</c> chooses from, the default first.</param>
internal sealed class DataOptions(IReadOnlyList<DataSet> dataSets)
{
    public Option<DataSet> DataSet { get; } = Choice(dataSets);

    public Option<string?> Folder { get; } = new("--data")
    {
        Description = "Folder with the data set's files (default: for mnist $MODELDSL_DATA, else the user cache ~/.cache/modeldsl/NAME; missing files are downloaded)",
    };

    /// <summary>The data set and folder the command line chose.</summary>
    public DataSource Read(ParseResult parsed) => new(parsed.GetValue(DataSet)!, parsed.GetValue(Folder), dataSets);

    private static Option<DataSet> Choice(IReadOnlyList<DataSet> dataSets)
    {
        var names = dataSets.Select(d => d.Name).ToList();
        var option = new Option<DataSet>("--dataset")
        {
            Description = $"The images: {string.Join(", ", dataSets.Select(d => $"{d.Name} ({d.Title})"))}",
            DefaultValueFactory = _ => dataSets[0],
            // An unknown name is refused by AcceptOnlyFromAmong before this runs.
            CustomParser = result => dataSets.Single(d => d.Name == result.Tokens[0].Value),
        };
        option.AcceptOnlyFromAmong([.. names]);
        return option;
    }
}

/// <summary>Where a command reads its images: the data set, the folder (null: its default) and the data sets known beside it.</summary>
internal sealed record DataSource(DataSet DataSet, string? Folder, IReadOnlyList<DataSet> Known)
{
    /// <summary>The first <paramref name="limit"/> training images (all when null) with their classes, in the pixel range of the model <paramref name="reader"/>.</summary>
    public LabelledImages TrainingSet(int? limit, ModelKind reader) => LoadSplit(MnistSplit.Train, limit, reader);

    /// <summary>The first <paramref name="limit"/> test images (all when null) with their classes, in the pixel range of the model <paramref name="reader"/>.</summary>
    public LabelledImages TestSet(int? limit, ModelKind reader) => LoadSplit(MnistSplit.Test, limit, reader);

    /// <summary>
    /// Refuses a checkpoint trained on another data set than this one: <paramref name="role"/> names what it is for
    /// (e.g. "the judge"), <paramref name="advice"/> says what to do instead.
    /// </summary>
    public void RequireTrainedOn(string checkpoint, JsonObject metadata, string role, string advice)
    {
        var recorded = Data.DataSet.RecordedIn(metadata);
        if (recorded == DataSet.Name) return;
        var title = Known.FirstOrDefault(d => d.Name == recorded)?.Title ?? recorded;
        throw new CheckpointException(checkpoint, $"{role} was trained on {title}, not {DataSet.Title}: {advice}");
    }

    /// <summary>A split's images and labels, downloading missing files (with progress on stderr).</summary>
    private LabelledImages LoadSplit(MnistSplit split, int? limit, ModelKind reader)
    {
        using var downloader = new MnistDownloader();
        var store = new MnistStore(DataSet, MnistLocation.Resolve(Folder, DataSet), downloader, Known);
        var set = store.LoadAsync(split, limit, progress =>
            Console.Error.Write($"\rdownloading {progress.FileName}: {progress.BytesReceived / 1024} of {progress.TotalBytes / 1024} KiB   ")).GetAwaiter().GetResult();
        var (images, labels) = set.ToTensors(reader.Pixels);
        return new LabelledImages(images, labels);
    }
}
