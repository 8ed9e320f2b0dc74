using Models.Mnist.Imaging;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>What every training run is told; each trainer's options add its recipe's own and set its defaults.</summary>
internal abstract record RunOptions
{
    protected RunOptions(string outputFolder, int epochs, int batchSize)
    {
        OutputFolder = outputFolder;
        Epochs = epochs;
        BatchSize = batchSize;
    }

    /// <summary>The run folder: checkpoints, logs and samples.</summary>
    public string OutputFolder { get; init; }

    /// <summary>Epochs in all, counting those of the checkpoint resumed from.</summary>
    public int Epochs { get; init; }

    public int BatchSize { get; init; }

    /// <summary>Train on the first N training images only, or all when null.</summary>
    public int? Limit { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>Continue from the newest checkpoint in the run folder.</summary>
    public bool Resume { get; init; }

    public int KeepCheckpoints { get; init; } = 2;

    public NonFinitePolicy OnNonFinite { get; init; } = NonFinitePolicy.Stop;

    /// <summary>cpu, cuda or auto (<see cref="ModelDsl.DeviceChoice"/>).</summary>
    public string Device { get; init; } = "auto";

    /// <summary>The data set the run trains on (<c>--dataset</c>, <see cref="Data.DataSet.Name"/>); null for a run that reads no images.</summary>
    public string? DataSetName { get; init; }

    /// <summary>The settings every recipe's resumed run must share with its checkpoint (which records them: evaluation reads the data set there).</summary>
    public IEnumerable<RecipeSetting> SharedRecipe() =>
    [
        new("--batch-size", "batch_size", BatchSize), new("--seed", "seed", Seed), new("--limit", "limit", Limit),
        .. DataSetName is null ? [] : new[] { new RecipeSetting("--dataset", "dataset", DataSetName, Earlier: Data.DataSet.EarlierName) },
    ];
}

/// <summary>A setting that a resumed run must share with its checkpoint: the command-line option and its value.</summary>
/// <param name="Earlier">The value a checkpoint written before the setting existed was trained with (it records none).</param>
internal sealed record RecipeSetting(string Option, string Key, JsonNode? Value, JsonNode? Earlier = null)
{
    /// <summary>The value <paramref name="metadata"/> records for this setting.</summary>
    public JsonNode? RecordedIn(JsonObject metadata) => metadata.TryGetPropertyValue(Key, out var value) ? value : Earlier;
}

/// <summary>
/// Where a run starts: the first epoch to train, the steps taken so far, the steps of that epoch already trained (a run
/// that <c>--minutes</c> ended mid-epoch continues it), and the seconds of training so far.
/// </summary>
internal readonly record struct ResumePoint(int StartEpoch, long Step, int StepsDoneInEpoch = 0, double TrainingSeconds = 0);

/// <summary>
/// What every trainer's run shares: resuming from the newest checkpoint of the same model and recipe (the recipe is
/// checked before a weight is loaded), run.json, and at the end of each epoch the history line, the checkpoint
/// (atomic, pruned) and the epoch's line on the reporter. The trainers own their steps and their history keys.
/// </summary>
/// <param name="recipe">The settings a resumed run must share with its checkpoint; each checkpoint records them.</param>
/// <param name="describeEpoch">The line the reporter shows for an epoch, from its history line.</param>
/// <param name="drawPlots">What the recipe draws from its logs once an epoch's history is written, or null.</param>
internal sealed class TrainingRun(
    RunFolder folder,
    IProgressReporter reporter,
    ModelKind kind,
    IReadOnlyList<RecipeSetting> recipe,
    IReadOnlyDictionary<string, nn.Module> modules,
    IReadOnlyDictionary<string, OptimizerHelper> optimizers,
    Func<JsonObject, string> describeEpoch,
    Action<RunFolder>? drawPlots = null)
{
    public RunFolder Folder => folder;

    /// <summary>
    /// Resumes when asked (<see cref="Resume"/>) and writes run.json with the epoch it starts at and the device;
    /// returns where the run starts.
    /// </summary>
    public ResumePoint Start(bool resume, JsonObject runInfo, Device device)
    {
        var start = Resume(resume);
        runInfo["resumed_at_epoch"] = start.StartEpoch;
        runInfo["device"] = device.ToString();
        folder.WriteRunInfo(runInfo);
        return start;
    }

    /// <summary>
    /// With <paramref name="resume"/>, restores modules, optimizers and the RNG from the newest checkpoint and cuts
    /// the logs back to it; returns where the run continues: the next epoch, or the rest of an epoch that ended early.
    /// </summary>
    private ResumePoint Resume(bool resume)
    {
        if (!resume) return new ResumePoint(1, 0);
        if (folder.LatestCheckpoint() is not { } latest)
        {
            reporter.Message($"No checkpoint in {folder.CheckpointsFolder}; starting a new run.");
            return new ResumePoint(1, 0);
        }
        // The recipe is checked first: another model's checkpoint would otherwise fail on its first tensor shape.
        CheckSameRecipe(latest, Checkpoint.ReadMetadata(latest));
        var metadata = Checkpoint.Load(latest, modules, optimizers, restoreRandomState: true);
        var epoch = metadata["epoch"]!.GetValue<int>();
        var step = metadata["step"]!.GetValue<long>();
        var stepsDone = metadata[PartialEpochKey]?.GetValue<int>() ?? 0;
        var start = new ResumePoint(stepsDone > 0 ? epoch : epoch + 1, step, stepsDone, metadata[TrainingSecondsKey]?.GetValue<double>() ?? 0);
        folder.TruncateTo(epoch, step);
        reporter.Message(stepsDone > 0
            ? $"Resuming from {Path.GetFileName(latest)}: epoch {epoch} after its step {stepsDone}, step {step}."
            : $"Resuming from {Path.GetFileName(latest)}: epoch {start.StartEpoch}, step {step}.");
        return start;
    }

    /// <summary>Checkpoint metadata: the steps trained of an epoch that ended early (absent when it ended whole).</summary>
    public const string PartialEpochKey = "partial_epoch_steps";

    /// <summary>Checkpoint metadata: seconds of training so far, over resumes (what <c>--minutes</c> counts).</summary>
    public const string TrainingSecondsKey = "training_seconds";

    /// <summary>A resumed run must continue the same model and recipe, or its history would mix two experiments.</summary>
    private void CheckSameRecipe(string checkpoint, JsonObject metadata)
    {
        if (ModelKind.Of(metadata) is var saved && saved != kind)
            throw new CheckpointException(checkpoint, saved is null
                ? $"is a '{ModelKind.RecordedName(metadata)}' checkpoint, not one of this app's; give this {kind} run another --out"
                : $"is a '{saved}' checkpoint; continue it with '{saved.TrainCommand} --resume', or give this {kind} run another --out");
        var differing = recipe.Where(s => !JsonNode.DeepEquals(s.RecordedIn(metadata), s.Value)).ToList();
        if (differing.Count > 0)
            throw new CheckpointException(checkpoint,
                $"was trained with {string.Join(" ", differing.Select(s => $"{s.Option} {s.RecordedIn(metadata)?.ToJsonString() ?? "(none)"}"))}; " +
                $"resume with the same values (got {string.Join(" ", differing.Select(s => $"{s.Option} {s.Value?.ToJsonString() ?? "(none)"}"))})");
    }

    /// <summary>
    /// Logs the epoch (history line, plots), writes its checkpoint (the recipe and <paramref name="facts"/> in its
    /// metadata), keeps the newest <paramref name="keepCheckpoints"/> and reports the epoch's line.
    /// </summary>
    public void EndEpoch(int epoch, long step, JsonObject history, int keepCheckpoints, JsonObject? facts = null)
    {
        folder.AppendHistory(history);
        drawPlots?.Invoke(folder);
        var metadata = new JsonObject { ["model"] = kind.Name, ["epoch"] = epoch, ["step"] = step };
        foreach (var setting in recipe) metadata[setting.Key] = setting.Value?.DeepClone();
        foreach (var (key, value) in facts ?? []) metadata[key] = value?.DeepClone();
        Checkpoint.Save(folder.CheckpointPath(epoch), modules, optimizers, metadata);
        folder.PruneCheckpoints(keepCheckpoints);
        reporter.Finished(describeEpoch(history));
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
