using Models.Mnist.Imaging;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Every kind of model the app trains, listed once: the name its checkpoints record (metadata <c>model</c>) and the
/// command line spells, the command that trains it, its networks' compile-time summaries, and what it can do. The
/// commands ask a kind what it can do instead of comparing names, so a new model is one more entry here.
/// </summary>
/// <param name="trainCommand">The command that trains it (null: <c>train gan --model NAME</c>).</param>
/// <param name="pixels">The pixel range of the images it reads, null for a kind that reads none.</param>
/// <param name="recipe">A GAN's training defaults, null for the classifier.</param>
/// <param name="unconditional">The networks of a GAN that <see cref="DcganStep"/> trains (latent points of N(0, 1)), else null.</param>
/// <param name="conditional">The networks of a class-conditional GAN that <see cref="AcganStep"/> trains, else null.</param>
internal sealed class ModelKind(
    string name, string description, string? trainCommand, IReadOnlyList<string> summaries, PixelRange? pixels,
    GanRecipe? recipe = null, UnconditionalNetworks? unconditional = null, ConditionalNetworks? conditional = null)
{
    public static readonly ModelKind Dcgan = new("dcgan", "Both networks of the DCGAN (reference-models.md §1)", "train dcgan",
        [DcganGenerator.Summary, DcganDiscriminator.Summary], PixelRange.ZeroToOne,
        new GanRecipe(Epochs: 100, BatchSize: 256, LearningRate: 2e-4, Beta1: 0.5),
        new UnconditionalNetworks(() => new DcganGenerator(), () => new DcganDiscriminator(), DiscriminatorOutput.Probability));

    public static readonly ModelKind DcganBn = new("dcgan-bn", "Both networks of TensorFlow's DCGAN tutorial, with batch normalisation (reference-models.md §5)", null,
        [DcganBnGenerator.Summary, DcganBnDiscriminator.Summary], PixelRange.MinusOneToOne,
        // Not the tutorial's Adam(1e-4, β1 0.9) at batch 64: in 10 minutes here, batch 16 with the DCGAN paper's 2e-4 and
        // β1 0.5, sampled through an average of G's weights, did best of the recipes measured (docs/gan-quality.md).
        new GanRecipe(Epochs: 50, BatchSize: 16, LearningRate: 2e-4, Beta1: 0.5, Beta1BeforeOption: 0.9, GeneratorAverage: 0.999),
        new UnconditionalNetworks(() => new DcganBnGenerator(), () => new DcganBnDiscriminator(), DiscriminatorOutput.Logit));

    public static readonly ModelKind Mlp = new("mlp", "Both networks of the fully connected GAN (reference-models.md §5)", null,
        [MlpGenerator.Summary, MlpDiscriminator.Summary], PixelRange.MinusOneToOne,
        new GanRecipe(Epochs: 100, BatchSize: 64, LearningRate: 2e-4, Beta1: 0.5),
        new UnconditionalNetworks(() => new MlpGenerator(), () => new MlpDiscriminator(), DiscriminatorOutput.Logit));

    public static readonly ModelKind Acgan = new("acgan", "Both networks of the AC-GAN (reference-models.md §2)", "train acgan",
        [AcganGenerator.Summary, AcganDiscriminator.Summary], PixelRange.MinusOneToOne,
        new GanRecipe(Epochs: 50, BatchSize: 100, LearningRate: 2e-4, Beta1: 0.5),
        conditional: new ConditionalNetworks(() => new AcganGenerator(), () => new AcganDiscriminator(), DiscriminatorOutput.Probability, LatentPrior.Uniform));

    public static readonly ModelKind AcganSmall = new("acgan-small",
        "Both networks of the CPU-sized AC-GAN: the BatchNorm DCGAN (reference-models.md §5) with the AC-GAN's class embedding and heads", null,
        [AcganSmallGenerator.Summary, AcganSmallDiscriminator.Summary], PixelRange.MinusOneToOne,
        // Batch 16 and G's weight average, as dcgan-bn's: in 3 minutes here batch 16 reached 89% class accuracy and FID 272
        // where 64 reached 72% and 733 (Keras' targets; the reference's and TTUR were lower still). The projection
        // discriminator: in 60 minutes FID 8.7 against Keras' recipe's 14.7, from variety within each digit (docs/acgan-recipe.md).
        new GanRecipe(Epochs: 50, BatchSize: 16, LearningRate: 2e-4, Beta1: 0.5, GeneratorAverage: 0.999, AcganRecipe: AcganRecipe.Projection),
        conditional: new ConditionalNetworks(() => new AcganSmallGenerator(), () => new AcganSmallDiscriminator(), DiscriminatorOutput.Logit, LatentPrior.Normal));

    public static readonly ModelKind Classifier = new("classifier", "The digit classifier", "train classifier",
        [DigitClassifier.Summary], PixelRange.ZeroToOne);

    public static readonly ModelKind Addition = new("addition", "Keras' addition RNN (sequence to sequence)", "train addition",
        [AdditionRnn.Summary], pixels: null);

    public static readonly ModelKind Transfer = new("transfer", "Keras' transfer-learning CNN (features frozen for the second task)", "train transfer",
        [TransferCnn.Summary], PixelRange.ZeroToOne);

    public static IReadOnlyList<ModelKind> All { get; } = [Dcgan, DcganBn, Mlp, Acgan, AcganSmall, Classifier, Addition, Transfer];

    /// <summary>The kinds <c>train gan --model</c> offers.</summary>
    public static IReadOnlyList<ModelKind> Gans { get; } = [.. All.Where(k => k.IsGan)];

    /// <summary>As checkpoints record it and <c>train</c> and <c>summary</c> spell it.</summary>
    public string Name { get; } = name;

    /// <summary>The command that trains it, as error messages tell the user to run it.</summary>
    public string TrainCommand { get; } = trainCommand ?? $"train gan --model {name}";

    /// <summary>A GAN's training defaults (epochs, batch, Adam); null for the classifier.</summary>
    public GanRecipe? Recipe { get; } = recipe;

    /// <summary>The networks of a GAN without conditions, which <see cref="DcganStep"/> trains; null for the AC-GANs and the classifier.</summary>
    public UnconditionalNetworks? Unconditional { get; } = unconditional;

    /// <summary>The networks of a class-conditional GAN, which <see cref="AcganStep"/> trains; null for the others.</summary>
    public ConditionalNetworks? Conditional { get; } = conditional;

    /// <summary>What <c>summary</c> prints it as.</summary>
    public string Description { get; } = description;

    /// <summary>Each network's compile-time summary (layers, shapes, parameters).</summary>
    public IReadOnlyList<string> Summaries { get; } = summaries;

    /// <summary>The range of the pixels its networks take and give: the MNIST images it trains on are scaled to it (a kind without images has none).</summary>
    public PixelRange Pixels => pixels ?? throw new InvalidOperationException($"'{Name}' reads no images");

    /// <summary>Whether it generates digits (<c>generate</c>, <c>evaluate</c>).</summary>
    public bool IsGan => Unconditional is not null || Conditional is not null;

    /// <summary>Whether its generator draws the digit it is asked for (<c>generate --digit</c>, <c>experiment augment</c>).</summary>
    public bool DrawsChosenDigits => Conditional is not null;

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
        Require(checkpoint, metadata, kind => kind.IsGan, $"not a GAN: pass one written by 'train gan' ({string.Join(", ", Gans.Select(k => k.Name))})");

    /// <summary>
    /// A GAN checkpoint's generator (the average of its weights when the run kept one, unless <paramref name="liveWeights"/>),
    /// and its discriminator when asked for and the file holds one, on <paramref name="device"/>.
    /// </summary>
    public TrainedGan LoadGan(string checkpoint, Device device, bool withDiscriminator, bool liveWeights = false) =>
        Unconditional is { } networks ? new TrainedUnconditionalGan(networks, Pixels, checkpoint, device, withDiscriminator, liveWeights)
        : new TrainedConditionalGan(Conditional ?? throw new InvalidOperationException($"'{Name}' is no GAN"), checkpoint, device, withDiscriminator, liveWeights);

    public override string ToString() => Name;
}

/// <summary>A GAN recipe's training defaults: epochs, images per step, Adam's rate (both networks) and β1, and the decay of G's weight average (0: none).</summary>
/// <param name="Beta1BeforeOption">The β1 its checkpoints written before <c>--beta1</c> existed were trained with.</param>
/// <param name="AcganRecipe">A class-conditional GAN's recipe of D's targets and logits (<c>--recipe</c>).</param>
internal sealed record GanRecipe(int Epochs, int BatchSize, double LearningRate, double Beta1, double? Beta1BeforeOption = null, double GeneratorAverage = 0,
    AcganRecipe AcganRecipe = AcganRecipe.Keras)
{
    public double EarlierBeta1 => Beta1BeforeOption ?? Beta1;
}

/// <summary>
/// The networks of a GAN whose generator takes 100 latent values of N(0, 1) alone, and what its discriminator gives
/// (a probability, or a logit the losses read as one).
/// </summary>
internal sealed record UnconditionalNetworks(
    Func<nn.Module<Tensor, Tensor>> NewGenerator, Func<nn.Module<Tensor, Tensor>> NewDiscriminator, DiscriminatorOutput Output)
{
    public const int LatentSize = 100;

    /// <summary>The probability that D calls an image real, from its <paramref name="scores"/>.</summary>
    public Tensor ProbabilityReal(Tensor scores) => Output == DiscriminatorOutput.Probability ? scores : scores.sigmoid();
}

/// <summary>
/// The networks of a class-conditional GAN (AC-GAN): the generator takes 100 latent values of <see cref="Prior"/> and a
/// digit, the discriminator gives a validity score (a probability, or a logit the losses read as one) and 10 class logits.
/// </summary>
internal sealed record ConditionalNetworks(
    Func<nn.Module<Tensor, Tensor, Tensor>> NewGenerator,
    Func<nn.Module<Tensor, (Tensor Validity, Tensor ClassLogits)>> NewDiscriminator,
    DiscriminatorOutput Output,
    LatentPrior Prior)
{
    public const int LatentSize = 100;
    public const int Classes = 10;

    /// <summary>The probability that D calls an image real, from its <paramref name="validity"/> head.</summary>
    public Tensor ProbabilityReal(Tensor validity) => Output == DiscriminatorOutput.Probability ? validity : validity.sigmoid();

    /// <summary><paramref name="count"/> latent points from the generator's prior, drawn with <paramref name="random"/>, on the CPU.</summary>
    public Tensor DrawLatent(long count, Generator random) => Prior.Draw(count, LatentSize, random);
}
