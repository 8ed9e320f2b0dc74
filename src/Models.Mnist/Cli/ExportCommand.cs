using System.CommandLine;
using System.Globalization;
using ModelDsl.Export;
using ModelDsl.Onnx;
using Spectre.Console;
using static Models.Mnist.Cli.CliOptions;
using static TorchSharp.torch;

namespace Models.Mnist.Cli;

/// <summary>
/// <c>export</c>: a trained network as an ONNX file (ModelDsl.Onnx), for ONNX Runtime and every runtime that reads ONNX:
/// the generator of a GAN run (its weight average when the run kept one), its discriminator, or the network of a
/// classifier, transfer or addition run. The file's metadata says what <c>generate --onnx</c> needs to draw from it.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var checkpoint = CheckpointPath("--checkpoint", "A checkpoint file of train gan, classifier, transfer or addition, or a run folder (its newest checkpoint)");
        var output = new Option<string>("--out") { Description = "The ONNX file to write", Required = true };
        var network = new Option<string>("--network") { Description = "A GAN's network: g, its generator (the default), or d, its discriminator", DefaultValueFactory = _ => "g" }
            .AcceptOnlyFromAmong("g", "d");
        var liveWeights = new Option<bool>("--live-weights") { Description = "Export the generator's live weights even when the run kept their average (--ema)" };
        var export = new Command("export", "Write a trained network as an ONNX file (opset 17), with its weights") { checkpoint, output, network, liveWeights };
        export.SetAction(parsed =>
        {
            var path = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var file = Path.GetFullPath(parsed.GetValue(output)!);
            var metadata = Checkpoint.ReadMetadata(path);
            var kind = ModelKind.Require(path, metadata, _ => true, "which this app does not know");
            var discriminator = parsed.GetValue(network) == "d";
            if (discriminator && !kind.IsGan)
                throw new CheckpointException(path, $"is a '{kind}' checkpoint, which has no discriminator: --network d needs one written by 'train gan'");
            var live = parsed.GetValue(liveWeights);
            var facts = new Dictionary<string, string>
            {
                ["model"] = kind.Name,
                ["checkpoint"] = Path.GetFileName(path),
                ["step"] = metadata["step"]?.ToString() ?? "",
            };
            var name = Write(kind, path, discriminator, live, facts, file);
            AnsiConsole.MarkupLine($"{Markup.Escape(name)} of {Markup.Escape(path)} → [bold]{Markup.Escape(file)}[/] (ONNX opset {OnnxExport.Opset})");
            return 0;
        });
        return export;
    }

    /// <summary>
    /// Writes the network asked for to <paramref name="file"/>, with <paramref name="facts"/> and what a reader of the file
    /// needs to know (a generator's latent points and pixel range) as its metadata; returns the network's name.
    /// </summary>
    private static string Write(ModelKind kind, string path, bool discriminator, bool liveWeights, Dictionary<string, string> facts, string file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        if (kind.IsGan)
        {
            using var gan = kind.LoadGan(path, CPU, withDiscriminator: discriminator, liveWeights);
            if (discriminator)
                return Save(gan.DiscriminatorNetwork ?? throw new CheckpointException(path, "keeps no discriminator"), kind.Name + " discriminator");
            facts["weights"] = gan.ReadsWeightAverage ? "average" : "live";
            facts["latent_size"] = UnconditionalNetworks.LatentSize.ToString(CultureInfo.InvariantCulture);
            facts["latent_prior"] = kind.Conditional is { Prior: LatentPrior.Uniform } ? "uniform" : "normal";
            facts["pixel_range"] = PixelRangeName(kind.Pixels);
            if (kind.DrawsChosenDigits) facts["classes"] = ConditionalNetworks.Classes.ToString(CultureInfo.InvariantCulture);
            return Save(gan.GeneratorNetwork, kind.Name + " generator");
        }
        var (moduleName, network) = kind == ModelKind.Classifier ? (ClassifierTrainer.ModuleName, (nn.Module)new DigitClassifier())
            : kind == ModelKind.Transfer ? (TransferTrainer.ModuleName, new TransferCnn())
            : (AdditionTrainer.ModuleName, new AdditionRnn());
        using (network)
        {
            Checkpoint.Load(path, new Dictionary<string, nn.Module> { [moduleName] = network });
            if (kind != ModelKind.Addition) facts["pixel_range"] = PixelRangeName(kind.Pixels);
            return Save(network, kind.Name);
        }

        string Save(nn.Module module, string name)
        {
            module.eval();
            OnnxExport.Save((IOnnxExportable)module, file, name, facts);
            return name;
        }
    }

    /// <summary>How the file's metadata names a pixel range: "-1..1" or "0..1".</summary>
    public static string PixelRangeName(Imaging.PixelRange range) => range == Imaging.PixelRange.MinusOneToOne ? "-1..1" : "0..1";
}
