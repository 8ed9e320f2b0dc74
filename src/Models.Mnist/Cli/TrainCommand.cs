using System.CommandLine;
using static Models.Mnist.Cli.CliOptions;
using static Models.Mnist.Cli.CommandSupport;

namespace Models.Mnist.Cli;

/// <summary><c>train dcgan|acgan|classifier|addition</c>: each recipe's options, and its trainer run with a progress display.</summary>
internal static class TrainCommand
{
    public static Command Create() => new("train", "Train a model") { Dcgan(), Acgan(), Classifier(), TrainAdditionCommand.Create() };

    private static Command Dcgan() =>
        new GanTrainingOptions("runs/dcgan", epochs: 100, batchSize: 256, "Images per step (half real, half generated for D)")
            .Command(ModelKind.Dcgan, "Train the basic MNIST GAN (DcganGenerator + DcganDiscriminator)", inputs =>
                Train(inputs.Options.OutputFolder, reporter =>
                    new DcganTrainer(inputs.Options, inputs.Training.Images, reporter, inputs.Evaluation).Run(inputs.RunInfo)));

    private static Command Acgan()
    {
        var gan = new GanTrainingOptions("runs/acgan", epochs: 50, batchSize: 100, "Real images per step (D also sees as many generated ones; G learns from twice as many)");
        var testLimit = OptionalAtLeast(1, "--test-limit", "Measure the end-of-epoch losses on the first N test images only (quick runs; default all 10,000)");
        var recipe = new Option<string>("--recipe")
        {
            Description = "keras: Keras' mnist_acgan (real label 0.95, class head learns from real images only); reference: the recipe's wording (docs/acgan-recipe.md)",
            DefaultValueFactory = _ => AcganTrainer.RecipeName(AcganRecipe.Keras),
        };
        recipe.AcceptOnlyFromAmong([.. Enum.GetValues<AcganRecipe>().Select(AcganTrainer.RecipeName)]);
        var command = gan.Command(ModelKind.Acgan, "Train the class-conditional AC-GAN (AcganGenerator + AcganDiscriminator)", inputs =>
        {
            using var test = TestSet(inputs.Parsed.GetValue(gan.Data), inputs.Parsed.GetValue(testLimit), ModelKind.Acgan);
            var chosen = Enum.GetValues<AcganRecipe>().Single(r => AcganTrainer.RecipeName(r) == inputs.Parsed.GetValue(recipe));
            return Train(inputs.Options.OutputFolder, reporter =>
                new AcganTrainer(inputs.Options, inputs.Training, test, reporter, chosen, inputs.Evaluation).Run(inputs.RunInfo));
        });
        command.Options.Add(testLimit);
        command.Options.Add(recipe);
        return command;
    }

    private static Command Classifier()
    {
        var data = DataFolder();
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints and logs", DefaultValueFactory = _ => "runs/classifier" };
        var epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", 15);
        var batchSize = Positive("--batch-size", "Images per step", 128);
        var limit = OptionalAtLeast(1, "--limit", "Train on the first N training images only (quick runs); the test set is always whole");
        var seed = Seed("Seed of the initial weights, the batch order, dropout and the shifts");
        var shift = AtLeast(0, "--shift", "Move each training image by up to N pixels each way, a new draw every step (0: as they are)", 2);
        var resume = Resume();
        var skipNonFinite = SkipNonFinite();
        var device = Device();
        var classifier = new Command(ModelKind.Classifier.Name, "Train the digit classifier (DigitClassifier) that evaluate judges generated digits with")
        {
            data, output, epochs, batchSize, limit, seed, shift, resume, skipNonFinite, device,
        };
        classifier.SetAction(parsed =>
        {
            var options = new ClassifierOptions(parsed.GetValue(output)!)
            {
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batchSize),
                Limit = parsed.GetValue(limit),
                Seed = parsed.GetValue(seed),
                MaxShift = parsed.GetValue(shift),
                Resume = parsed.GetValue(resume),
                Device = parsed.GetValue(device)!,
                OnNonFinite = parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            };
            using var training = TrainingSet(parsed.GetValue(data), options.Limit, ModelKind.Classifier);
            using var test = TestSet(parsed.GetValue(data), null, ModelKind.Classifier);
            var runInfo = RunInfo(parsed, options.Seed);
            return Train(options.OutputFolder, reporter => new ClassifierTrainer(options, training, test, reporter).Run(runInfo));
        });
        return classifier;
    }
}

/// <summary>What a GAN training command has read and loaded before the recipe's trainer starts.</summary>
internal sealed record GanTrainingInputs(ParseResult Parsed, GanOptions Options, LabelledImages Training, TrainingEvaluation? Evaluation, JsonObject RunInfo);

/// <summary>The options every GAN recipe's training command takes; the defaults are the recipe's.</summary>
internal sealed class GanTrainingOptions(string defaultOutput, int epochs, int batchSize, string batchDescription)
{
    public Option<string?> Data { get; } = CliOptions.DataFolder();
    private readonly Option<string> _output = new("--out") { Description = "Run folder for samples, checkpoints and logs", DefaultValueFactory = _ => defaultOutput };
    private readonly Option<int> _epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", epochs);
    private readonly Option<int> _batchSize = Positive("--batch-size", batchDescription, batchSize);
    private readonly Option<int?> _limit = OptionalAtLeast(2, "--limit", "Train on the first N images only (quick runs)");
    private readonly Option<int> _seed = Seed("Seed of every random choice");
    private readonly Option<bool> _resume = Resume();
    private readonly Option<int> _sampleEvery = Positive("--sample-every", "Save a sample grid every N epochs", 1);
    private readonly Option<int> _keep = Positive("--keep-checkpoints", "Checkpoints to keep (newest first)", 2);
    private readonly Option<string> _device = Device();
    private readonly Option<bool> _skipNonFinite = SkipNonFinite();
    private readonly Option<string?> _classifier = new("--classifier") { Description = "A checkpoint of train classifier (or its run folder): judge the generator with the evaluation suite during training" };
    private readonly Option<int> _evaluateEvery = Positive("--eval-every", "With --classifier: evaluate every N epochs (and after the last)", 1);
    private readonly Option<int> _evaluationSamples = AtLeast(GanEvaluator.MinimumSamples, "--eval-samples", "With --classifier: generated images judged per evaluation", 2000);

    /// <summary>
    /// The command that trains <paramref name="kind"/> with these options: <paramref name="train"/> trains with the
    /// options read, the training images loaded and the evaluation suite asked for, and returns the exit status.
    /// </summary>
    public Command Command(ModelKind kind, string description, Func<GanTrainingInputs, int> train)
    {
        var command = new Command(kind.Name, description)
        {
            Data, _output, _epochs, _batchSize, _limit, _seed, _resume, _sampleEvery, _keep, _skipNonFinite, _device,
            _classifier, _evaluateEvery, _evaluationSamples,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(_classifier) is null && (result.GetResult(_evaluateEvery) is { Implicit: false } || result.GetResult(_evaluationSamples) is { Implicit: false }))
                result.AddError("--eval-every and --eval-samples need --classifier FILE");
        });
        command.SetAction(parsed =>
        {
            var options = Read(parsed);
            using var training = TrainingSet(parsed.GetValue(Data), options.Limit, kind);
            var runInfo = RunInfo(parsed, options.Seed);
            using var evaluation = Evaluation(parsed);
            return train(new GanTrainingInputs(parsed, options, training, evaluation, runInfo));
        });
        return command;
    }

    /// <summary>The evaluation suite the run asked for with --classifier, or null.</summary>
    private TrainingEvaluation? Evaluation(ParseResult parsed)
    {
        if (parsed.GetValue(_classifier) is not { } classifier) return null;
        var samples = parsed.GetValue(_evaluationSamples);
        // The evaluation keeps both sets (and disposes them); the classifier judges them.
        var test = TestSet(parsed.GetValue(Data), null, ModelKind.Classifier);
        var floor = TrainingSet(parsed.GetValue(Data), samples, ModelKind.Classifier);
        return TrainingEvaluation.Create(RunFolder.ResolveCheckpoint(classifier), test, floor, parsed.GetValue(_evaluateEvery), samples, parsed.GetValue(_seed));
    }

    private GanOptions Read(ParseResult parsed) =>
        new(parsed.GetValue(_output)!)
        {
            Epochs = parsed.GetValue(_epochs),
            BatchSize = parsed.GetValue(_batchSize),
            Limit = parsed.GetValue(_limit),
            Seed = parsed.GetValue(_seed),
            Resume = parsed.GetValue(_resume),
            SampleEvery = parsed.GetValue(_sampleEvery),
            KeepCheckpoints = parsed.GetValue(_keep),
            OnNonFinite = parsed.GetValue(_skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            Device = parsed.GetValue(_device)!,
        };
}
