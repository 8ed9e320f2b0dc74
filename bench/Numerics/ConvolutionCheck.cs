using static TorchSharp.torch;

namespace ModelDsl.Bench.Numerics;

/// <summary>
/// Error of one float32 result against the float64 reference of the same operation on the same inputs.
/// The relative error is taken against the reference's largest magnitude: weight gradients are long sums
/// with cancellation, so element-wise ratios near zero say nothing about the kernel.
/// </summary>
internal sealed record TensorError(string Tensor, long NonFinite, double MaxAbsError, double MaxRelError)
{
    /// <summary>Float32 rounding of these sums stays near 1e-6; garbage or a wrong kernel is far above 1e-4.</summary>
    public const double WrongAbove = 1e-4;

    /// <summary>Wrong, not just rounded: non-finite, or off by more than <see cref="WrongAbove"/> of the reference's largest magnitude.</summary>
    public bool IsWrong => NonFinite > 0 || !(MaxRelError <= WrongAbove);

    public static TensorError Of(string name, Tensor actual, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var actual64 = actual.to(ScalarType.Float64);
        var nonFinite = (~isfinite(actual64)).sum().item<long>();
        var maxAbs = (actual64 - reference).abs_().nan_to_num(double.PositiveInfinity).max().item<double>();
        return new TensorError(name, nonFinite, maxAbs, maxAbs / reference.abs().max().item<double>());
    }
}

/// <summary>One float32 forward+backward of a case at a batch size, compared to float64.</summary>
internal sealed record ConvolutionResult(string Case, long Batch, int Repeat, IReadOnlyList<TensorError> Errors, bool SameAsFirstRepeat)
{
    public bool IsWrong => Errors.Any(e => e.IsWrong);
}

/// <summary>
/// The operator-level reproducer: each DCGAN convolution, forward and backward (input, weight and bias
/// gradients), in float32 on the configured kernels against a float64 reference (ATen's own kernels:
/// oneDNN has no float64), repeated on identical inputs with the batch size changing between repeats as it
/// does in training. Also reports whether a repeat differs bitwise from the first.
/// </summary>
internal sealed class ConvolutionCheck : IDisposable
{
    private sealed record Problem(ConvolutionCase Case, long Batch, Tensor Input, Tensor Weight, Tensor Bias, Tensor OutputGradient, Tensor[] Reference)
    {
        public Tensor[]? First { get; set; }
    }

    private readonly List<Problem> problems = [];

    public ConvolutionCheck(IEnumerable<ConvolutionCase> cases, IEnumerable<long> batches, long seed)
    {
        foreach (var batch in batches)
            foreach (var convolution in cases)
            {
                using var scope = NewDisposeScope();
                using var generator = new Generator((ulong)(seed * 1000 + batch));
                // Activations as the layers see them: LeakyReLU outputs or [0, 1] images; weights at PyTorch's default scale.
                var normal = randn([batch, convolution.InChannels, convolution.Size, convolution.Size], ScalarType.Float64, generator: generator);
                var input = convolution.InChannels == 1 ? normal.sigmoid() : nn.functional.leaky_relu(normal, 0.2);
                var bound = 1 / Math.Sqrt(convolution.WeightShape[1] * convolution.Kernel * convolution.Kernel);
                var weight = (rand(convolution.WeightShape, ScalarType.Float64, generator: generator) * 2 - 1) * bound;
                var bias = (rand([convolution.OutChannels], ScalarType.Float64, generator: generator) * 2 - 1) * bound;
                var outputShape = convolution.Apply(input[..1], weight, bias).shape;
                outputShape[0] = batch;
                var outputGradient = randn(outputShape, ScalarType.Float64, generator: generator) * 1e-3;
                var reference = Reference(convolution, input, weight, bias, outputGradient);
                foreach (var kept in reference.Append(input).Append(weight).Append(bias).Append(outputGradient)) kept.DetachFromDisposeScope();
                problems.Add(new Problem(convolution, batch, input, weight, bias, outputGradient, reference));
            }
    }

    /// <summary>One pass over every case and batch size.</summary>
    public IEnumerable<ConvolutionResult> Repeat(int repeat) => problems.Select(problem => Check(problem, repeat));

    private static ConvolutionResult Check(Problem problem, int repeat)
    {
        using var scope = NewDisposeScope();
        var results = Run(problem.Case, problem.Input.to(ScalarType.Float32), problem.Weight.to(ScalarType.Float32),
                          problem.Bias.to(ScalarType.Float32), problem.OutputGradient.to(ScalarType.Float32));
        var errors = new[] { "output", "input gradient", "weight gradient", "bias gradient" }
            .Select((name, i) => TensorError.Of(name, results[i], problem.Reference[i])).ToArray();
        if (problem.First is null)
        {
            problem.First = results;
            foreach (var result in results) result.DetachFromDisposeScope();
            return new ConvolutionResult(problem.Case.Name, problem.Batch, repeat, errors, SameAsFirstRepeat: true);
        }
        var same = problem.First.Zip(results).All(pair => pair.First.eq(pair.Second).all().item<bool>());
        return new ConvolutionResult(problem.Case.Name, problem.Batch, repeat, errors, same);
    }

    /// <summary>
    /// The float64 result, a few samples at a time: ATen's float64 convolution unfolds the whole batch at
    /// once (B × C·k² × H·W; 10 GB for the 7×7 layer at B=256).
    /// </summary>
    private static Tensor[] Reference(ConvolutionCase convolution, Tensor input, Tensor weight, Tensor bias, Tensor outputGradient)
    {
        const long samplesPerChunk = 16;
        var chunks = new List<Tensor[]>();
        for (long start = 0; start < input.shape[0]; start += samplesPerChunk)
        {
            var end = Math.Min(start + samplesPerChunk, input.shape[0]);
            chunks.Add(Run(convolution, input.narrow(0, start, end - start), weight, bias, outputGradient.narrow(0, start, end - start)));
        }
        using var scope = NewDisposeScope();
        return
        [
            cat(chunks.Select(c => c[0]).ToList()).MoveToOuterDisposeScope(),
            cat(chunks.Select(c => c[1]).ToList()).MoveToOuterDisposeScope(),
            stack(chunks.Select(c => c[2]).ToList()).sum(dim: 0).MoveToOuterDisposeScope(),
            stack(chunks.Select(c => c[3]).ToList()).sum(dim: 0).MoveToOuterDisposeScope(),
        ];
    }

    private static Tensor[] Run(ConvolutionCase convolution, Tensor input, Tensor weight, Tensor bias, Tensor outputGradient)
    {
        using var scope = NewDisposeScope();
        var (x, w, b) = (input.detach().requires_grad_(), weight.detach().requires_grad_(), bias.detach().requires_grad_());
        var output = convolution.Apply(x, w, b);
        output.backward([outputGradient]);
        return [output.detach().MoveToOuterDisposeScope(), x.grad!.MoveToOuterDisposeScope(), w.grad!.MoveToOuterDisposeScope(), b.grad!.MoveToOuterDisposeScope()];
    }

    public void Dispose()
    {
        foreach (var problem in problems)
            foreach (var tensor in new[] { problem.Input, problem.Weight, problem.Bias, problem.OutputGradient }.Concat(problem.Reference).Concat(problem.First ?? []))
                tensor.Dispose();
    }
}
