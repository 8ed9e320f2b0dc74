using System.Text;
using ModelDsl.IO;

namespace Models.Mnist.Training;

/// <summary>
/// The files a training run leaves in its --out folder: samples/, checkpoints/, history.jsonl (one line per
/// epoch), losses.csv (one line per step), losses.png and run.json. On resume the logs are cut back to the
/// checkpoint, so a run interrupted at any point continues exactly where its last checkpoint left it.
/// </summary>
internal sealed class RunFolder
{
    private const string CheckpointPrefix = "epoch-";
    private const string CheckpointExtension = ".ckpt";

    /// <param name="keepsSamples">False for runs without sample grids (the classifier), so no empty samples/ is made.</param>
    public RunFolder(string root, bool keepsSamples = true)
    {
        Root = Path.GetFullPath(root);
        if (keepsSamples) Directory.CreateDirectory(SamplesFolder);
        Directory.CreateDirectory(CheckpointsFolder);
    }

    public string Root { get; }
    public string SamplesFolder => Path.Combine(Root, "samples");
    public string CheckpointsFolder => Path.Combine(Root, "checkpoints");
    public string HistoryPath => Path.Combine(Root, "history.jsonl");
    public string StepLossesPath => Path.Combine(Root, "losses.csv");
    public string LossPlotPath => Path.Combine(Root, "losses.png");
    public string QualityPlotPath => Path.Combine(Root, "quality.png");
    public string RunInfoPath => Path.Combine(Root, "run.json");
    public string ProgressAnimationPath => Path.Combine(SamplesFolder, "progress.gif");

    public string SamplePath(int epoch) => Path.Combine(SamplesFolder, $"epoch-{epoch:000}.png");

    public string CheckpointPath(int epoch) => Path.Combine(CheckpointsFolder, $"{CheckpointPrefix}{epoch:000}{CheckpointExtension}");

    /// <summary>The newest checkpoint of the run, or null when it has none.</summary>
    public string? LatestCheckpoint() => Checkpoints().LastOrDefault().Path;

    private IEnumerable<(int Epoch, string Path)> Checkpoints() =>
        Directory.EnumerateFiles(CheckpointsFolder, CheckpointPrefix + "*" + CheckpointExtension)
            .Select(p => (Epoch: EpochOf(p), Path: p))
            .Where(c => c.Epoch >= 0)
            .OrderBy(c => c.Epoch);

    private static int EpochOf(string path) =>
        int.TryParse(Path.GetFileNameWithoutExtension(path).AsSpan(CheckpointPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var epoch) ? epoch : -1;

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints.</summary>
    public void PruneCheckpoints(int keep)
    {
        foreach (var (_, path) in Checkpoints().SkipLast(keep)) File.Delete(path);
    }

    /// <summary>A checkpoint file, or a run folder (then its newest checkpoint).</summary>
    public static string ResolveCheckpoint(string path)
    {
        if (File.Exists(path)) return path;
        if (Directory.Exists(path))
        {
            var folder = Directory.Exists(Path.Combine(path, "checkpoints")) ? new RunFolder(path, keepsSamples: false) : null;
            return folder?.LatestCheckpoint()
                ?? throw new FileNotFoundException($"{path} holds no checkpoints (expected {Path.Combine(path, "checkpoints", "epoch-NNN.ckpt")})");
        }
        throw new FileNotFoundException($"no checkpoint file or run folder at {path}");
    }

    public void AppendHistory(JsonObject epochLine) => File.AppendAllText(HistoryPath, epochLine.ToJsonString() + "\n");

    public IReadOnlyList<JsonObject> ReadHistory() =>
        File.Exists(HistoryPath)
            ? File.ReadLines(HistoryPath).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];

    public void AppendStepLosses(IEnumerable<StepLoss> losses)
    {
        var text = new StringBuilder();
        if (!File.Exists(StepLossesPath)) text.Append("step,d_loss,g_loss\n");
        foreach (var loss in losses)
            text.Append(CultureInfo.InvariantCulture, $"{loss.Step},{loss.DiscriminatorLoss:R},{loss.GeneratorLoss:R}\n");
        File.AppendAllText(StepLossesPath, text.ToString());
    }

    public IReadOnlyList<StepLoss> ReadStepLosses() =>
        File.Exists(StepLossesPath)
            ? File.ReadLines(StepLossesPath).Skip(1).Select(ParseStepLoss).OfType<StepLoss>().ToList()
            : [];

    /// <summary>
    /// Cuts history.jsonl and losses.csv back to what the checkpoint of <paramref name="epoch"/> and <paramref name="step"/>
    /// had seen (an epoch that ended early may have lines after it); a torn last line goes too.
    /// </summary>
    public void TruncateTo(int epoch, long step)
    {
        if (File.Exists(HistoryPath))
        {
            var kept = File.ReadLines(HistoryPath)
                .Where(l => TryParse(l) is { } line && line["epoch"]!.GetValue<int>() <= epoch && (line["step"]?.GetValue<long>() ?? 0) <= step);
            AtomicFile.WriteAllBytes(HistoryPath, Encoding.UTF8.GetBytes(string.Concat(kept.Select(l => l + "\n"))));
        }
        if (File.Exists(StepLossesPath))
        {
            var kept = ReadStepLosses().Where(l => l.Step <= step).ToList();
            File.Delete(StepLossesPath);
            AppendStepLosses(kept);
        }
    }

    private static JsonObject? TryParse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static StepLoss? ParseStepLoss(string line)
    {
        var parts = line.Split(',');
        return parts.Length == 3
            && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var step)
            && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d)
            && double.TryParse(parts[2], CultureInfo.InvariantCulture, out var g)
            ? new StepLoss(step, d, g) : null;
    }

    public void WriteRunInfo(JsonObject info) =>
        AtomicFile.WriteAllBytes(RunInfoPath, Encoding.UTF8.GetBytes(info.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"));
}

/// <summary>The losses of one training step.</summary>
internal readonly record struct StepLoss(long Step, double DiscriminatorLoss, double GeneratorLoss)
{
    /// <summary>As a progress bar shows them.</summary>
    public string Figures() => string.Create(CultureInfo.InvariantCulture, $"d {DiscriminatorLoss:0.000}  g {GeneratorLoss:0.000}");
}
