using System.CommandLine;
using Models.Mnist.Data;
using static Models.Mnist.Cli.CliOptions;
using static Models.Mnist.Cli.CommandSupport;

namespace Models.Mnist.Cli;

/// <summary><c>train transfer</c>: Keras' mnist_transfer_cnn, a CNN trained on the classes 0–4 whose frozen features then serve 5–9.</summary>
internal static class TrainTransferCommand
{
    public static Command Create(IReadOnlyList<DataSet> dataSets)
    {
        var defaults = new TransferOptions("runs/transfer");
        var data = new DataOptions(dataSets);
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints and logs", DefaultValueFactory = _ => defaults.OutputFolder };
        var epochs = Positive("--epochs", "Epochs of each phase (the phases change at this count, so resuming keeps it)", defaults.Epochs);
        var batchSize = Positive("--batch-size", "Images per step", defaults.BatchSize);
        var limit = OptionalAtLeast(1, "--limit", "Train on the first N training images only, of whichever class (quick runs); the test set is always whole");
        var seed = Seed("Seed of the initial weights, the batch order and dropout");
        var resume = Resume();
        var skipNonFinite = SkipNonFinite();
        var device = Device();
        var json = Json();
        var command = new Command(ModelKind.Transfer.Name,
            "Train Keras' transfer CNN (TransferCnn) on the classes 0–4, then freeze its convolutions and train its dense head on 5–9")
        {
            data.DataSet, data.Folder, output, epochs, batchSize, limit, seed, resume, skipNonFinite, device, json,
        };
        command.SetAction(parsed =>
        {
            var source = data.Read(parsed);
            var options = new TransferOptions(parsed.GetValue(output)!)
            {
                DataSetName = source.DataSet.Name,
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batchSize),
                Limit = parsed.GetValue(limit),
                Seed = parsed.GetValue(seed),
                Resume = parsed.GetValue(resume),
                Device = parsed.GetValue(device)!,
                OnNonFinite = parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            };
            using var training = source.TrainingSet(options.Limit, ModelKind.Transfer);
            using var test = source.TestSet(null, ModelKind.Transfer);
            var runInfo = RunInfo(parsed, options.Seed);
            if (parsed.GetValue(json))
            {
                var trainer = new TransferTrainer(options, training, test, SilentProgress.Instance);
                trainer.Run(runInfo);
                WriteJson(trainer.Result());
                return 0;
            }
            return Train(options.OutputFolder, reporter =>
            {
                var trainer = new TransferTrainer(options, training, test, reporter);
                trainer.Run(runInfo);
                reporter.Message(TransferTrainer.Describe(trainer.Result()));
            });
        });
        return command;
    }
}
