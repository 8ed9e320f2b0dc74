using System.Text.Json.Nodes;
using Models.Mnist.Evaluation;
using Models.Mnist.Imaging;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>Settings of a GAN run (DCGAN or AC-GAN); the defaults are the DCGAN recipe's (Adam 2e-4, β1 0.5, batch 256, 100 epochs).</summary>
internal sealed record GanOptions(
    string OutputFolder,
    int Epochs = 100,
    int BatchSize = 256,
    int? Limit = null,
    int Seed = 1,
    bool Resume = false,
    int SampleEvery = 1,
    int KeepCheckpoints = 2,
    NonFinitePolicy OnNonFinite = NonFinitePolicy.Stop,
    double LearningRate = 2e-4,
    double Beta1 = 0.5,
    string Device = "auto");

/// <summary>What a trainer reports as it goes, so the console can draw progress bars (and tests can stay quiet).</summary>
internal interface ITrainingReporter
{
    void EpochStarted(int epoch, int epochs, int steps);
    void StepDone(int stepInEpoch, double discriminatorLoss, double generatorLoss);
    void EpochDone(JsonObject history);
    void Message(string text);
}

/// <summary>A setting that a resumed run must share with its checkpoint: the command-line option and its value.</summary>
internal sealed record RecipeSetting(string Option, string Key, JsonNode? Value);

/// <summary>
/// What every GAN recipe's training loop shares: resuming from the newest checkpoint of the same recipe,
/// and at the end of each epoch the step losses, history line, loss and quality plots, checkpoint (atomic, pruned) and
/// sample grid with its animation. The recipes own only their steps, their samples and their history keys.
/// </summary>
internal sealed class TrainingRun(
    RunFolder folder,
    ITrainingReporter reporter,
    string model,
    IReadOnlyList<RecipeSetting> recipe,
    IReadOnlyDictionary<string, nn.Module> modules,
    IReadOnlyDictionary<string, OptimizerHelper> optimizers)
{
    private static readonly TimeSpan AnimationFrameDelay = TimeSpan.FromMilliseconds(400);

    public RunFolder Folder => folder;

    /// <summary>
    /// With <paramref name="resume"/>, restores modules, optimizers and the RNG from the newest checkpoint and cuts
    /// the logs back to it; returns the first epoch to train and the steps already taken.
    /// </summary>
    public (int StartEpoch, long Step) Resume(bool resume)
    {
        if (!resume) return (1, 0);
        if (folder.LatestCheckpoint() is not { } latest)
        {
            reporter.Message($"No checkpoint in {folder.CheckpointsFolder}; starting a new run.");
            return (1, 0);
        }
        // The recipe is checked first: another model's checkpoint would otherwise fail on its first tensor shape.
        CheckSameRecipe(latest, Checkpoint.ReadMetadata(latest));
        var metadata = Checkpoint.Load(latest, modules, optimizers, restoreRandomState: true);
        var startEpoch = metadata["epoch"]!.GetValue<int>() + 1;
        var step = metadata["step"]!.GetValue<long>();
        folder.TruncateTo(startEpoch - 1, step);
        reporter.Message($"Resuming from {Path.GetFileName(latest)}: epoch {startEpoch}, step {step}.");
        return (startEpoch, step);
    }

    /// <summary>A resumed run must continue the same recipe, or its history would mix two experiments.</summary>
    private void CheckSameRecipe(string checkpoint, JsonObject metadata)
    {
        if (metadata["model"]?.GetValue<string>() != model)
            throw new CheckpointException(checkpoint, $"is a '{metadata["model"]}' checkpoint; continue it with 'train {metadata["model"]} --resume', or give this {model} run another --out");
        var differing = recipe.Where(s => !JsonNode.DeepEquals(metadata[s.Key], s.Value)).ToList();
        if (differing.Count > 0)
            throw new CheckpointException(checkpoint,
                $"was trained with {string.Join(" ", differing.Select(s => $"{s.Option} {metadata[s.Key]?.ToJsonString() ?? "(none)"}"))}; " +
                $"resume with the same values (got {string.Join(" ", differing.Select(s => $"{s.Option} {s.Value?.ToJsonString() ?? "(none)"}"))})");
    }

    /// <summary>Logs the epoch (losses, history line, plot), writes its checkpoint and keeps the newest <paramref name="keepCheckpoints"/>.</summary>
    public void EndEpoch(int epoch, long step, IReadOnlyList<StepLoss> stepLosses, JsonObject history, int keepCheckpoints)
    {
        folder.AppendStepLosses(stepLosses);
        folder.AppendHistory(history);
        // Steps the non-finite guard skipped have no loss to draw.
        var losses = folder.ReadStepLosses().Where(l => double.IsFinite(l.DiscriminatorLoss) && double.IsFinite(l.GeneratorLoss)).ToList();
        LinePlot.SaveLosses(folder.LossPlotPath,
            losses.Select(l => (double)l.Step).ToList(),
            losses.Select(l => l.DiscriminatorLoss).ToList(),
            losses.Select(l => l.GeneratorLoss).ToList());
        QualityPlot.Save(folder.QualityPlotPath, folder.ReadHistory());
        var metadata = new JsonObject { ["model"] = model, ["epoch"] = epoch, ["step"] = step };
        foreach (var setting in recipe) metadata[setting.Key] = setting.Value?.DeepClone();
        Checkpoint.Save(folder.CheckpointPath(epoch), modules, optimizers, metadata);
        folder.PruneCheckpoints(keepCheckpoints);
        reporter.EpochDone(history);
    }

    /// <summary>Saves <paramref name="images"/> as the epoch's grid and rebuilds the animation of all grids so far.</summary>
    public void SaveSamples(int epoch, Tensor images, int rows, int columns, PixelRange range)
    {
        TensorImages.SaveGrid(images, folder.SamplePath(epoch), rows, columns, range);
        var frames = Directory.EnumerateFiles(folder.SamplesFolder, "epoch-*.png").Order(StringComparer.Ordinal);
        AnimatedGif.SaveFromPngs(folder.ProgressAnimationPath, frames, AnimationFrameDelay);
    }

    /// <summary>The mean of the finite values (a step the non-finite guard skipped has none), or null when there are none.</summary>
    public static double? FiniteMean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? null : finite.Average();
    }

    /// <summary>The order of the <paramref name="count"/> training images in <paramref name="epoch"/>: a function of the seed and the epoch only, so a resumed run sees the same data.</summary>
    public static long[] EpochPermutation(int seed, int epoch, long count)
    {
        using var random = new torch.Generator((ulong)(seed * 100_003L + epoch));
        using var order = randperm(count, generator: random);
        return order.data<long>().ToArray();
    }
}
