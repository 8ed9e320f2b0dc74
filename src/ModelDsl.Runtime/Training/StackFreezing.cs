using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl;

/// <summary>
/// Transfer learning on models written as stacks (partial methods with <c>[Input]</c> or <c>[From]</c>): a frozen
/// stack's parameters stop requiring gradients, so backward leaves their gradients empty and optimizers skip them,
/// while the other stacks go on training.
/// </summary>
public static class StackFreezing
{
    /// <summary>Stops training the parameters of <paramref name="stack"/>, e.g. <c>model.Freeze(nameof(Features))</c>.</summary>
    /// <exception cref="ArgumentException">The model has no stack of that name.</exception>
    public static void Freeze(this nn.Module model, string stack) => SetRequiresGrad(model, stack, false);

    /// <summary>Trains the parameters of <paramref name="stack"/> again.</summary>
    /// <exception cref="ArgumentException">The model has no stack of that name.</exception>
    public static void Unfreeze(this nn.Module model, string stack) => SetRequiresGrad(model, stack, true);

    /// <summary>The parameters of one stack with their state_dict names, e.g. <c>features_conv2d_0.weight</c>.</summary>
    /// <exception cref="ArgumentException">The model has no stack of that name.</exception>
    public static IReadOnlyList<(string Name, Parameter Parameter)> StackParameters(this nn.Module model, string stack)
    {
        var stacks = model.GetType()
            .GetMethods(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(m => m.IsDefined(typeof(InputAttribute)) || m.IsDefined(typeof(FromAttribute)))
            .Select(m => m.Name)
            .ToList();
        if (!stacks.Contains(stack))
        {
            throw new ArgumentException(stacks.Count == 0
                ? $"'{model.GetType().Name}' declares no stacks as partial methods, so it has no stack '{stack}'."
                : $"'{model.GetType().Name}' has no stack '{stack}'; its stacks are: {string.Join(", ", stacks)}.", nameof(stack));
        }
        return model.named_parameters().Where(p => StackOf(p.name, stacks) == stack).ToList();
    }

    private static void SetRequiresGrad(nn.Module model, string stack, bool requiresGrad)
    {
        foreach (var (_, parameter) in model.StackParameters(stack))
        {
            parameter.requires_grad = requiresGrad;
        }
    }

    /// <summary>
    /// Generated layers are named {stack in snake_case}_{layer kind}_{index}: the stack is the longest stack name
    /// that, underscores aside, is the part before the layer kind (so 'FeaturesHead' is not taken for 'Features').
    /// </summary>
    private static string? StackOf(string parameterName, IReadOnlyList<string> stacks)
    {
        var field = parameterName.Split('.')[0];
        var indexStart = field.LastIndexOf('_');
        if (indexStart < 0)
        {
            return null;
        }
        var stem = field[..indexStart];
        for (var end = stem.LastIndexOf('_'); end > 0; end = stem.LastIndexOf('_', end - 1))
        {
            var candidate = stem[..end].Replace("_", "");
            var stack = stacks.FirstOrDefault(s => string.Equals(s.Replace("_", ""), candidate, StringComparison.OrdinalIgnoreCase));
            if (stack is not null)
            {
                return stack;
            }
        }
        return null;
    }
}
