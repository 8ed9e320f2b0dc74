using System.Globalization;
using System.CommandLine;
using ModelDsl;
using ModelDsl.Numerics;

namespace Models.Mnist.Cli;

/// <summary>The options several commands take, and the checks of whole-number values (for <c>int</c> and <c>int?</c> alike).</summary>
internal static class CliOptions
{
    /// <summary>
    /// Adds a check of the option's value once it parsed as a whole number (the parser itself reports ones that did
    /// not): when <paramref name="valid"/> refuses it, the command line is refused with <paramref name="complaint"/>.
    /// </summary>
    public static TOption Checked<TOption>(this TOption option, Func<int, bool> valid, Func<int, string> complaint)
        where TOption : Option
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && int.TryParse(token.Value, out var value) && !valid(value))
                result.AddError(complaint(value));
        });
        return option;
    }

    /// <summary>Refuses values below <paramref name="minimum"/>: "--epochs must be at least 1, not 0".</summary>
    public static TOption AtLeast<TOption>(this TOption option, int minimum) where TOption : Option =>
        option.Checked(value => value >= minimum, value => $"{option.Name} must be at least {minimum}, not {value}");

    /// <summary>A whole number of at least <paramref name="minimum"/>, <paramref name="fallback"/> when not given.</summary>
    public static Option<int> AtLeast(int minimum, string name, string description, int fallback) =>
        new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback }.AtLeast(minimum);

    public static Option<int> Positive(string name, string description, int fallback) => AtLeast(1, name, description, fallback);

    /// <summary>An optional whole number of at least <paramref name="minimum"/>.</summary>
    public static Option<int?> OptionalAtLeast(int minimum, string name, string description) =>
        new Option<int?>(name) { Description = description }.AtLeast(minimum);

    /// <summary>An optional number above 0 (fractions allowed): "--minutes must be above 0, not -1".</summary>
    public static Option<double?> PositiveNumber(string name, string description) =>
        Number(name, description, value => value > 0, "above 0");

    /// <summary>An optional number in (0, 1].</summary>
    public static Option<double?> Fraction(string name, string description) =>
        Number(name, description, value => value is > 0 and <= 1, "above 0 and at most 1");

    /// <summary>An optional number in [0, 1), such as Adam's β1.</summary>
    public static Option<double?> BelowOne(string name, string description) =>
        Number(name, description, value => value is >= 0 and < 1, "at least 0 and below 1");

    private static Option<double?> Number(string name, string description, Func<double, bool> valid, string range)
    {
        var option = new Option<double?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && double.TryParse(token.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && !(double.IsFinite(value) && valid(value)))
                result.AddError($"{name} must be {range}, not {token.Value}");
        });
        return option;
    }

    public static Option<int> Seed(string description, int fallback = 1) =>
        new("--seed") { Description = description, DefaultValueFactory = _ => fallback };

    public static Option<string> Device()
    {
        var option = new Option<string>("--device") { Description = "cpu, cuda, or auto (CUDA when available)", DefaultValueFactory = _ => "auto" };
        option.AcceptOnlyFromAmong([.. DeviceChoice.Names]);
        return option;
    }

    /// <summary>The device the <c>--device</c> option asks for; <see cref="DeviceUnavailableException"/> when it is not there.</summary>
    public static TorchSharp.torch.Device ChosenDevice(this ParseResult parsed, Option<string> device) => DeviceChoice.Select(parsed.GetValue(device)!);

    public static Option<bool> Resume() => new("--resume") { Description = "Continue from the newest checkpoint in --out" };

    public static Option<bool> SkipNonFinite() =>
        new("--skip-non-finite") { Description = "Skip optimizer steps whose loss or gradients are NaN/∞ (counted in history.jsonl) instead of stopping" };

    public static Option<bool> Json() => new("--json") { Description = "Print one JSON object instead of tables" };

    /// <summary>A checkpoint file, or a run folder standing for its newest checkpoint.</summary>
    public static Option<string> CheckpointPath(string name, string description) => new(name) { Description = description, Required = true };

    public static Option<string?> Numerics()
    {
        var option = new Option<string?>("--numerics")
        {
            Description = $"CPU kernels and memory: native, or isa=LEVEL[+threads=N][+heap=system] (default: ${NumericsSetup.SettingVariable}, else chosen for this CPU; see bench/README.md)",
            Recursive = true,
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens is not [var token]) return;
            try
            {
                NumericsConfiguration.Parse(token.Value);
            }
            catch (FormatException invalid)
            {
                result.AddError($"--numerics: {invalid.Message}");
            }
        });
        return option;
    }
}
