namespace ModelDsl.ShapeFuzz;

/// <summary>
/// How a stack's generator verdict compares with its TorchSharp run. <see cref="Disagreement"/> says what
/// differs; <see cref="Key"/> names the kind of difference (kept while shrinking a reproducer).
/// </summary>
public sealed record Judgement(bool Accepted, string? Disagreement, string? Key, IReadOnlyList<StricterRule> Rules)
{
    public static Judgement Agree(bool accepted, IReadOnlyList<StricterRule>? rules = null) => new(accepted, null, null, rules ?? []);

    public static Judgement Disagree(bool accepted, string key, string disagreement) => new(accepted, disagreement, key, []);
}

/// <summary>
/// The differential verdict, step by step (-1 is the [Input], then each layer):
/// <list type="bullet">
/// <item>accepted ⇒ TorchSharp runs every step and the batch shape is exactly 2 × OutputShape;</item>
/// <item>every step the generator rejects that TorchSharp still ran is covered by a <see cref="StricterRule"/>;</item>
/// <item>the step TorchSharp throws at is rejected by the generator too, unless the generator never
/// checked its shape (argument errors skip shape inference; inference stops at the first error).</item>
/// </list>
/// </summary>
public static class Judge
{
    public static Judgement Compare(FuzzStack stack, GeneratorVerdict verdict, OracleTrace trace)
    {
        var accepted = verdict.Accepted;
        if (verdict.CompileErrors.Count > 0)
            return Judgement.Disagree(accepted, "compile", "the generated code does not compile: " + verdict.CompileErrors[0]);

        var failedAt = trace.FailedAt;
        if (accepted)
        {
            if (failedAt is { } step)
                return Judgement.Disagree(accepted, "lax:" + StepKind(stack, step),
                    $"the generator accepts the stack; TorchSharp throws at {StepName(stack, step)}: {trace.Error}");
            if (verdict.OutputShape is not { } output)
                return Judgement.Disagree(accepted, "no-shape", "the generator accepts the stack but its code states no OutputShape");
            var runtime = trace.Steps.Count > 0 ? trace.Steps[^1].Output! : [TorchRun.Batch, .. stack.Input.Dims.Select(d => (long)d)];
            long[] expected = [TorchRun.Batch, .. output];
            return expected.SequenceEqual(runtime)
                ? Judgement.Agree(accepted)
                : Judgement.Disagree(accepted, "shape",
                    $"the generator computes {Format(output)} per sample; TorchSharp's batch is {Format(runtime)}");
        }

        if (verdict.Errors.FirstOrDefault(e => e.Step is null) is { } stray)
            return Judgement.Disagree(accepted, "stray:" + stray.Id, $"an error outside the attributes: {stray.Id} {stray.Message}");

        var rules = new List<StricterRule>();
        foreach (var error in verdict.Errors.OrderBy(e => e.Step))
        {
            var step = error.Step!.Value;
            if (failedAt <= step) continue; // TorchSharp never ran past it either
            var context = Context(stack, trace, step);
            var rule = StricterRule.All.FirstOrDefault(r => r.Diagnostic == error.Id && r.Applies(context));
            if (rule is null)
                return Judgement.Disagree(accepted, $"strict:{error.Id}:{StepKind(stack, step)}",
                    $"the generator rejects {StepName(stack, step)} ({error.Id}: {error.Message}); TorchSharp runs it: {Format(context.Batch)} → {Format(context.Output)}");
            rules.Add(rule);
        }

        if (failedAt is { } failed && !verdict.Errors.Any(e => e.Step == failed))
        {
            var shapesChecked = !verdict.Errors.Any(e => StricterRule.IsArgumentCheck(e.Id) || e.Step < failed);
            if (shapesChecked)
                return Judgement.Disagree(accepted, "lax:" + StepKind(stack, failed),
                    $"the generator accepts {StepName(stack, failed)} (it rejects only {string.Join(", ", verdict.Errors.Select(e => $"{StepName(stack, e.Step!.Value)} with {e.Id}"))}); TorchSharp throws there: {trace.Error}");
        }
        return Judgement.Agree(accepted, rules);
    }

    /// <summary>A step TorchSharp ran: the [Input] batch it made, or a layer's input and output.</summary>
    private static StepContext Context(FuzzStack stack, OracleTrace trace, int step)
    {
        if (step >= 0)
            return new StepContext(stack.Layers[step], stack.Input, trace.Steps[step].Input, trace.Steps[step].InputIsInteger, trace.Steps[step].Output!);
        long[] batch = [TorchRun.Batch, .. stack.Input.Dims.Select(d => (long)d)];
        return new StepContext(null, stack.Input, batch, stack.Input.IsInteger, batch);
    }

    private static string StepKind(FuzzStack stack, int step) => step < 0 ? "Input" : stack.Layers[step].Kind;

    private static string StepName(FuzzStack stack, int step) =>
        step < 0 ? $"[{stack.Input.Source}]" : $"layer {step} [{stack.Layers[step].Source}]";

    public static string Format(IEnumerable<long> shape) => shape.Any() ? string.Join("×", shape) : "scalar";
}
