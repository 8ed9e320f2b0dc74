using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.ShapeFuzz;

/// <summary>What a layer met at run time: the batch it got and what it made of it, or why TorchSharp threw.</summary>
public sealed record OracleStep(long[] Input, bool InputIsInteger, long[]? Output, string? Error);

/// <summary>
/// The run of a stack's plain-TorchSharp equivalent on a batch of zeros: <see cref="InputError"/> when the
/// input batch cannot even be made, else one step per layer up to and including the first that threw.
/// </summary>
public sealed record OracleTrace(string? InputError, IReadOnlyList<OracleStep> Steps)
{
    /// <summary>The step TorchSharp threw at: -1 for the input, a layer index, or null when everything ran.</summary>
    public int? FailedAt => InputError is not null ? -1 : Steps.Count > 0 && Steps[^1].Error is not null ? Steps.Count - 1 : null;

    public string? Error => InputError ?? (Steps.Count > 0 ? Steps[^1].Error : null);
}

/// <summary>
/// Runs layers one at a time on a batch of <see cref="Batch"/> zeros in eval mode, so a stack can be
/// built while it runs (the stack generator steers by the real shapes) and stops at the first throw.
/// </summary>
public sealed class TorchRun : IDisposable
{
    public const int Batch = 2;

    private readonly DisposeScope _scope = torch.NewDisposeScope();
    private readonly List<OracleStep> _steps = [];
    private readonly string? _inputError;
    private Tensor? _current;

    public TorchRun(FuzzInput input)
    {
        try
        {
            _current = zeros([Batch, .. input.Dims.Select(d => (long)d)], input.IsInteger ? ScalarType.Int64 : ScalarType.Float32);
        }
        catch (Exception exception)
        {
            _inputError = Describe(exception);
        }
    }

    /// <summary>The batch shape so far; null once something threw.</summary>
    public long[]? Shape => _current?.shape;

    public bool IsInteger => _current?.dtype == ScalarType.Int64;

    public OracleTrace Trace => new(_inputError, _steps.ToList());

    /// <summary>Runs one more layer; false (and nothing more runs) when it throws.</summary>
    public bool Apply(FuzzLayer layer)
    {
        if (_current is null) return false;
        var step = new OracleStep(_current.shape, IsInteger, null, null);
        try
        {
            _current = layer.Forward(_current);
            _steps.Add(step with { Output = _current.shape });
            return true;
        }
        catch (Exception exception)
        {
            _steps.Add(step with { Error = Describe(exception) });
            _current = null;
            return false;
        }
    }

    public static OracleTrace Run(FuzzStack stack)
    {
        using var run = new TorchRun(stack.Input);
        foreach (var layer in stack.Layers)
            if (!run.Apply(layer)) break;
        return run.Trace;
    }

    /// <summary>The first line of the message: TorchSharp appends the native stack trace.</summary>
    private static string Describe(Exception exception) =>
        exception.GetType().Name + ": " + exception.Message.Split('\n')[0].Trim();

    public void Dispose() => _scope.Dispose();
}
