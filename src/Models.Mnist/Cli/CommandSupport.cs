using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Numerics;
using Spectre.Console;
using TorchSharp;

namespace Models.Mnist.Cli;

/// <summary>What the command handlers share: reading MNIST, run.json's record of the command, and printing results.</summary>
internal static class CommandSupport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The first <paramref name="limit"/> training images (all when null) with their digits, in the pixel range of the model <paramref name="reader"/>.</summary>
    public static LabelledImages TrainingSet(string? dataFolder, int? limit, ModelKind reader) => LoadSplit(dataFolder, MnistSplit.Train, limit, reader.Pixels);

    /// <summary>The first <paramref name="limit"/> test images (all when null) with their digits, in the pixel range of the model <paramref name="reader"/>.</summary>
    public static LabelledImages TestSet(string? dataFolder, int? limit, ModelKind reader) => LoadSplit(dataFolder, MnistSplit.Test, limit, reader.Pixels);

    /// <summary>A split's images and labels, downloading missing files (with progress on stderr).</summary>
    private static LabelledImages LoadSplit(string? dataFolder, MnistSplit split, int? limit, PixelRange range)
    {
        var location = MnistLocation.Resolve(dataFolder);
        using var downloader = new MnistDownloader();
        var store = new MnistStore(location, downloader);
        var set = store.LoadAsync(split, limit, progress =>
            Console.Error.Write($"\rdownloading {progress.FileName}: {progress.BytesReceived / 1024} of {progress.TotalBytes / 1024} KiB   ")).GetAwaiter().GetResult();
        var (images, labels) = set.ToTensors(range);
        return new LabelledImages(images, labels);
    }

    /// <summary>What run.json records: the exact command line, the seed and the versions that produced the run.</summary>
    public static JsonObject RunInfo(ParseResult parsed, int seed) => new()
    {
        ["command"] = string.Join(" ", parsed.Tokens.Select(t => t.Value)),
        ["seed"] = seed,
        ["started_utc"] = DateTime.UtcNow.ToString("O"),
        ["modeldsl"] = typeof(ModelDsl.IGeneratedModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["torchsharp"] = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["dotnet"] = Environment.Version.ToString(),
        ["threads"] = torch.get_num_threads(),
        ["numerics"] = NumericsSetup.Current?.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };

    /// <summary>Trains with the console's progress display, then names the run folder.</summary>
    public static int Train(string outputFolder, Action<IProgressReporter> train)
    {
        ConsoleProgress.Run(train);
        AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(outputFolder))}[/]");
        return 0;
    }

    /// <summary>Prints <paramref name="result"/> as indented JSON, the whole output of a <c>--json</c> command.</summary>
    public static void WriteJson(JsonObject result) => Console.WriteLine(result.ToJsonString(Indented));
}
