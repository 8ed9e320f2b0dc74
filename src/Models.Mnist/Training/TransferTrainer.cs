using System.Diagnostics;
using ModelDsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Settings of a transfer run: Keras' mnist_transfer_cnn, <see cref="RunOptions.Epochs"/> epochs of each phase (Keras: 5)
/// at batch 128 with Adadelta at Keras' settings (rate 1, ρ 0.95, ε 1e-7).
/// </summary>
internal sealed record TransferOptions : RunOptions
{
    public const int DefaultEpochs = 5;

    public TransferOptions(string outputFolder) : base(outputFolder, epochs: DefaultEpochs, batchSize: 128) { }

    /// <summary>The settings a resumed run must share with its checkpoint: the epochs place the phase boundary.</summary>
    public IEnumerable<RecipeSetting> Recipe() => [.. SharedRecipe(), new("--epochs", "epochs", Epochs)];
}

/// <summary>
/// Keras' transfer-learning example on <see cref="TransferCnn"/>: first the whole network learns the classes 0–4 (its
/// "base" phase); then its convolutional stack is frozen and the dense head, starting from what it learned, learns
/// the classes 5–9 (as 0–4; the "transfer" phase). Epochs are numbered through both phases in one run folder; each
/// phase has an Adadelta of its own (both in every checkpoint), so a run resumes in either phase like an uninterrupted one.
/// </summary>
internal sealed class TransferTrainer(TransferOptions options, LabelledImages training, LabelledImages test, IProgressReporter reporter)
{
    /// <summary>The network's name in checkpoints (part of their format).</summary>
    internal const string ModuleName = "model";
    private const int ClassesPerPhase = 5;
    private const string BasePhase = "base";
    private const string TransferPhase = "transfer";

    public RunFolder Folder { get; } = new(options.OutputFolder, keepsSamples: false);

    public void Run(JsonObject runInfo)
    {
        var device = DeviceChoice.Select(options.Device);
        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        using var model = new TransferCnn().to(device);
        using var baseOptimizer = KerasAdadelta(model.parameters());
        using var transferOptimizer = KerasAdadelta(model.StackParameters(nameof(TransferCnn.Classification)).Select(p => p.Parameter));
        using var baseSet = OnDevice(training.OfClasses(0, ClassesPerPhase), device);
        using var transferSet = OnDevice(training.OfClasses(ClassesPerPhase, ClassesPerPhase), device);
        using var baseTest = test.OfClasses(0, ClassesPerPhase);
        using var transferTest = test.OfClasses(ClassesPerPhase, ClassesPerPhase);
        var run = new TrainingRun(Folder, reporter, ModelKind.Transfer, [.. options.Recipe()],
            new Dictionary<string, nn.Module> { [ModuleName] = model },
            new Dictionary<string, OptimizerHelper> { [BasePhase] = baseOptimizer, [TransferPhase] = transferOptimizer },
            EpochReport.TransferLine);
        var resumed = run.Start(options.Resume, runInfo, device);
        var step = resumed.Step;

        var guard = new NonFiniteGuard(options.OnNonFinite);
        for (var epoch = resumed.StartEpoch; epoch <= 2 * options.Epochs; epoch++)
        {
            var transferring = epoch > options.Epochs;
            // Freezing is no part of the weights a checkpoint holds, so a run resumed in the second phase freezes again.
            if (transferring) model.Freeze(nameof(TransferCnn.Features));
            var (set, testSet, optimizer) = transferring ? (transferSet, transferTest, transferOptimizer) : (baseSet, baseTest, baseOptimizer);
            var clock = Stopwatch.StartNew();
            using var order = tensor(TrainingRun.EpochPermutation(options.Seed, epoch, set.Count)).to(device);
            var skippedBefore = guard.SkippedSteps;
            reporter.EpochStarted(epoch, 2 * options.Epochs, ClassifierTrainer.StepsPerEpoch(set.Count, options.BatchSize));
            var mean = ClassifierTrainer.TrainEpoch(model, optimizer, guard, ref step, set, order, options.BatchSize, maxShift: 0, reporter);
            var score = ClassifierTrainer.Score(model, testSet);
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["phase"] = transferring ? TransferPhase : BasePhase,
                ["classes"] = transferring ? $"{ClassesPerPhase}-{2 * ClassesPerPhase - 1}" : $"0-{ClassesPerPhase - 1}",
                ["step"] = step,
                ["train_loss"] = mean.Loss,
                ["train_accuracy"] = mean.Accuracy,
                ["test_loss"] = score.Loss,
                ["test_accuracy"] = score.Accuracy,
                ["trainable_parameters"] = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()),
                ["skipped_steps"] = guard.SkippedSteps - skippedBefore,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            run.EndEpoch(epoch, step, history, options.KeepCheckpoints, new JsonObject { ["test_accuracy"] = score.Accuracy });
        }
    }

    /// <summary>
    /// What the run measured, from its history (so a finished run resumed reports the same): each phase's last test
    /// accuracy and seconds in all, and the parameters the transfer froze and trained.
    /// </summary>
    public JsonObject Result()
    {
        var history = Folder.ReadHistory();
        IReadOnlyList<JsonObject> Phase(string name) => [.. history.Where(h => h["phase"]?.GetValue<string>() == name)];
        var (basePhase, transferPhase) = (Phase(BasePhase), Phase(TransferPhase));
        if (basePhase.Count != options.Epochs || transferPhase.Count != options.Epochs)
            throw new InvalidOperationException($"{Folder.HistoryPath} holds {basePhase.Count} base and {transferPhase.Count} transfer epochs, not {options.Epochs} of each");
        var total = TransferCnn.ParameterCount;
        var trainable = transferPhase[^1]["trainable_parameters"]!.GetValue<long>();
        return new JsonObject
        {
            ["base_test_accuracy"] = basePhase[^1]["test_accuracy"]!.GetValue<double>(),
            ["transfer_test_accuracy"] = transferPhase[^1]["test_accuracy"]!.GetValue<double>(),
            ["frozen_parameters"] = total - trainable,
            ["trainable_parameters"] = trainable,
            ["base_seconds"] = Math.Round(basePhase.Sum(h => h["seconds"]!.GetValue<double>()), 3),
            ["transfer_seconds"] = Math.Round(transferPhase.Sum(h => h["seconds"]!.GetValue<double>()), 3),
            ["epochs_per_phase"] = options.Epochs,
        };
    }

    /// <summary>The one-line summary of <see cref="Result"/> that the console shows.</summary>
    public static string Describe(JsonObject result) => string.Create(CultureInfo.InvariantCulture,
        $"digits 0–4: {result["base_test_accuracy"]!.GetValue<double>():P2} ({result["base_seconds"]!.GetValue<double>():0} s); " +
        $"digits 5–9 on the frozen features ({result["frozen_parameters"]!.GetValue<long>():#,0} parameters frozen, " +
        $"{result["trainable_parameters"]!.GetValue<long>():#,0} trained): {result["transfer_test_accuracy"]!.GetValue<double>():P2} ({result["transfer_seconds"]!.GetValue<double>():0} s)");

    /// <summary>Keras' Adadelta (rate 1, ρ 0.95, ε 1e-7), which the example compiles with; PyTorch's defaults differ in ρ and ε.</summary>
    private static Adadelta KerasAdadelta(IEnumerable<Parameter> parameters) => optim.Adadelta(parameters, lr: 1.0, rho: 0.95, eps: 1e-7);

    private static LabelledImages OnDevice(LabelledImages set, Device device)
    {
        using (set) return new LabelledImages(set.Images.to(device), set.Labels.to(device));
    }
}
