using System.CommandLine;
using System.CommandLine.Parsing;
using System.Reflection;
using System.Text.Json.Nodes;
using Models.Mnist.Evaluation;
using Models.Mnist.Models;
using ModelDsl;
using Models.Mnist.Training;
using ModelDsl.Data;
using ModelDsl.Imaging;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Cli;

/// <summary>The command line: <c>train dcgan</c>, <c>generate</c>, <c>summary dcgan</c>. Errors end in one line and a non-zero exit.</summary>
internal static class MnistCli
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static int Run(string[] args)
    {
        var root = new RootCommand("ModelDsl MNIST models: train, sample and inspect GANs written in the ModelDsl DSL.")
        {
            TrainCommand(),
            GenerateCommand(),
            SummaryCommand(),
            EvaluateCommand(),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (run with --help for usage)");
            return UsageError;
        }
        try
        {
            // Our own handler below keeps failures to one line; the default one prints a stack trace.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (IsUserFacing(exception))
        {
            Console.Error.WriteLine($"error: {OneLine(exception.Message)}");
            return Failure;
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Failures with a message meant for the user (bad data, bad checkpoint, missing file), not bugs.</summary>
    private static bool IsUserFacing(Exception exception) =>
        exception is MnistFormatException or MnistDataUnavailableException or CheckpointException
            or FileNotFoundException or DirectoryNotFoundException or NonFiniteTrainingException or UnauthorizedAccessException
            or DeviceUnavailableException;

    private static Option<int> Positive(string name, string description, int fallback) => AtLeast(1, name, description, fallback);

    private static Option<int> AtLeast(int minimum, string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        // Only values that parsed are judged here; the parser itself reports ones that did not.
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < minimum)
                result.AddError($"{name} must be at least {minimum}, not {value}");
        });
        return option;
    }

    private static Command TrainCommand()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "Run folder for samples, checkpoints and logs", DefaultValueFactory = _ => "runs/dcgan" };
        var epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", 100);
        var batchSize = Positive("--batch-size", "Images per step (half real, half generated for D)", 256);
        var limit = new Option<int?>("--limit") { Description = "Train on the first N images only (quick runs)" };
        limit.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < 2)
                result.AddError($"--limit must be at least 2, not {value}");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out" };
        var sampleEvery = Positive("--sample-every", "Save a sample grid every N epochs", 1);
        var keep = Positive("--keep-checkpoints", "Checkpoints to keep (newest first)", 2);
        var device = DeviceOption();
        var skipNonFinite = new Option<bool>("--skip-non-finite") { Description = "Skip optimizer steps whose loss or gradients are NaN/∞ (counted in history.jsonl) instead of stopping" };

        var dcgan = new Command("dcgan", "Train the basic MNIST GAN (DcganGenerator + DcganDiscriminator)")
        {
            data, output, epochs, batchSize, limit, seed, resume, sampleEvery, keep, skipNonFinite, device,
        };
        dcgan.SetAction(parsed =>
        {
            var options = new DcganOptions(parsed.GetValue(output)!, parsed.GetValue(epochs), parsed.GetValue(batchSize),
                parsed.GetValue(limit), parsed.GetValue(seed), parsed.GetValue(resume), parsed.GetValue(sampleEvery),
                parsed.GetValue(keep), parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop)
            {
                Device = parsed.GetValue(device)!,
            };
            using var images = LoadTrainingImages(parsed.GetValue(data), options.Limit, PixelRange.ZeroToOne);
            var runInfo = RunInfo(parsed, options.Seed);
            ConsoleReporter.Run(reporter => new DcganTrainer(options, images, reporter).Run(runInfo));
            AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(options.OutputFolder))}[/]");
            return 0;
        });
        return new Command("train", "Train a model") { dcgan, TrainClassifierCommand() };
    }

    private static Command GenerateCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file, or a run folder (its newest checkpoint)", Required = true };
        var count = Positive("--count", "Digits to draw", 100);
        var seed = new Option<int>("--seed") { Description = "Seed of the latent points", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "PNG file for the grid", Required = true };
        var device = DeviceOption();
        var generate = new Command("generate", "Draw new digits from a saved generator (no training data needed)") { checkpoint, count, seed, output, device };
        generate.SetAction(parsed =>
        {
            var path = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var target = DeviceChoice.Select(parsed.GetValue(device)!);
            using var generator = new DcganGenerator();
            Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["generator"] = generator });
            generator.to(target).eval();
            var total = parsed.GetValue(count);
            var columns = (int)Math.Ceiling(Math.Sqrt(total));
            using var random = new torch.Generator((ulong)parsed.GetValue(seed));
            using (no_grad())
            using (var latent = randn([total, DcganTrainer.LatentSize], generator: random).to(target))
            using (var images = generator.forward(latent))
            {
                var file = Path.GetFullPath(parsed.GetValue(output)!);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                TensorImages.SaveGrid(images, file, (total + columns - 1) / columns, columns, PixelRange.ZeroToOne);
                AnsiConsole.MarkupLine($"{total} digits from {Markup.Escape(path)} → [bold]{Markup.Escape(file)}[/]");
            }
            return 0;
        });
        return generate;
    }

    private static Option<string?> DataOption() =>
        new("--data") { Description = "Folder with the MNIST files (default: $MODELDSL_DATA, else the user cache; missing files are downloaded)" };

    private static Option<string> DeviceOption()
    {
        var option = new Option<string>("--device") { Description = "cpu, cuda, or auto (CUDA when available)", DefaultValueFactory = _ => "auto" };
        option.AcceptOnlyFromAmong([.. DeviceChoice.Names]);
        return option;
    }

    private static Command TrainClassifierCommand()
    {
        var data = DataOption();
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints and logs", DefaultValueFactory = _ => "runs/classifier" };
        var epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", 15);
        var batchSize = Positive("--batch-size", "Images per step", 128);
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only (quick runs); the test set is always whole" };
        limit.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < 1)
                result.AddError($"--limit must be at least 1, not {value}");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, the batch order and dropout", DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out" };
        var device = DeviceOption();
        var classifier = new Command("classifier", "Train the digit classifier (DigitClassifier) that evaluate judges generated digits with")
        {
            data, output, epochs, batchSize, limit, seed, resume, device,
        };
        classifier.SetAction(parsed =>
        {
            var options = new ClassifierOptions(parsed.GetValue(output)!, parsed.GetValue(epochs), parsed.GetValue(batchSize),
                parsed.GetValue(limit), parsed.GetValue(seed), parsed.GetValue(resume), Device: parsed.GetValue(device)!);
            using var training = LoadSplit(parsed.GetValue(data), MnistSplit.Train, options.Limit, PixelRange.ZeroToOne);
            using var test = LoadSplit(parsed.GetValue(data), MnistSplit.Test, null, PixelRange.ZeroToOne);
            var runInfo = RunInfo(parsed, options.Seed);
            ClassifierConsoleReporter.Run(reporter => new ClassifierTrainer(options, training, test, reporter).Run(runInfo));
            AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(options.OutputFolder))}[/]");
            return 0;
        });
        return classifier;
    }

    private static Command EvaluateCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "The GAN: a checkpoint file of train dcgan, or its run folder (newest checkpoint)", Required = true };
        var classifierPath = new Option<string>("--classifier") { Description = "The judge: a checkpoint file of train classifier, or its run folder (newest checkpoint)", Required = true };
        var samples = AtLeast(GanEvaluator.MinimumSamples, "--samples", "Generated images to judge (and real training images for the floor)", GanEvaluator.DefaultSamples);
        var seed = new Option<int>("--seed") { Description = "Seed of the latent points", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var data = DataOption();
        var device = DeviceOption();
        var evaluate = new Command("evaluate", "Judge a GAN's digits with the classifier: FID-MNIST, MNIST score, class distribution, D accuracy")
        {
            checkpoint, classifierPath, samples, seed, json, data, device,
        };
        evaluate.SetAction(parsed =>
        {
            var generatorFile = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var classifierFile = RunFolder.ResolveCheckpoint(parsed.GetValue(classifierPath)!);
            var target = DeviceChoice.Select(parsed.GetValue(device)!);
            var count = parsed.GetValue(samples);
            var (classifier, classifierInfo) = ClassifierTrainer.Load(classifierFile, target);
            using (classifier)
            using (var generator = new DcganGenerator())
            using (var discriminator = new DcganDiscriminator())
            {
                var generatorInfo = LoadDcgan(generatorFile, generator, discriminator);
                using var test = LoadSplit(parsed.GetValue(data), MnistSplit.Test, null, PixelRange.ZeroToOne);
                using var training = LoadSplit(parsed.GetValue(data), MnistSplit.Train, count, PixelRange.ZeroToOne);
                generator.to(target);
                discriminator.to(target);
                GanEvaluation Evaluate() => new GanEvaluator(classifier, test, training.Images)
                    .Evaluate(generator, generatorInfo.HasDiscriminator ? discriminator : null, count, parsed.GetValue(seed));
                // Generating 10,000 digits takes a minute or two on a CPU: say what is going on, except in machine-read output.
                var evaluation = AnsiConsole.Profile.Capabilities.Interactive && !parsed.GetValue(json)
                    ? AnsiConsole.Status().Start($"Generating {count:#,0} digits and judging them…", _ => Evaluate())
                    : Evaluate();
                if (parsed.GetValue(json))
                {
                    var result = new JsonObject { ["checkpoint"] = generatorFile, ["classifier"] = classifierFile };
                    evaluation.AppendTo(result);
                    Console.WriteLine(result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    EvaluationReport.Write(evaluation, $"{generatorFile} (epoch {generatorInfo.Metadata["epoch"]})",
                        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{classifierFile} (test accuracy {classifierInfo["test_accuracy"]!.GetValue<double>():0.00%})"));
                }
            }
            return 0;
        });
        return evaluate;
    }

    /// <summary>Loads a checkpoint of train dcgan: the generator, and the discriminator when the file holds it.</summary>
    private static (JsonObject Metadata, bool HasDiscriminator) LoadDcgan(string path, DcganGenerator generator, DcganDiscriminator discriminator)
    {
        var metadata = Checkpoint.ReadMetadata(path);
        if (metadata["model"]?.GetValue<string>() is var model && model != "dcgan")
            throw new CheckpointException(path, $"is a '{model ?? "unknown"}' checkpoint, not a GAN: pass one written by 'train dcgan'");
        var hasDiscriminator = Checkpoint.ReadModuleNames(path).Contains("discriminator");
        var modules = new Dictionary<string, nn.Module> { ["generator"] = generator };
        if (hasDiscriminator) modules["discriminator"] = discriminator;
        Checkpoint.Load(path, modules);
        return (metadata, hasDiscriminator);
    }

    private static Command SummaryCommand()
    {
        var dcgan = new Command("dcgan", "Both networks of the DCGAN");
        dcgan.SetAction(_ =>
        {
            Console.WriteLine(DcganGenerator.Summary);
            Console.WriteLine();
            Console.WriteLine(DcganDiscriminator.Summary);
            return 0;
        });
        var classifier = new Command("classifier", "The digit classifier");
        classifier.SetAction(_ =>
        {
            Console.WriteLine(DigitClassifier.Summary);
            return 0;
        });
        return new Command("summary", "Print a model's compile-time summary (layers, shapes, parameters)") { dcgan, classifier };
    }

    private static Tensor LoadTrainingImages(string? dataFolder, int? limit, PixelRange range)
    {
        var (images, labels) = LoadSplit(dataFolder, MnistSplit.Train, limit, range);
        labels.Dispose();
        return images;
    }

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
    private static JsonObject RunInfo(ParseResult parsed, int seed) => new()
    {
        ["command"] = string.Join(" ", parsed.Tokens.Select(t => t.Value)),
        ["seed"] = seed,
        ["started_utc"] = DateTime.UtcNow.ToString("O"),
        ["modeldsl"] = typeof(ModelDsl.IGeneratedModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["torchsharp"] = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["dotnet"] = Environment.Version.ToString(),
        ["threads"] = torch.get_num_threads(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}
