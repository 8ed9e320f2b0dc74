namespace ModelDsl.ShapeFuzz;

/// <summary>
/// Greedy shrinking of a failing stack: drop layers, simplify arguments, shrink the input, keeping
/// each change while the failure persists. Every change makes the stack strictly smaller, so it ends.
/// </summary>
public static class Shrinker
{
    public static FuzzStack Shrink(FuzzStack stack, Func<FuzzStack, bool> stillFails, int budget = 300)
    {
        var current = stack;
        var evaluations = 0;
        while (true)
        {
            var next = Candidates(current).FirstOrDefault(candidate => evaluations++ < budget && stillFails(candidate));
            if (next is null) return current;
            current = next;
        }
    }

    private static IEnumerable<FuzzStack> Candidates(FuzzStack stack)
    {
        for (var i = stack.Layers.Count - 1; i >= 0; i--)
            yield return stack with { Layers = stack.Layers.Where((_, j) => j != i).ToList() };
        for (var i = 0; i < stack.Layers.Count; i++)
            foreach (var simpler in stack.Layers[i].Simplifications())
                yield return stack with { Layers = stack.Layers.Select((l, j) => j == i ? simpler : l).ToList() };
        var dims = stack.Input.Dims;
        for (var i = 0; i < dims.Count; i++)
            foreach (var smaller in new[] { 1, dims[i] / 2, dims[i] - 1 }.Where(d => d > 0 && d < dims[i]).Distinct())
                yield return stack with { Input = stack.Input with { Dims = dims.Select((d, j) => j == i ? smaller : d).ToArray() } };
    }
}
