using System.CommandLine;
using Models.Mnist.Data;
using Spectre.Console;
using static Models.Mnist.Cli.CliOptions;
using static Models.Mnist.Cli.CommandSupport;

namespace Models.Mnist.Cli;

/// <summary><c>evaluate</c>: a GAN checkpoint judged by a classifier checkpoint, as tables or one JSON object.</summary>
internal static class EvaluateCommand
{
    public static Command Create(IReadOnlyList<DataSet> dataSets)
    {
        var checkpoint = CheckpointPath("--checkpoint", "The GAN: a checkpoint file of train gan (any model), or its run folder (newest checkpoint)");
        var classifierPath = CheckpointPath("--classifier", "The judge: a checkpoint file of train classifier, or its run folder (newest checkpoint)");
        var samples = AtLeast(GanEvaluator.MinimumSamples, "--samples", "Generated images to judge (and real training images for the floor)", GanEvaluator.DefaultSamples);
        var seed = Seed("Seed of the latent points");
        var json = Json();
        var liveWeights = new Option<bool>("--live-weights") { Description = "Judge the generator's live weights even when the run kept their average (--ema)" };
        var data = new DataOptions(dataSets);
        var device = Device();
        var evaluate = new Command("evaluate", "Judge a GAN's digits with the classifier: FID-MNIST, MNIST score, class distribution, D accuracy, and for the AC-GAN the accuracy per requested digit")
        {
            checkpoint, classifierPath, samples, seed, json, liveWeights, data.DataSet, data.Folder, device,
        };
        evaluate.SetAction(parsed =>
        {
            var generatorFile = RunFolder.ResolveCheckpoint(parsed.GetValue(checkpoint)!);
            var classifierFile = RunFolder.ResolveCheckpoint(parsed.GetValue(classifierPath)!);
            var metadata = Checkpoint.ReadMetadata(generatorFile);
            var kind = ModelKind.RequireGan(generatorFile, metadata);
            // A projection discriminator's verdict needs the digit, which D's accuracy does not give it: judged without D.
            var withDiscriminator = AcganTrainer.RecordedRecipe(generatorFile, metadata) is not { } recipe || AcganStep.ValidityHeadDecides(recipe);
            var source = data.Read(parsed);
            source.RequireTrainedOn(generatorFile, metadata, "the GAN", $"evaluate it with --dataset {DataSet.RecordedIn(metadata)}");
            var target = parsed.ChosenDevice(device);
            var count = parsed.GetValue(samples);
            // A run that kept an average of G's weights is judged through it (TrainedGan loads it) unless asked otherwise: say which.
            var averageDecay = parsed.GetValue(liveWeights) ? 0 : metadata["ema"]?.GetValue<double>() ?? 0;
            var (classifier, classifierInfo) = ClassifierTrainer.Load(classifierFile, target);
            using (classifier)
            {
                source.RequireTrainedOn(classifierFile, classifierInfo, "the judge (--classifier)",
                    $"a GAN of {source.DataSet.Title} is judged by a classifier of 'train classifier --dataset {source.DataSet.Name}'");
                using var test = source.TestSet(null, ModelKind.Classifier);
                using var training = source.TrainingSet(count, ModelKind.Classifier);
                var evaluator = new GanEvaluator(classifier, test, training.Images);
                GanEvaluation Evaluate()
                {
                    using var gan = kind.LoadGan(generatorFile, target, withDiscriminator, parsed.GetValue(liveWeights));
                    return gan.Evaluate(evaluator, count, parsed.GetValue(seed));
                }
                // Generating 10,000 digits takes a minute or two on a CPU: say what is going on, except in machine-read output.
                var evaluation = AnsiConsole.Profile.Capabilities.Interactive && !parsed.GetValue(json)
                    ? AnsiConsole.Status().Start($"Generating {count:#,0} digits and judging them…", _ => Evaluate())
                    : Evaluate();
                if (parsed.GetValue(json))
                {
                    var result = new JsonObject
                    {
                        ["checkpoint"] = generatorFile, ["model"] = kind.Name, ["ema"] = averageDecay, ["classifier"] = classifierFile, ["dataset"] = source.DataSet.Name,
                    };
                    evaluation.AppendTo(result);
                    WriteJson(result);
                }
                else
                {
                    var weights = averageDecay > 0 ? string.Create(CultureInfo.InvariantCulture, $", the average of G's weights (--ema {averageDecay})") : "";
                    EvaluationReport.Write(evaluation, source.DataSet, $"{generatorFile} ({kind}, epoch {metadata["epoch"]}{weights})",
                        string.Create(CultureInfo.InvariantCulture, $"{classifierFile} (test accuracy {classifierInfo["test_accuracy"]!.GetValue<double>():0.00%})"));
                }
            }
            return 0;
        });
        return evaluate;
    }
}
