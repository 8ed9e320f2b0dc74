using System.Diagnostics;
using System.Text.Json.Nodes;
using Models.Mnist.Models;
using ModelDsl;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Settings of a classifier run. Defaults follow the newer Keras MNIST example (Adam 1e-3, batch 128, 15 epochs),
/// with the rate decayed per epoch as PyTorch's MNIST example does (there ×0.7 on Adadelta), so the last epochs
/// settle instead of wandering around 99.2%. (12 epochs, the older example's count, ended at 99.18%.)
/// </summary>
internal sealed record ClassifierOptions(
    string OutputFolder,
    int Epochs = 15,
    int BatchSize = 128,
    int? Limit = null,
    int Seed = 1,
    bool Resume = false,
    int KeepCheckpoints = 2,
    double LearningRate = 1e-3,
    double LearningRateDecay = 0.8,
    string Device = "auto",
    NonFinitePolicy OnNonFinite = NonFinitePolicy.Stop);

/// <summary>What the classifier trainer reports as it goes, so the console can draw progress bars (and tests can stay quiet).</summary>
internal interface IClassifierReporter
{
    void EpochStarted(int epoch, int epochs, int steps);
    void StepDone(int stepInEpoch, double loss, double accuracy);
    void EpochDone(JsonObject history);
    void Message(string text);
}

/// <summary>Loss and accuracy of a classifier on a labelled set.</summary>
internal readonly record struct ClassifierScore(double Loss, double Accuracy);

/// <summary>
/// Trains <see cref="DigitClassifier"/> with cross-entropy and Adam, testing it on the test set after each epoch.
/// Each epoch visits the training images in a permutation that depends only on the seed and the epoch, and a
/// checkpoint holds the model, the optimizer and the RNG, so a resumed run repeats an uninterrupted one.
/// </summary>
internal sealed class ClassifierTrainer(ClassifierOptions options, LabelledImages training, LabelledImages test, IClassifierReporter reporter)
{
    public const string ModelName = "classifier";
    private const int TestBatchSize = 1000;

    public RunFolder Folder { get; } = new(options.OutputFolder, keepsSamples: false);

    public void Run(JsonObject runInfo)
    {
        var device = DeviceChoice.Select(options.Device);
        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        using var classifier = new DigitClassifier().to(device);
        using var optimizer = optim.Adam(classifier.parameters(), options.LearningRate);
        using var images = training.Images.to(device);
        using var labels = training.Labels.to(device);
        var modules = new Dictionary<string, nn.Module> { [ModelName] = classifier };
        var optimizers = new Dictionary<string, OptimizerHelper> { [ModelName] = optimizer };

        var startEpoch = 1;
        long step = 0;
        if (options.Resume && Folder.LatestCheckpoint() is { } latest)
        {
            var metadata = Checkpoint.Load(latest, modules, optimizers, restoreRandomState: true);
            CheckSameRecipe(latest, metadata);
            startEpoch = metadata["epoch"]!.GetValue<int>() + 1;
            step = metadata["step"]!.GetValue<long>();
            Folder.TruncateTo(startEpoch - 1, step);
            reporter.Message($"Resuming from {Path.GetFileName(latest)}: epoch {startEpoch}.");
        }
        else if (options.Resume)
        {
            reporter.Message($"No checkpoint in {Folder.CheckpointsFolder}; starting a new run.");
        }
        runInfo["resumed_at_epoch"] = startEpoch;
        runInfo["device"] = device.ToString();
        Folder.WriteRunInfo(runInfo);

        var guard = new NonFiniteGuard(options.OnNonFinite);
        var count = images.shape[0];
        var steps = (int)((count + options.BatchSize - 1) / options.BatchSize);
        for (var epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            using var order = tensor(TrainingRun.EpochPermutation(options.Seed, epoch, count)).to(device);
            // A function of the epoch alone, so a resumed run needs no scheduler state.
            var learningRate = options.LearningRate * Math.Pow(options.LearningRateDecay, epoch - 1);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            double lossSum = 0;
            long correct = 0, counted = 0;
            var skippedBefore = guard.SkippedSteps;
            classifier.train();
            reporter.EpochStarted(epoch, options.Epochs, steps);
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                step++;
                var start = (long)i * options.BatchSize;
                var indices = order.narrow(0, start, Math.Min(options.BatchSize, count - start));
                var (batchLoss, batchCorrect) = Step(classifier, optimizer, guard, step, images, labels, indices);
                // A non-finite loss (the guard skipped its step) is left out of the epoch's means, not out of the progress.
                if (double.IsFinite(batchLoss))
                {
                    lossSum += batchLoss * indices.shape[0];
                    correct += batchCorrect;
                    counted += indices.shape[0];
                }
                reporter.StepDone(i + 1, counted == 0 ? double.NaN : lossSum / counted, counted == 0 ? double.NaN : (double)correct / counted);
            }

            var testScore = Score(classifier, test);
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["train_loss"] = counted == 0 ? (double?)null : lossSum / counted,
                ["train_accuracy"] = counted == 0 ? (double?)null : (double)correct / counted,
                ["test_loss"] = testScore.Loss,
                ["test_accuracy"] = testScore.Accuracy,
                ["learning_rate"] = learningRate,
                ["skipped_steps"] = guard.SkippedSteps - skippedBefore,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            Folder.AppendHistory(history);
            Checkpoint.Save(Folder.CheckpointPath(epoch), modules, optimizers, new JsonObject
            {
                ["model"] = ModelName,
                ["epoch"] = epoch,
                ["step"] = step,
                ["seed"] = options.Seed,
                ["batch_size"] = options.BatchSize,
                ["limit"] = options.Limit,
                ["learning_rate"] = options.LearningRate,
                ["learning_rate_decay"] = options.LearningRateDecay,
                ["test_accuracy"] = testScore.Accuracy,
            });
            Folder.PruneCheckpoints(options.KeepCheckpoints);
            reporter.EpochDone(history);
        }
    }

    /// <summary>
    /// One optimizer step of cross-entropy on the images at <paramref name="indices"/> (the guard stops or skips a
    /// non-finite one): the batch's mean loss and how many of it the classifier got right before the step.
    /// </summary>
    public static (double Loss, long Correct) Step(DigitClassifier classifier, OptimizerHelper optimizer, NonFiniteGuard guard, long step,
        Tensor images, Tensor labels, Tensor indices)
    {
        using var scope = NewDisposeScope();
        var batchLabels = labels.index_select(0, indices);
        var logits = classifier.forward(images.index_select(0, indices));
        var loss = nn.functional.cross_entropy(logits, batchLabels);
        optimizer.zero_grad();
        loss.backward();
        if (guard.ShouldStep(step, "loss", loss, (ModelName, classifier))) optimizer.step();
        return (loss.item<float>(), logits.argmax(1).eq(batchLabels).sum().item<long>());
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="classifier"/> (in eval mode) on <paramref name="set"/>.</summary>
    public static ClassifierScore Score(DigitClassifier classifier, LabelledImages set)
    {
        var device = classifier.parameters().First().device;
        var count = set.Images.shape[0];
        double lossSum = 0;
        long correct = 0;
        classifier.eval();
        using (no_grad())
        {
            for (long start = 0; start < count; start += TestBatchSize)
            {
                using var scope = NewDisposeScope();
                var size = Math.Min(TestBatchSize, count - start);
                var labels = set.Labels.narrow(0, start, size).to(device);
                var logits = classifier.forward(set.Images.narrow(0, start, size).to(device));
                lossSum += nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum).item<float>();
                correct += logits.argmax(1).eq(labels).sum().item<long>();
            }
        }
        return new ClassifierScore(lossSum / count, (double)correct / count);
    }

    /// <summary>
    /// Loads a classifier written by <c>train classifier</c> onto <paramref name="device"/>, in eval mode; another
    /// model's checkpoint is refused naming what it is.
    /// </summary>
    public static (DigitClassifier Classifier, JsonObject Metadata) Load(string checkpoint, Device device)
    {
        var metadata = Checkpoint.ReadMetadata(checkpoint);
        RequireClassifier(checkpoint, metadata);
        var classifier = new DigitClassifier();
        try
        {
            Checkpoint.Load(checkpoint, new Dictionary<string, nn.Module> { [ModelName] = classifier });
            classifier.to(device).eval();
            return (classifier, metadata);
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
    }

    /// <summary>A resumed run must continue the same recipe, or its history would mix two experiments.</summary>
    private void CheckSameRecipe(string checkpoint, JsonObject metadata)
    {
        RequireClassifier(checkpoint, metadata);
        var savedBatch = metadata["batch_size"]?.GetValue<int>();
        var savedSeed = metadata["seed"]?.GetValue<int>();
        if (savedBatch != options.BatchSize || savedSeed != options.Seed)
            throw new CheckpointException(checkpoint,
                $"was trained with --batch-size {savedBatch} --seed {savedSeed}; resume with the same values (got {options.BatchSize} and {options.Seed})");
    }

    private static void RequireClassifier(string checkpoint, JsonObject metadata)
    {
        if (metadata["model"]?.GetValue<string>() is var model && model != ModelName)
            throw new CheckpointException(checkpoint, $"is a '{model ?? "unknown"}' checkpoint, not a classifier: pass one written by 'train classifier'");
    }
}
