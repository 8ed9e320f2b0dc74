namespace ModelDsl.ShapeFuzz;

/// <summary>
/// A step TorchSharp ran: the layer (null for the [Input]), the batch it got and what it made of it;
/// enough to decide whether the generator's rejection of it is a documented stricter rule.
/// </summary>
public sealed record StepContext(FuzzLayer? Layer, FuzzInput Input, long[] Batch, bool IsInteger, long[] Output)
{
    /// <summary>Rank of one sample (the batch axis excluded).</summary>
    public int SampleRank => Batch.Length - 1;
}

/// <summary>
/// A rule by which the generator rejects, with <see cref="Diagnostic"/>, what PyTorch would run. Each is
/// listed in README.md ("Rules stricter than PyTorch"); a rejection of a step TorchSharp runs is only an
/// agreement when one of these applies.
/// </summary>
public sealed record StricterRule(string Name, string Diagnostic, Func<StepContext, bool> Applies)
{
    public static readonly IReadOnlyList<StricterRule> All =
    [
        // PyTorch takes a 3-D batch as one unbatched image, and ZeroPad2d pads the last two axes of any tensor.
        new("2-D layers need a per-sample C×H×W input", "MDSL0008", c =>
            c.Layer is Conv2D or Conv2DTranspose or MaxPooling2D or AveragePooling2D or UpSampling2D or ZeroPadding2D && c.SampleRank != 3),
        // On a scalar per sample, PyTorch would take the batch axis as the features.
        new("Dense, Softmax and LogSoftmax need a per-sample axis", "MDSL0008", c =>
            c.Layer is Dense or Activation { Name: "Softmax" or "LogSoftmax" } && c.SampleRank == 0),
        new("BatchNormalization takes F, C×L or C×H×W (not BatchNorm3d's C×D×H×W)", "MDSL0008", c =>
            c.Layer is BatchNormalization && c.SampleRank == 4),
        // PyTorch runs ReLU, Dropout, padding, pooling, … on int64 tensors.
        new("integer inputs only reach Embedding, Flatten and Reshape", "MDSL0010", c =>
            c.IsInteger && c.Layer is not (Embedding or Flatten or Reshape)),
        new("sizes are at least 1 (PyTorch allows empty tensors)", "MDSL0013", c => c.Layer switch
        {
            Dense { Units: 0 } or Conv2D { Filters: 0 } or Conv2DTranspose { Filters: 0 } or Embedding { Dim: 0 } => true,
            // An empty batch of indices looks nothing up, so even an embedding without rows will do.
            Embedding { Count: 0 } => true,
            RepeatVector { Count: 0 } => true,
            Reshape reshape => reshape.Dims.Contains(0),
            _ => false,
        }),
        new("no dimension reaches 0 (PyTorch allows empty tensors)", "MDSL0005", c => c.Output.Contains(0)),
        new("[Input] dimensions are at least 1 (PyTorch allows empty tensors)", "MDSL0022", c =>
            c.Layer is null && c.Input.Dims.Contains(0)),
        new("Dropout rate in [0, 1) (PyTorch also takes 1; TorchSharp checks no range)", "MDSL0013", c =>
            c.Layer is Dropout { Rate: var rate } && !(rate >= 0 && rate < 1)),
        new("LeakyReLU slope finite and non-negative (PyTorch takes any)", "MDSL0013", c =>
            c.Layer is LeakyReLU { Slope: var slope } && !(slope >= 0 && !double.IsInfinity(slope))),
        new("BatchNormalization momentum in [0, 1] and epsilon positive (PyTorch takes any)", "MDSL0013", c =>
            c.Layer is BatchNormalization { Momentum: var momentum, Epsilon: var epsilon }
            && !(momentum >= 0 && momentum <= 1 && epsilon > 0 && !double.IsInfinity(epsilon))),
        // A negative ZeroPad2d padding crops.
        new("ZeroPadding2D pad not negative", "MDSL0013", c => c.Layer is ZeroPadding2D { Pad: < 0 }),
        // PyTorch would reshape a one-element sample to a scalar.
        new("Reshape needs at least one dimension", "MDSL0013", c => c.Layer is Reshape { Dims.Count: 0 }),
    ];

    /// <summary>Diagnostics the generator reports from the arguments alone, before (and instead of) any shape check.</summary>
    public static bool IsArgumentCheck(string id) => id is "MDSL0013" or "MDSL0022";
}
