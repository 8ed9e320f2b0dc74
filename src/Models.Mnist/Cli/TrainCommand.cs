using System.CommandLine;
using System.CommandLine.Parsing;
using Models.Mnist.Data;
using static Models.Mnist.Cli.CliOptions;
using static Models.Mnist.Cli.CommandSupport;

namespace Models.Mnist.Cli;

/// <summary>
/// <c>train gan --model dcgan|dcgan-bn|mlp|acgan|acgan-small</c> (with <c>train dcgan</c> and <c>train acgan</c> as its aliases) and
/// <c>train classifier|addition|transfer</c>: each recipe's options, and its trainer run with a progress display.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(IReadOnlyList<DataSet> dataSets) => new("train", "Train a model")
    {
        new GanTrainingOptions(null, dataSets).Command("gan", $"Train a GAN: --model {string.Join("|", ModelKind.Gans.Select(k => k.Name))}"),
        new GanTrainingOptions(ModelKind.Dcgan, dataSets).Command(ModelKind.Dcgan.Name, "Train the basic MNIST GAN (DcganGenerator + DcganDiscriminator): train gan --model dcgan"),
        new GanTrainingOptions(ModelKind.Acgan, dataSets).Command(ModelKind.Acgan.Name, "Train the class-conditional AC-GAN (AcganGenerator + AcganDiscriminator): train gan --model acgan"),
        Classifier(dataSets),
        TrainAdditionCommand.Create(),
        TrainTransferCommand.Create(dataSets),
    };

    private static Command Classifier(IReadOnlyList<DataSet> dataSets)
    {
        var data = new DataOptions(dataSets);
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints and logs", DefaultValueFactory = _ => "runs/classifier" };
        var epochs = Positive("--epochs", "Epochs to train (the learning rate's cosine spans them all)", ClassifierOptions.DefaultEpochs);
        var batchSize = Positive("--batch-size", "Images per step", 128);
        var limit = OptionalAtLeast(1, "--limit", "Train on the first N training images only (quick runs); the test set is always whole");
        var seed = Seed("Seed of the initial weights, the batch order, dropout and the shifts");
        var shift = AtLeast(0, "--shift", "Move each training image by up to N pixels each way, a new draw every step (0: as they are)", ClassifierOptions.DefaultMaxShift);
        var resume = Resume();
        var skipNonFinite = SkipNonFinite();
        var device = Device();
        var classifier = new Command(ModelKind.Classifier.Name, "Train the digit classifier (DigitClassifier) that evaluate judges generated digits with")
        {
            data.DataSet, data.Folder, output, epochs, batchSize, limit, seed, shift, resume, skipNonFinite, device,
        };
        classifier.SetAction(parsed =>
        {
            var source = data.Read(parsed);
            var options = new ClassifierOptions(parsed.GetValue(output)!)
            {
                DataSetName = source.DataSet.Name,
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batchSize),
                Limit = parsed.GetValue(limit),
                Seed = parsed.GetValue(seed),
                MaxShift = parsed.GetValue(shift),
                Resume = parsed.GetValue(resume),
                Device = parsed.GetValue(device)!,
                OnNonFinite = parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            };
            using var training = source.TrainingSet(options.Limit, ModelKind.Classifier);
            using var test = source.TestSet(null, ModelKind.Classifier);
            var runInfo = RunInfo(parsed, options.Seed);
            return Train(options.OutputFolder, reporter => new ClassifierTrainer(options, training, test, reporter).Run(runInfo));
        });
        return classifier;
    }
}

/// <summary>
/// The options of <c>train gan</c> and its aliases (<paramref name="fixedKind"/>: the model an alias trains, else
/// <c>--model</c>); the defaults of epochs, batch and rates are the model's recipe's. Options that do not apply to the
/// model, or to the loss, are refused as usage errors.
/// </summary>
internal sealed class GanTrainingOptions(ModelKind? fixedKind, IReadOnlyList<DataSet> dataSets)
{
    /// <summary>The model <c>train gan</c> trains without <c>--model</c>.</summary>
    public static readonly ModelKind DefaultModel = ModelKind.DcganBn;

    private readonly DataOptions _data = new(dataSets);
    private readonly Option<string> _model = Model();
    private readonly Option<string?> _output = new("--out") { Description = "Run folder for samples, checkpoints and logs (default: runs/MODEL)" };
    private readonly Option<int?> _epochs = OptionalAtLeast(1, "--epochs", "Epochs to train (in all, when resuming; default: the model's recipe's)");
    private readonly Option<int?> _batchSize = OptionalAtLeast(1, "--batch-size", "Images per step: D sees half real and half generated, G as many (AC-GAN: real images per step); default: the model's recipe's");
    private readonly Option<int?> _limit = OptionalAtLeast(2, "--limit", "Train on the first N images only (quick runs)");
    private readonly Option<int> _seed = Seed("Seed of every random choice");
    private readonly Option<bool> _resume = Resume();
    private readonly Option<int> _sampleEvery = Positive("--sample-every", "Save a sample grid every N epochs", 1);
    private readonly Option<int> _keep = Positive("--keep-checkpoints", "Checkpoints to keep (newest first)", 2);
    private readonly Option<string> _device = Device();
    private readonly Option<bool> _skipNonFinite = SkipNonFinite();
    private readonly Option<string?> _classifier = new("--classifier") { Description = "A checkpoint of train classifier (or its run folder): judge the generator with the evaluation suite during training" };
    private readonly Option<int> _evaluateEvery = Positive("--eval-every", "With --classifier: evaluate every N epochs (and after the last)", 1);
    private readonly Option<int?> _evaluateEverySteps = OptionalAtLeast(1, "--eval-every-steps", "With --classifier: also evaluate every N steps, each on a history line of its own");
    private readonly Option<int> _evaluationSamples = AtLeast(GanEvaluator.MinimumSamples, "--eval-samples", "With --classifier: generated images judged per evaluation", 2000);
    private readonly Option<string> _loss = Loss();
    private readonly Option<double?> _labelSmoothing = Fraction("--label-smoothing", "D's target for real images, e.g. 0.9 (one-sided label smoothing; bce and lsgan; the AC-GANs' default is their --recipe's)");
    private readonly Option<int?> _criticSteps = OptionalAtLeast(1, "--n-critic", $"wgan-gp: critic steps per generator step (default {WassersteinGradientPenaltyLoss.DefaultCriticSteps})");
    private readonly Option<double?> _generatorRate = PositiveNumber("--lr-g", "G's Adam learning rate (default: the model's recipe's)");
    private readonly Option<double?> _discriminatorRate = PositiveNumber("--lr-d", "D's Adam learning rate (default: the model's recipe's)");
    private readonly Option<double?> _beta1 = BelowOne("--beta1", "Adam's β1 for both networks (default: the model's recipe's; wgan-gp: 0)");
    private readonly Option<double?> _ema = BelowOne("--ema", "Sample and evaluate through an exponential moving average of G's weights with this decay, e.g. 0.999 (0: the live weights; default: the model's recipe's)");
    private readonly Option<double?> _minutes = PositiveNumber("--minutes", "End the run at the first step after N minutes of training (over resumes; fractions allowed), with its checkpoint, samples and evaluation");
    private readonly Option<double?> _rateDecayFrom = BelowOne("--lr-decay-from", "After this share of the run (of --minutes when given, else of the epochs' steps), both learning rates fall linearly to 0 at its end, e.g. 0.25 (default: constant rates)");
    private readonly Option<double?> _classWeight = PositiveNumber("--class-weight", "AC-GANs: the class part's weight in both networks' losses (default 1; --recipe projection: none)");
    private readonly Option<double?> _generatorClassWeight = PositiveNumber("--class-weight-g", "AC-GANs: the class part's weight in G's loss alone (default: --class-weight's)");
    private readonly Option<double?> _modeSeeking = PositiveNumber("--mode-seeking", "AC-GANs: the weight of the mode-seeking term in G's loss (Mao et al. 2019: two latent points of one digit are pushed to draw different images), e.g. 0.1 (default: none; measured in docs/acgan-recipe.md)");
    private readonly Option<int?> _testLimit = OptionalAtLeast(1, "--test-limit", "AC-GANs: measure the end-of-epoch losses on the first N test images only (quick runs; default all 10,000)");
    private readonly Option<string> _recipe = AcganRecipeOption();

    /// <summary>The command named <paramref name="name"/> that trains with these options.</summary>
    public Command Command(string name, string description)
    {
        var command = new Command(name, description)
        {
            _data.DataSet, _data.Folder, _output, _epochs, _batchSize, _limit, _seed, _resume, _sampleEvery, _keep, _skipNonFinite, _device,
            _classifier, _evaluateEvery, _evaluateEverySteps, _evaluationSamples,
            _loss, _labelSmoothing, _criticSteps, _generatorRate, _discriminatorRate, _beta1, _ema, _minutes, _rateDecayFrom, _testLimit, _recipe, _classWeight, _generatorClassWeight, _modeSeeking,
        };
        if (fixedKind is null) command.Options.Add(_model);
        command.Validators.Add(result =>
        {
            if (Problem(result) is { } problem) result.AddError(problem);
        });
        command.SetAction(parsed =>
        {
            var kind = Kind(() => parsed.GetValue(_model)!);
            var source = _data.Read(parsed);
            var options = Read(parsed, kind) with { DataSetName = source.DataSet.Name };
            using var training = source.TrainingSet(options.Limit, kind);
            var runInfo = RunInfo(parsed, options.Seed);
            using var evaluation = Evaluation(parsed, source);
            if (kind.Conditional is not null)
            {
                using var test = source.TestSet(parsed.GetValue(_testLimit), kind);
                return Train(options.OutputFolder, reporter => new AcganTrainer(kind, options, training, test, reporter, evaluation).Run(runInfo));
            }
            return Train(options.OutputFolder, reporter => new GanTrainer(kind, options, training.Images, reporter, evaluation).Run(runInfo));
        });
        return command;
    }

    /// <summary>The alias's model, else the one <paramref name="model"/> names (an alias has no --model to read).</summary>
    private ModelKind Kind(Func<string> model) => fixedKind ?? ModelKind.Gans.Single(k => k.Name == model());

    /// <summary>Why the command line cannot train, or null when it can: options the model or the loss does not take.</summary>
    private string? Problem(CommandResult result)
    {
        bool Given(Option option) => result.GetResult(option) is { Implicit: false };
        // An unknown name is the option's own error to report.
        if (Named(result, _model, ModelKind.Gans.Select(k => k.Name), DefaultModel.Name) is not { } model
            || Named(result, _loss, GanLossNames.All, GanLossNames.Of(GanLossKind.Bce)) is not { } lossName)
            return null;
        var kind = Kind(() => model);
        var loss = GanLossNames.Parse(lossName);
        if (result.GetResult(_classifier) is null && (Given(_evaluateEvery) || Given(_evaluationSamples) || Given(_evaluateEverySteps)))
            return "--eval-every, --eval-every-steps and --eval-samples need --classifier FILE";
        if (kind.Conditional is not null)
        {
            var notForAcgan = new Option[] { _loss, _criticSteps }.Where(Given).Select(o => o.Name).ToList();
            if (notForAcgan.Count > 0)
                return $"{string.Join(", ", notForAcgan)}: not for {kind}, whose --recipe sets its loss";
            var recipe = Named(result, _recipe, AcganTrainer.RecipeNames, AcganTrainer.RecipeName(kind.Recipe!.AcganRecipe));
            if (recipe == AcganTrainer.RecipeName(AcganRecipe.Projection) && kind.Conditional.Output != DiscriminatorOutput.Logit)
                return $"--recipe projection adds D's class logit to its validity logit, and {kind}'s validity head ends in a sigmoid: use --model " +
                    string.Join(" or ", ModelKind.Gans.Where(k => k.Conditional?.Output == DiscriminatorOutput.Logit).Select(k => k.Name));
        }
        else if (new Option[] { _recipe, _testLimit, _classWeight, _generatorClassWeight, _modeSeeking }.Where(Given).Select(o => o.Name).ToList() is { Count: > 0 } acganOnly)
            return $"{string.Join(", ", acganOnly)}: only for the AC-GANs ({string.Join(", ", ModelKind.Gans.Where(k => k.Conditional is not null))}), not {kind}";
        if (loss == GanLossKind.WganGp && kind.Unconditional?.Output == DiscriminatorOutput.Probability)
            return $"--loss wgan-gp needs a critic without a sigmoid, and {kind}'s discriminator ends in one: use --model " +
                string.Join(" or ", ModelKind.Gans.Where(k => k.Unconditional?.Output == DiscriminatorOutput.Logit).Select(k => k.Name));
        if (loss == GanLossKind.WganGp && Given(_labelSmoothing))
            return "--label-smoothing smooths the labels of bce and lsgan; wgan-gp has none";
        if (loss != GanLossKind.WganGp && Given(_criticSteps))
            return "--n-critic is wgan-gp's (critic steps per generator step): give --loss wgan-gp";
        return null;
    }

    /// <summary>
    /// The name given for <paramref name="option"/> when it is one of <paramref name="names"/>, <paramref name="fallback"/>
    /// when none is given, else null. (A validator sees the tokens, not yet the defaults, and reading an unknown name throws.)
    /// </summary>
    private static string? Named(CommandResult result, Option<string> option, IEnumerable<string> names, string fallback) =>
        result.GetResult(option)?.Tokens is [var token] ? (names.Contains(token.Value) ? token.Value : null) : fallback;

    /// <summary>The evaluation suite the run asked for with --classifier, or null.</summary>
    private TrainingEvaluation? Evaluation(ParseResult parsed, DataSource source)
    {
        if (parsed.GetValue(_classifier) is not { } classifier) return null;
        var classifierFile = RunFolder.ResolveCheckpoint(classifier);
        source.RequireTrainedOn(classifierFile, Checkpoint.ReadMetadata(classifierFile), "the judge (--classifier)",
            $"give one of 'train classifier --dataset {source.DataSet.Name}'");
        var samples = parsed.GetValue(_evaluationSamples);
        // The evaluation keeps both sets (and disposes them); the classifier judges them.
        var test = source.TestSet(null, ModelKind.Classifier);
        var floor = source.TrainingSet(samples, ModelKind.Classifier);
        return TrainingEvaluation.Create(classifierFile, test, floor, parsed.GetValue(_evaluateEvery), samples,
            parsed.GetValue(_seed), parsed.GetValue(_evaluateEverySteps));
    }

    private GanOptions Read(ParseResult parsed, ModelKind kind)
    {
        var recipe = kind.Recipe!;
        var loss = GanLossNames.Parse(parsed.GetValue(_loss)!);
        var wasserstein = loss == GanLossKind.WganGp;
        return GanOptions.ForRecipe(parsed.GetValue(_output) ?? Path.Combine("runs", kind.Name), recipe) with
        {
            Epochs = parsed.GetValue(_epochs) ?? recipe.Epochs,
            BatchSize = parsed.GetValue(_batchSize) ?? recipe.BatchSize,
            Limit = parsed.GetValue(_limit),
            Seed = parsed.GetValue(_seed),
            Resume = parsed.GetValue(_resume),
            SampleEvery = parsed.GetValue(_sampleEvery),
            KeepCheckpoints = parsed.GetValue(_keep),
            OnNonFinite = parsed.GetValue(_skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            Device = parsed.GetValue(_device)!,
            Loss = loss,
            RealLabel = parsed.GetValue(_labelSmoothing),
            AcganRecipe = parsed.GetValue(_recipe) is { } recipeName ? AcganTrainer.ParseRecipe(recipeName) : recipe.AcganRecipe,
            ClassWeight = parsed.GetValue(_classWeight),
            GeneratorClassWeight = parsed.GetValue(_generatorClassWeight),
            ModeSeekingWeight = parsed.GetValue(_modeSeeking) ?? 0,
            CriticSteps = wasserstein ? parsed.GetValue(_criticSteps) ?? WassersteinGradientPenaltyLoss.DefaultCriticSteps : 1,
            GeneratorLearningRate = parsed.GetValue(_generatorRate) ?? recipe.LearningRate,
            DiscriminatorLearningRate = parsed.GetValue(_discriminatorRate) ?? recipe.LearningRate,
            // WGAN-GP's Adam (Gulrajani et al.): no momentum, β2 0.9.
            Beta1 = parsed.GetValue(_beta1) ?? (wasserstein ? 0 : recipe.Beta1),
            Beta2 = wasserstein ? 0.9 : 0.999,
            Minutes = parsed.GetValue(_minutes),
            LearningRateDecayFrom = parsed.GetValue(_rateDecayFrom) ?? 1,
            GeneratorAverage = parsed.GetValue(_ema) ?? recipe.GeneratorAverage,
        };
    }

    private static Option<string> Model()
    {
        var option = new Option<string>("--model")
        {
            Description = "The GAN (summary MODEL prints its networks)",
            DefaultValueFactory = _ => DefaultModel.Name,
        };
        option.AcceptOnlyFromAmong([.. ModelKind.Gans.Select(k => k.Name)]);
        return option;
    }

    private static Option<string> Loss()
    {
        var option = new Option<string>("--loss")
        {
            Description = "bce: binary cross-entropy (the recipes'); lsgan: least squares; wgan-gp: Wasserstein with gradient penalty (a critic without sigmoid)",
            DefaultValueFactory = _ => GanLossNames.Of(GanLossKind.Bce),
        };
        option.AcceptOnlyFromAmong([.. GanLossNames.All]);
        return option;
    }

    private static Option<string> AcganRecipeOption()
    {
        var option = new Option<string>("--recipe")
        {
            Description = "AC-GANs: keras: Keras' mnist_acgan (real label 0.95, class head learns from real images only); reference: the recipe's wording; projection: D's real/fake logit is its validity logit plus its class logit of the digit, no class loss (Miyato & Koyama 2018; needs a validity logit) (docs/acgan-recipe.md). Default: the model's: " +
                string.Join(", ", ModelKind.Gans.Where(k => k.Conditional is not null).Select(k => $"{AcganTrainer.RecipeName(k.Recipe!.AcganRecipe)} for {k.Name}")),
        };
        option.AcceptOnlyFromAmong([.. AcganTrainer.RecipeNames]);
        return option;
    }
}
