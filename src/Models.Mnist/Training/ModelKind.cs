using Models.Mnist.Imaging;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Every kind of model the app trains, listed once: the name its checkpoints record (metadata <c>model</c>) and the
/// command line spells, the command that trains it, its networks' compile-time summaries, and what it can do. The
/// commands ask a kind what it can do instead of comparing names, so a new model is one more entry here.
/// </summary>
internal sealed class ModelKind(
    string name, string description, IReadOnlyList<string> summaries, PixelRange? pixels, bool drawsChosenDigits,
    Func<string, Device, bool, TrainedGan>? loadGan)
{
    public static readonly ModelKind Dcgan = new("dcgan", "Both networks of the DCGAN",
        [DcganGenerator.Summary, DcganDiscriminator.Summary], PixelRange.ZeroToOne, drawsChosenDigits: false, TrainedDcgan.Load);

    public static readonly ModelKind Acgan = new("acgan", "Both networks of the AC-GAN",
        [AcganGenerator.Summary, AcganDiscriminator.Summary], PixelRange.MinusOneToOne, drawsChosenDigits: true, TrainedAcgan.Load);

    public static readonly ModelKind Classifier = new("classifier", "The digit classifier",
        [DigitClassifier.Summary], PixelRange.ZeroToOne, drawsChosenDigits: false, loadGan: null);

    public static readonly ModelKind Addition = new("addition", "Keras' addition RNN (sequence to sequence)",
        [AdditionRnn.Summary], pixels: null, drawsChosenDigits: false, loadGan: null);

    public static IReadOnlyList<ModelKind> All { get; } = [Dcgan, Acgan, Classifier, Addition];

    /// <summary>As checkpoints record it and <c>train</c> and <c>summary</c> spell it.</summary>
    public string Name { get; } = name;

    /// <summary>The command that trains it, as error messages tell the user to run it.</summary>
    public string TrainCommand => $"train {Name}";

    /// <summary>What <c>summary</c> prints it as.</summary>
    public string Description { get; } = description;

    /// <summary>Each network's compile-time summary (layers, shapes, parameters).</summary>
    public IReadOnlyList<string> Summaries { get; } = summaries;

    /// <summary>The range of the pixels its networks take and give: the MNIST images it trains on are scaled to it (a kind without images has none).</summary>
    public PixelRange Pixels => pixels ?? throw new InvalidOperationException($"'{Name}' reads no images");

    /// <summary>Whether it generates digits (<c>generate</c>, <c>evaluate</c>).</summary>
    public bool IsGan => loadGan is not null;

    /// <summary>Whether its generator draws the digit it is asked for (<c>generate --digit</c>, <c>experiment augment</c>).</summary>
    public bool DrawsChosenDigits { get; } = drawsChosenDigits;

    /// <summary>The train commands of the kinds that are <paramref name="able"/>, as a message lists them: 'train dcgan' or 'train acgan'.</summary>
    public static string TrainCommandsOf(Func<ModelKind, bool> able, bool quoted = true) =>
        string.Join(" or ", All.Where(able).Select(k => quoted ? $"'{k.TrainCommand}'" : k.TrainCommand));

    /// <summary>The kind a checkpoint's metadata names, or null for a name this app does not know.</summary>
    public static ModelKind? Of(JsonObject metadata) => All.FirstOrDefault(k => k.Name == RecordedName(metadata));

    /// <summary>The model name a checkpoint's metadata records, as messages quote it ("unknown" when it records none).</summary>
    public static string RecordedName(JsonObject metadata) => metadata["model"]?.GetValue<string>() ?? "unknown";

    /// <summary>
    /// The kind of <paramref name="checkpoint"/> (its metadata read), refused unless <paramref name="fits"/> says it does
    /// what is asked: "PATH: is a 'NAME' checkpoint, <paramref name="refusal"/>".
    /// </summary>
    public static ModelKind Require(string checkpoint, JsonObject metadata, Func<ModelKind, bool> fits, string refusal) =>
        Of(metadata) is { } kind && fits(kind)
            ? kind
            : throw new CheckpointException(checkpoint, $"is a '{RecordedName(metadata)}' checkpoint, {refusal}");

    /// <summary>The kind of a GAN checkpoint; any other is refused naming what it is.</summary>
    public static ModelKind RequireGan(string checkpoint, JsonObject metadata) =>
        Require(checkpoint, metadata, kind => kind.IsGan, $"not a GAN: pass one written by {TrainCommandsOf(kind => kind.IsGan)}");

    /// <summary>A GAN checkpoint's generator, and its discriminator when asked for and the file holds one, on <paramref name="device"/>.</summary>
    public TrainedGan LoadGan(string checkpoint, Device device, bool withDiscriminator) =>
        (loadGan ?? throw new InvalidOperationException($"'{Name}' is no GAN"))(checkpoint, device, withDiscriminator);

    public override string ToString() => Name;
}
