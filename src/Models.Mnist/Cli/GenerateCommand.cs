using System.CommandLine;
using Models.Mnist.Imaging;
using Spectre.Console;
using static Models.Mnist.Cli.CliOptions;

namespace Models.Mnist.Cli;

/// <summary><c>generate</c>: a grid of digits from a saved generator, drawn as its kind draws them.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var checkpoint = new Option<string?>("--checkpoint") { Description = "A checkpoint file of train gan (any model), or a run folder (its newest checkpoint)" };
        var onnx = new Option<string?>("--onnx") { Description = "Draw through ONNX Runtime from a generator written by 'export' instead (libtorch is not called)" };
        var count = OptionalAtLeast(1, "--count", "Digits to draw (dcgan, dcgan-bn, mlp: in all, default 100; acgan, acgan-small: per requested digit, default 10)");
        var digit = new Option<int?>("--digit") { Description = "AC-GAN only: draw this digit (0–9)" }
            .Checked(value => value is >= 0 and <= 9, value => $"--digit must be 0–9, not {value}");
        var digits = new Option<string?>("--digits") { Description = "AC-GAN only: one grid row per digit listed, e.g. 0123456789 (the default)" };
        digits.Validators.Add(result =>
        {
            if (result.Tokens is [var token] && (token.Value.Length == 0 || !token.Value.All(char.IsAsciiDigit)))
                result.AddError($"--digits takes digits 0–9 such as 0123456789, not '{token.Value}'");
        });
        var seed = Seed("Seed of the latent points");
        var output = new Option<string>("--out") { Description = "PNG file for the grid", Required = true };
        var device = Device();
        var generate = new Command("generate", "Draw new digits from a saved generator (no training data needed)") { checkpoint, onnx, count, digit, digits, seed, output, device };
        generate.Validators.Add(result =>
        {
            if (result.GetResult(digit) is not null && result.GetResult(digits) is not null)
                result.AddError("give --digit or --digits, not both");
            if ((result.GetResult(checkpoint) is null) == (result.GetResult(onnx) is null))
                result.AddError("give --checkpoint (a run of train gan) or --onnx (a file of export), one of them");
        });
        generate.SetAction(parsed =>
        {
            var file = Path.GetFullPath(parsed.GetValue(output)!);
            IReadOnlyList<int>? requested = parsed.GetValue(digit) is { } one ? [one] : parsed.GetValue(digits)?.Select(c => c - '0').ToList();
            if (parsed.GetValue(onnx) is { } model)
            {
                var source = Path.GetFullPath(model);
                var (picture, drawn) = OnnxDigits.Draw(source, parsed.GetValue(count), requested, parsed.GetValue(seed));
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                PngFile.Save(file, picture);
                AnsiConsole.MarkupLine($"{Markup.Escape(drawn)} from {Markup.Escape(source)} (ONNX Runtime) → [bold]{Markup.Escape(file)}[/]");
                return 0;
            }
            var path = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var kind = ModelKind.RequireGan(path, Checkpoint.ReadMetadata(path));
            if (requested is not null && !kind.DrawsChosenDigits)
                throw new CheckpointException(path, $"is a '{kind}' checkpoint, which cannot draw chosen digits: --digit and --digits need a checkpoint of {ModelKind.TrainCommandsOf(k => k.DrawsChosenDigits, quoted: false)}");
            using var gan = kind.LoadGan(path, parsed.ChosenDevice(device), withDiscriminator: false);
            using var grid = gan.DrawGrid(parsed.GetValue(count), requested, parsed.GetValue(seed));
            grid.Save(file);
            AnsiConsole.MarkupLine($"{Markup.Escape(grid.Drawn)} from {Markup.Escape(path)} → [bold]{Markup.Escape(file)}[/]");
            return 0;
        });
        return generate;
    }
}
