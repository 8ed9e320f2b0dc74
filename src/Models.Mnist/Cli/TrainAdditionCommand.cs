using System.CommandLine;
using static Models.Mnist.Cli.CliOptions;
using static Models.Mnist.Cli.CommandSupport;
using Models.Mnist.Data;

namespace Models.Mnist.Cli;

/// <summary><c>train addition</c>: Keras' addition_rnn, an LSTM sequence-to-sequence model on generated sums.</summary>
internal static class TrainAdditionCommand
{
    public static Command Create()
    {
        var defaults = new AdditionOptions("runs/addition");
        var output = new Option<string>("--out") { Description = "Run folder for checkpoints and logs", DefaultValueFactory = _ => defaults.OutputFolder };
        var epochs = Positive("--epochs", "Epochs to train (in all, when resuming)", defaults.Epochs);
        var batchSize = Positive("--batch-size", "Questions per step", defaults.BatchSize);
        var questions = AtLeast(10, "--questions", $"Distinct questions to generate, the last tenth held out (at most {AdditionQuestions.MaxCount:N0})", defaults.Questions)
            .Checked(value => value <= AdditionQuestions.MaxCount, value => $"--questions must be at most {AdditionQuestions.MaxCount}, not {value}");
        var seed = Seed("Seed of the questions, the initial weights and the batch order");
        var resume = Resume();
        var skipNonFinite = SkipNonFinite();
        var device = Device();
        var command = new Command(ModelKind.Addition.Name, "Train Keras' addition RNN (AdditionRnn): answer \"a+b\" for numbers of up to 3 digits")
        {
            output, epochs, batchSize, questions, seed, resume, skipNonFinite, device,
        };
        command.SetAction(parsed =>
        {
            var options = new AdditionOptions(parsed.GetValue(output)!)
            {
                Epochs = parsed.GetValue(epochs),
                BatchSize = parsed.GetValue(batchSize),
                Questions = parsed.GetValue(questions),
                Seed = parsed.GetValue(seed),
                Resume = parsed.GetValue(resume),
                Device = parsed.GetValue(device)!,
                OnNonFinite = parsed.GetValue(skipNonFinite) ? NonFinitePolicy.SkipStep : NonFinitePolicy.Stop,
            };
            var runInfo = RunInfo(parsed, options.Seed);
            return Train(options.OutputFolder, reporter => new AdditionTrainer(options, reporter).Run(runInfo));
        });
        return command;
    }
}
