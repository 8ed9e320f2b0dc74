namespace Models.Mnist.Training;

/// <summary>
/// What long work reports as it goes, for the trainers and the experiments alike: stretches of steps (an epoch, one
/// classifier of an experiment) with their running figures, a line when a stretch ends, and messages. The console
/// draws a progress bar per stretch; tests keep quiet.
/// </summary>
internal interface IProgressReporter
{
    /// <summary>A stretch of <paramref name="steps"/> steps named <paramref name="label"/> begins.</summary>
    void Started(string label, int steps);

    /// <summary>Step <paramref name="step"/> of the stretch is done; <paramref name="figures"/> are its running figures.</summary>
    void StepDone(int step, string figures);

    /// <summary>The stretch is over; <paramref name="line"/> sums it up.</summary>
    void Finished(string line);

    void Message(string text);
}

/// <summary>Reports nothing (for <c>--json</c>, whose output is one object).</summary>
internal sealed class SilentProgress : IProgressReporter
{
    public static readonly SilentProgress Instance = new();

    public void Started(string label, int steps) { }
    public void StepDone(int step, string figures) { }
    public void Finished(string line) { }
    public void Message(string text) { }
}

/// <summary>How the trainers word their progress: the epoch's label and its closing line, drawn from its history line.</summary>
internal static class EpochReport
{
    public static void EpochStarted(this IProgressReporter reporter, int epoch, int epochs, int steps) =>
        reporter.Started($"epoch {epoch}/{epochs}", steps);

    private static readonly (string Key, string Label, string Format)[] QualityFigures =
    [
        ("fid", "FID-MNIST", "0.0"), ("fid_per_class_mean", "intra-class FID", "0.0"), ("spread_ratio", "spread ratio", "0.00"),
        ("class_accuracy", "class accuracy", "P1"),
    ];

    /// <summary>A GAN epoch: both mean losses; D's accuracy where the recipe records it (the AC-GANs print their own loss table); the quality figures of a judged epoch.</summary>
    public static string GanLine(JsonObject history)
    {
        var line = string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: d_loss {Mean(history["d_loss"]):0.0000}, g_loss {Mean(history["g_loss"]):0.0000}");
        if (history["d_acc_real"] is { } real && history["d_acc_fake"] is { } fake)
            line += string.Create(CultureInfo.InvariantCulture, $", D accuracy real {real.GetValue<double>():P1} fake {fake.GetValue<double>():P1}");
        // An evaluated epoch: the quality figures beside the losses (all of them are in history.jsonl).
        foreach (var (key, label, format) in QualityFigures)
            if (history[key] is { } value) line += $", {label} {value.GetValue<double>().ToString(format, CultureInfo.InvariantCulture)}";
        return WithSkippedSteps(line + string.Create(CultureInfo.InvariantCulture, $", {Seconds(history):0.0} s"), history);
    }

    /// <summary>A classifier epoch: the training means and the test figures.</summary>
    public static string ClassifierLine(JsonObject history) =>
        WithSkippedSteps(string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: train loss {Mean(history["train_loss"]):0.0000}, accuracy {Mean(history["train_accuracy"]):P2}; test loss {history["test_loss"]!.GetValue<double>():0.0000}, accuracy {history["test_accuracy"]!.GetValue<double>():P2}; {Seconds(history):0.0} s"),
            history);

    /// <summary>A transfer epoch: its phase and classes, then the classifier's figures.</summary>
    public static string TransferLine(JsonObject history) => $"{history["phase"]} ({history["classes"]}) {ClassifierLine(history)}";

    /// <summary>An addition epoch: the training means and the held-out questions' figures.</summary>
    public static string AdditionLine(JsonObject history) =>
        WithSkippedSteps(string.Create(CultureInfo.InvariantCulture,
            $"epoch {history["epoch"]}: train loss {Mean(history["train_loss"]):0.0000}, characters {Mean(history["train_char_accuracy"]):P2}; test loss {history["test_loss"]!.GetValue<double>():0.0000}, characters {history["test_char_accuracy"]!.GetValue<double>():P2}, whole answers {history["test_sequence_accuracy"]!.GetValue<double>():P2}; {Seconds(history):0.0} s"),
            history);

    private static double Seconds(JsonObject history) => history["seconds"]!.GetValue<double>();

    /// <summary>An epoch's mean over its steps; NaN when the non-finite guard skipped every step (history.jsonl has null).</summary>
    private static double Mean(JsonNode? mean) => mean?.GetValue<double>() ?? double.NaN;

    private static string WithSkippedSteps(string line, JsonObject history) =>
        history["skipped_steps"]?.GetValue<int>() is > 0 and var skipped ? $"{line}, {skipped} steps skipped (non-finite)" : line;
}
