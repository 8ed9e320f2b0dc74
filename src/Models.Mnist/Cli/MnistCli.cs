using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Models.Mnist.Evaluation;
using Models.Mnist.Experiments;
using Models.Mnist.Models;
using ModelDsl;
using Models.Mnist.Training;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Numerics;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Models.Mnist.Cli;

/// <summary>The command line: <c>train dcgan|acgan|classifier</c>, <c>generate</c>, <c>evaluate</c>, <c>experiment augment</c>, <c>summary dcgan|acgan|classifier</c>. Errors end in one line and a non-zero exit.</summary>
internal static class MnistCli
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static int Run(string[] args)
    {
        var numerics = NumericsOption();
        var verbose = new Option<bool>("--verbose") { Description = "Print the numerics configuration chosen for this CPU", Recursive = true };
        var root = new RootCommand("ModelDsl MNIST models: train, sample and inspect GANs written in the ModelDsl DSL.")
        {
            TrainCommand(),
            GenerateCommand(),
            SummaryCommand(),
            EvaluateCommand(),
            ExperimentCommand(),
            numerics,
            verbose,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (run with --help for usage)");
            return UsageError;
        }
        // Before any command touches torch: oneDNN fixes its kernels at its first convolution or matmul.
        NumericsSetup.Apply(parsed.GetValue(numerics), parsed.GetValue(verbose) ? Console.Error : null);
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

    private static Option<string?> NumericsOption()
    {
        var option = new Option<string?>("--numerics")
        {
            Description = $"CPU kernels: native, or isa=LEVEL[+threads=N] (default: ${NumericsSetup.SettingVariable}, else chosen for this CPU; see bench/README.md)",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens is not [var token]) return;
            try
            {
                NumericsConfiguration.Parse(token.Value);
            }
            catch (FormatException invalid)
            {
                result.AddError($"--numerics: {invalid.Message}");
            }
        });
        return option;
    }

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
        var dcgan = new GanCommandOptions("runs/dcgan", epochs: 100, batchSize: 256, "Images per step (half real, half generated for D)");
        var dcganCommand = dcgan.Command("dcgan", "Train the basic MNIST GAN (DcganGenerator + DcganDiscriminator)");
        dcganCommand.SetAction(parsed =>
        {
            var options = dcgan.Read(parsed);
            using var training = LoadSplit(parsed.GetValue(dcgan.Data), MnistSplit.Train, options.Limit, PixelRange.ZeroToOne);
            var runInfo = RunInfo(parsed, options.Seed);
            using var evaluation = dcgan.Evaluation(parsed);
            ConsoleReporter.Run(reporter => new DcganTrainer(options, training.Images, reporter, evaluation).Run(runInfo));
            AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(options.OutputFolder))}[/]");
            return 0;
        });

        var acgan = new GanCommandOptions("runs/acgan", epochs: 50, batchSize: 100, "Real images per step (D also sees as many generated ones; G learns from twice as many)");
        var testLimit = new Option<int?>("--test-limit") { Description = "Measure the end-of-epoch losses on the first N test images only (quick runs; default all 10,000)" };
        testLimit.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < 1)
                result.AddError($"--test-limit must be at least 1, not {value}");
        });
        var acganCommand = acgan.Command("acgan", "Train the class-conditional AC-GAN (AcganGenerator + AcganDiscriminator)");
        var recipe = new Option<string>("--recipe")
        {
            Description = "keras: Keras' mnist_acgan (real label 0.95, class head learns from real images only); reference: the recipe's wording (docs/acgan-recipe.md)",
            DefaultValueFactory = _ => AcganTrainer.RecipeName(AcganRecipe.Keras),
        };
        recipe.AcceptOnlyFromAmong([.. Enum.GetValues<AcganRecipe>().Select(AcganTrainer.RecipeName)]);
        acganCommand.Options.Add(testLimit);
        acganCommand.Options.Add(recipe);
        acganCommand.SetAction(parsed =>
        {
            var options = acgan.Read(parsed);
            using var training = LoadSplit(parsed.GetValue(acgan.Data), MnistSplit.Train, options.Limit, PixelRange.MinusOneToOne);
            using var test = LoadSplit(parsed.GetValue(acgan.Data), MnistSplit.Test, parsed.GetValue(testLimit), PixelRange.MinusOneToOne);
            var runInfo = RunInfo(parsed, options.Seed);
            var chosen = Enum.GetValues<AcganRecipe>().Single(r => AcganTrainer.RecipeName(r) == parsed.GetValue(recipe));
            using var evaluation = acgan.Evaluation(parsed);
            ConsoleReporter.Run(reporter => new AcganTrainer(options, training, test, reporter, chosen, evaluation).Run(runInfo));
            AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(options.OutputFolder))}[/]");
            return 0;
        });
        return new Command("train", "Train a model") { dcganCommand, acganCommand, TrainClassifierCommand() };
    }

    /// <summary>The options every GAN recipe's training command takes; the defaults are the recipe's.</summary>
    private sealed class GanCommandOptions(string defaultOutput, int epochs, int batchSize, string batchDescription)
    {
        public Option<string?> Data { get; } = DataOption();
        private readonly Option<string> _output = new("--out") { Description = "Run folder for samples, checkpoints and logs", DefaultValueFactory = _ => defaultOutput };
        private readonly Option<int> _epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", epochs);
        private readonly Option<int> _batchSize = Positive("--batch-size", batchDescription, batchSize);
        private readonly Option<int?> _limit = Limit();
        private readonly Option<int> _seed = new("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 1 };
        private readonly Option<bool> _resume = new("--resume") { Description = "Continue from the newest checkpoint in --out" };
        private readonly Option<int> _sampleEvery = Positive("--sample-every", "Save a sample grid every N epochs", 1);
        private readonly Option<int> _keep = Positive("--keep-checkpoints", "Checkpoints to keep (newest first)", 2);
        private readonly Option<string> _device = DeviceOption();
        private readonly Option<bool> _skipNonFinite = SkipNonFiniteOption();
        private readonly Option<string?> _classifier = new("--classifier") { Description = "A checkpoint of train classifier (or its run folder): judge the generator with the evaluation suite during training" };
        private readonly Option<int> _evaluateEvery = Positive("--eval-every", "With --classifier: evaluate every N epochs (and after the last)", 1);
        private readonly Option<int> _evaluationSamples = AtLeast(GanEvaluator.MinimumSamples, "--eval-samples", "With --classifier: generated images judged per evaluation", 2000);

        private static Option<int?> Limit()
        {
            var limit = new Option<int?>("--limit") { Description = "Train on the first N images only (quick runs)" };
            limit.Validators.Add(result =>
            {
                if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < 2)
                    result.AddError($"--limit must be at least 2, not {value}");
            });
            return limit;
        }

        public Command Command(string name, string description)
        {
            var command = new Command(name, description)
            {
                Data, _output, _epochs, _batchSize, _limit, _seed, _resume, _sampleEvery, _keep, _skipNonFinite, _device,
                _classifier, _evaluateEvery, _evaluationSamples,
            };
            command.Validators.Add(result =>
            {
                if (result.GetResult(_classifier) is null && (result.GetResult(_evaluateEvery) is { Implicit: false } || result.GetResult(_evaluationSamples) is { Implicit: false }))
                    result.AddError("--eval-every and --eval-samples need --classifier FILE");
            });
            return command;
        }

        /// <summary>The evaluation suite the run asked for with --classifier, or null.</summary>
        public TrainingEvaluation? Evaluation(ParseResult parsed)
        {
            if (parsed.GetValue(_classifier) is not { } classifier) return null;
            var samples = parsed.GetValue(_evaluationSamples);
            // The evaluation keeps both sets (and disposes them).
            var test = LoadSplit(parsed.GetValue(Data), MnistSplit.Test, null, PixelRange.ZeroToOne);
            var floor = LoadSplit(parsed.GetValue(Data), MnistSplit.Train, samples, PixelRange.ZeroToOne);
            return TrainingEvaluation.Create(RunFolder.ResolveCheckpoint(classifier), test, floor, parsed.GetValue(_evaluateEvery), samples, parsed.GetValue(_seed));
        }

        public GanOptions Read(ParseResult parsed) =>
            new(parsed.GetValue(_output)!, parsed.GetValue(_epochs), parsed.GetValue(_batchSize), parsed.GetValue(_limit),
                parsed.GetValue(_seed), parsed.GetValue(_resume), parsed.GetValue(_sampleEvery), parsed.GetValue(_keep),
                parsed.GetValue(_skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop)
            {
                Device = parsed.GetValue(_device)!,
            };
    }

    private static Command GenerateCommand()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A checkpoint file of train dcgan or train acgan, or a run folder (its newest checkpoint)", Required = true };
        var count = new Option<int?>("--count") { Description = "Digits to draw (DCGAN: in all, default 100; AC-GAN: per requested digit, default 10)" };
        count.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value < 1)
                result.AddError($"--count must be at least 1, not {value}");
        });
        var digit = new Option<int?>("--digit") { Description = "AC-GAN only: draw this digit (0–9)" };
        digit.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && value is < 0 or > 9)
                result.AddError($"--digit must be 0–9, not {value}");
        });
        var digits = new Option<string?>("--digits") { Description = "AC-GAN only: one grid row per digit listed, e.g. 0123456789 (the default)" };
        digits.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && (token.Value.Length == 0 || !token.Value.All(char.IsAsciiDigit)))
                result.AddError($"--digits takes digits 0–9 such as 0123456789, not '{token.Value}'");
        });
        var seed = new Option<int>("--seed") { Description = "Seed of the latent points", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--out") { Description = "PNG file for the grid", Required = true };
        var device = DeviceOption();
        var generate = new Command("generate", "Draw new digits from a saved generator (no training data needed)") { checkpoint, count, digit, digits, seed, output, device };
        generate.Validators.Add(result =>
        {
            if (result.GetResult(digit) is not null && result.GetResult(digits) is not null)
                result.AddError("give --digit or --digits, not both");
        });
        generate.SetAction(parsed =>
        {
            var path = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var target = DeviceChoice.Select(parsed.GetValue(device)!);
            var file = Path.GetFullPath(parsed.GetValue(output)!);
            using var random = new torch.Generator((ulong)parsed.GetValue(seed));
            var model = Checkpoint.ReadMetadata(path)["model"]?.GetValue<string>();
            var requested = parsed.GetValue(digit) is { } one ? one.ToString(CultureInfo.InvariantCulture) : parsed.GetValue(digits);
            string drawn;
            if (model == "acgan")
            {
                var rowDigits = (requested ?? "0123456789").Select(c => (long)(c - '0')).ToArray();
                var perDigit = parsed.GetValue(count) ?? 10;
                using var generator = new AcganGenerator();
                Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["generator"] = generator });
                generator.to(target).eval();
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var latent = AcganTrainer.DrawLatent(rowDigits.Length * perDigit, random).to(target);
                var classes = tensor(rowDigits).repeat_interleave(perDigit).to(target);
                SaveGridFile(generator.forward(latent, classes), file, rowDigits.Length, perDigit, PixelRange.MinusOneToOne);
                drawn = $"{perDigit} of each of the digits {string.Concat(rowDigits)}";
            }
            else if (requested is not null)
            {
                throw new CheckpointException(path, $"is a '{model}' checkpoint, which cannot draw chosen digits: --digit and --digits need a checkpoint of train acgan");
            }
            else
            {
                var total = parsed.GetValue(count) ?? 100;
                var columns = (int)Math.Ceiling(Math.Sqrt(total));
                using var generator = new DcganGenerator();
                Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["generator"] = generator });
                generator.to(target).eval();
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                var latent = randn([total, DcganTrainer.LatentSize], generator: random).to(target);
                SaveGridFile(generator.forward(latent), file, (total + columns - 1) / columns, columns, PixelRange.ZeroToOne);
                drawn = $"{total} digits";
            }
            AnsiConsole.MarkupLine($"{Markup.Escape(drawn)} from {Markup.Escape(path)} → [bold]{Markup.Escape(file)}[/]");
            return 0;
        });
        return generate;
    }

    private static void SaveGridFile(Tensor images, string file, int rows, int columns, PixelRange range)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        TensorImages.SaveGrid(images, file, rows, columns, range);
    }

    private static Option<bool> SkipNonFiniteOption() =>
        new("--skip-non-finite") { Description = "Skip optimizer steps whose loss or gradients are NaN/∞ (counted in history.jsonl) instead of stopping" };

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
        var skipNonFinite = SkipNonFiniteOption();
        var device = DeviceOption();
        var classifier = new Command("classifier", "Train the digit classifier (DigitClassifier) that evaluate judges generated digits with")
        {
            data, output, epochs, batchSize, limit, seed, resume, skipNonFinite, device,
        };
        classifier.SetAction(parsed =>
        {
            var options = new ClassifierOptions(parsed.GetValue(output)!, parsed.GetValue(epochs), parsed.GetValue(batchSize),
                parsed.GetValue(limit), parsed.GetValue(seed), parsed.GetValue(resume), Device: parsed.GetValue(device)!,
                OnNonFinite: parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop);
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
        var checkpoint = new Option<string>("--checkpoint") { Description = "The GAN: a checkpoint file of train dcgan or train acgan, or its run folder (newest checkpoint)", Required = true };
        var classifierPath = new Option<string>("--classifier") { Description = "The judge: a checkpoint file of train classifier, or its run folder (newest checkpoint)", Required = true };
        var samples = AtLeast(GanEvaluator.MinimumSamples, "--samples", "Generated images to judge (and real training images for the floor)", GanEvaluator.DefaultSamples);
        var seed = new Option<int>("--seed") { Description = "Seed of the latent points", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var data = DataOption();
        var device = DeviceOption();
        var evaluate = new Command("evaluate", "Judge a GAN's digits with the classifier: FID-MNIST, MNIST score, class distribution, D accuracy, and for the AC-GAN the accuracy per requested digit")
        {
            checkpoint, classifierPath, samples, seed, json, data, device,
        };
        evaluate.SetAction(parsed =>
        {
            var generatorFile = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var classifierFile = RunFolder.ResolveCheckpoint(parsed.GetValue(classifierPath)!);
            var metadata = Checkpoint.ReadMetadata(generatorFile);
            var model = metadata["model"]?.GetValue<string>();
            if (model is not ("dcgan" or "acgan"))
                throw new CheckpointException(generatorFile, $"is a '{model ?? "unknown"}' checkpoint, not a GAN: pass one written by 'train dcgan' or 'train acgan'");
            var target = DeviceChoice.Select(parsed.GetValue(device)!);
            var count = parsed.GetValue(samples);
            var (classifier, classifierInfo) = ClassifierTrainer.Load(classifierFile, target);
            using (classifier)
            using (var test = LoadSplit(parsed.GetValue(data), MnistSplit.Test, null, PixelRange.ZeroToOne))
            using (var training = LoadSplit(parsed.GetValue(data), MnistSplit.Train, count, PixelRange.ZeroToOne))
            {
                var evaluator = new GanEvaluator(classifier, test, training.Images);
                GanEvaluation Evaluate() => model == "acgan"
                    ? EvaluateGan<AcganGenerator, AcganDiscriminator>(generatorFile, target, (g, d) => evaluator.Evaluate(g, d, count, parsed.GetValue(seed)))
                    : EvaluateGan<DcganGenerator, DcganDiscriminator>(generatorFile, target, (g, d) => evaluator.Evaluate(g, d, count, parsed.GetValue(seed)));
                // Generating 10,000 digits takes a minute or two on a CPU: say what is going on, except in machine-read output.
                var evaluation = AnsiConsole.Profile.Capabilities.Interactive && !parsed.GetValue(json)
                    ? AnsiConsole.Status().Start($"Generating {count:#,0} digits and judging them…", _ => Evaluate())
                    : Evaluate();
                if (parsed.GetValue(json))
                {
                    var result = new JsonObject { ["checkpoint"] = generatorFile, ["model"] = model, ["classifier"] = classifierFile };
                    evaluation.AppendTo(result);
                    Console.WriteLine(result.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    EvaluationReport.Write(evaluation, $"{generatorFile} ({model}, epoch {metadata["epoch"]})",
                        string.Create(CultureInfo.InvariantCulture, $"{classifierFile} (test accuracy {classifierInfo["test_accuracy"]!.GetValue<double>():0.00%})"));
                }
            }
            return 0;
        });
        return evaluate;
    }

    /// <summary>
    /// Loads a GAN checkpoint's generator, and its discriminator when the file holds one, onto <paramref name="device"/>,
    /// and evaluates them (the discriminator is null when the file has none).
    /// </summary>
    private static GanEvaluation EvaluateGan<TGenerator, TDiscriminator>(string path, Device device, Func<TGenerator, TDiscriminator?, GanEvaluation> evaluate)
        where TGenerator : nn.Module, new()
        where TDiscriminator : nn.Module, new()
    {
        using var generator = new TGenerator();
        using var discriminator = new TDiscriminator();
        var hasDiscriminator = Checkpoint.ReadModuleNames(path).Contains("discriminator");
        var modules = new Dictionary<string, nn.Module> { ["generator"] = generator };
        if (hasDiscriminator) modules["discriminator"] = discriminator;
        Checkpoint.Load(path, modules);
        generator.to(device);
        discriminator.to(device);
        return evaluate(generator, hasDiscriminator ? discriminator : null);
    }

    private static Command ExperimentCommand()
    {
        var defaults = new AugmentOptions();
        var generatorPath = new Option<string>("--generator") { Description = "The class-conditional generator: a checkpoint file of train acgan, or its run folder (newest checkpoint)", Required = true };
        var real = Positive("--real", "Real training images per trial (a random subset per seed, the digits in equal shares)", defaults.Real);
        var synthetic = Positive("--synthetic", "Generated images added to them, the digits in equal shares", defaults.Synthetic);
        var seeds = Positive("--seeds", "Trials, seeds --seed, --seed + 1, …", defaults.Seeds);
        var seed = new Option<int>("--seed") { Description = "First seed", DefaultValueFactory = _ => defaults.FirstSeed };
        var steps = Positive("--steps", "Optimizer steps per classifier (the same with and without generated images)", defaults.Steps);
        var batchSize = Positive("--batch-size", "Images per step", defaults.BatchSize);
        var judge = new Option<string?>("--classifier") { Description = "Optionally a checkpoint of train classifier: report how many generated images show the digit they are labelled with" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables" };
        var data = DataOption();
        var device = DeviceOption();
        var augment = new Command("augment", "Train the classifier on N real images, and on N real + M generated by a class-conditional generator; compare test accuracy over several seeds")
        {
            generatorPath, real, synthetic, seeds, seed, steps, batchSize, judge, json, data, device,
        };
        augment.Validators.Add(result =>
        {
            if (result.GetValue(real) > MnistTrainingImages) result.AddError($"--real must be at most {MnistTrainingImages:#,0} (the training set), not {result.GetValue(real)}");
        });
        augment.SetAction(parsed =>
        {
            var generatorFile = RunFolder.ResolveCheckpoint(parsed.GetValue(generatorPath)!);
            var model = Checkpoint.ReadMetadata(generatorFile)["model"]?.GetValue<string>();
            if (model != "acgan")
                throw new CheckpointException(generatorFile, $"is a '{model ?? "unknown"}' checkpoint, whose digits carry no class: experiment augment needs a generator written by 'train acgan'");
            var options = new AugmentOptions(parsed.GetValue(real), parsed.GetValue(synthetic), parsed.GetValue(seeds), parsed.GetValue(seed),
                parsed.GetValue(steps), parsed.GetValue(batchSize));
            var target = DeviceChoice.Select(parsed.GetValue(device)!);
            var judgeFile = parsed.GetValue(judge) is { } judgePath ? RunFolder.ResolveCheckpoint(judgePath) : null;
            using var judgeClassifier = judgeFile is null ? null : ClassifierTrainer.Load(judgeFile, target).Classifier;
            using var generator = new AcganGenerator();
            Checkpoint.Load(generatorFile, new Dictionary<string, nn.Module> { ["generator"] = generator });
            using var training = LoadSplit(parsed.GetValue(data), MnistSplit.Train, null, PixelRange.ZeroToOne);
            using var test = LoadSplit(parsed.GetValue(data), MnistSplit.Test, null, PixelRange.ZeroToOne);
            var mostReal = AugmentExperiment.MostRealInEqualShares(training);
            if (options.Real > mostReal)
            {
                Console.Error.WriteLine($"error: --real {options.Real:#,0} cannot be drawn in equal shares: the rarest digit has {mostReal / AcganTrainer.Classes:#,0} training images, so at most {mostReal:#,0}");
                return UsageError;
            }
            IReadOnlyList<AugmentTrial> trials = [];
            void Work(IAugmentReporter reporter) => trials = new AugmentExperiment(options, generator, training, test, reporter, judgeClassifier).Run(target);
            if (parsed.GetValue(json)) Work(SilentAugmentReporter.Instance); // --json prints one object and nothing else
            else AugmentConsoleReporter.Run(Work);
            var result = new AugmentResult(options, generatorFile, trials);
            if (parsed.GetValue(json)) Console.WriteLine(result.ToJson().ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            else AugmentReport.Write(result);
            return 0;
        });
        return new Command("experiment", "Experiments with trained models") { augment };
    }

    private const int MnistTrainingImages = 60_000;

    private static Command SummaryCommand() =>
        new("summary", "Print a model's compile-time summary (layers, shapes, parameters)")
        {
            Summary("dcgan", "Both networks of the DCGAN", DcganGenerator.Summary, DcganDiscriminator.Summary),
            Summary("acgan", "Both networks of the AC-GAN", AcganGenerator.Summary, AcganDiscriminator.Summary),
            Summary("classifier", "The digit classifier", DigitClassifier.Summary),
        };

    private static Command Summary(string name, string description, params string[] summaries)
    {
        var command = new Command(name, description);
        command.SetAction(_ =>
        {
            Console.WriteLine(string.Join("\n\n", summaries));
            return 0;
        });
        return command;
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
        ["numerics"] = NumericsSetup.Current?.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };
}
