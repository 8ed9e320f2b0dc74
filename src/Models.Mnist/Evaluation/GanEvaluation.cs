using ModelDsl.Evaluation;

namespace Models.Mnist.Evaluation;

/// <summary>
/// How good one generator's digits are, judged by the digit classifier, each figure beside the value real MNIST
/// digits get, so the numbers read without a paper at hand.
/// </summary>
/// <param name="Samples">How many generated images were judged.</param>
/// <param name="Seed">The seed of their latent points.</param>
/// <param name="Fid">FID-MNIST: the Fréchet distance between the classifier features of the samples and of the test set.</param>
/// <param name="FidFloor">The same distance for as many real training images: what a perfect generator would get.</param>
/// <param name="MnistScore">The Inception score of the samples under the classifier.</param>
/// <param name="RealMnistScore">The Inception score of the test set.</param>
/// <param name="Classes">The classes the classifier predicts for the samples.</param>
/// <param name="RealClasses">The digits of the test set (its labels): the shares a perfect generator reproduces.</param>
/// <param name="DiscriminatorAccuracyReal">The fraction of test images the GAN's discriminator calls real, when it was given.</param>
/// <param name="DiscriminatorAccuracyFake">The fraction of the samples it calls fake, when it was given.</param>
internal sealed record GanEvaluation(
    int Samples,
    int Seed,
    double Fid,
    double FidFloor,
    InceptionScoreResult MnistScore,
    InceptionScoreResult RealMnistScore,
    ClassHistogram Classes,
    ClassHistogram RealClasses,
    double? DiscriminatorAccuracyReal,
    double? DiscriminatorAccuracyFake)
{
    /// <summary>For class-conditional generators: how often samples asked for each class are recognised as it.</summary>
    public ClassAccuracy? ClassAccuracy { get; init; }

    /// <summary>
    /// Per digit, the Fréchet distance of its samples to its test images (intra-class FID-MNIST) and their spread
    /// relative to the test digits' (tr Σ ratio), null for a digit with fewer than <see cref="ClassVariety.MinimumSamples"/> samples.
    /// </summary>
    public required ClassVariety Variety { get; init; }

    /// <summary>Whether a sample's digit is the one it was asked for (class-conditional generators), not the one the classifier reads.</summary>
    public bool VarietyByRequestedDigit { get; init; }

    /// <summary>Pearson's χ² of the samples' predicted classes against the test set's digit shares (9 degrees of freedom).</summary>
    public double ClassChiSquare => Classes.ChiSquare(RealClasses.Shares);

    /// <summary>Every figure under the names <c>evaluate --json</c> prints and history.jsonl keeps.</summary>
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["eval_samples"] = Samples,
            ["eval_seed"] = Seed,
            ["fid"] = Fid,
            ["fid_floor"] = FidFloor,
            ["mnist_score"] = MnistScore.Mean,
            ["mnist_score_std"] = MnistScore.StandardDeviation,
            ["mnist_score_real"] = RealMnistScore.Mean,
            ["mnist_score_real_std"] = RealMnistScore.StandardDeviation,
            ["class_shares"] = Numbers(Classes.Shares),
            ["class_shares_real"] = Numbers(RealClasses.Shares),
            ["class_chi_square"] = ClassChiSquare,
            ["class_min_share"] = Classes.MinShare,
            ["class_max_share"] = Classes.MaxShare,
            ["mode_collapse_suspected"] = Classes.SuggestsModeCollapse,
            ["fid_per_class"] = new JsonArray([.. Variety.FrechetPerClass.Select(d => (JsonNode?)d)]),
            ["fid_per_class_mean"] = Variety.FrechetMean,
            ["spread_ratio"] = Variety.SpreadRatio,
            ["fid_per_class_by"] = VarietyByRequestedDigit ? "requested" : "predicted",
            ["fid_per_class_min_samples"] = Variety.MinimumSamples,
        };
        if (DiscriminatorAccuracyReal is { } real) json["d_acc_real_test"] = real;
        if (DiscriminatorAccuracyFake is { } fake) json["d_acc_fake_samples"] = fake;
        if (ClassAccuracy is { } accuracy)
        {
            json["class_accuracy"] = accuracy.Overall;
            json["class_accuracy_worst"] = accuracy.Worst;
            json["class_accuracy_per_class"] = Numbers(accuracy.PerClass);
        }
        return json;
    }

    /// <summary>Adds every figure of <see cref="ToJson"/> to an epoch's history line (a name it already has is an error).</summary>
    public void AppendTo(JsonObject history)
    {
        foreach (var (name, value) in ToJson()) history.Add(name, value?.DeepClone());
    }

    private static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
}
