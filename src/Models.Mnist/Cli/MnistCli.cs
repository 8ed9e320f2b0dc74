using System.CommandLine;
using ModelDsl;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Numerics;

namespace Models.Mnist.Cli;

/// <summary>The command line: <c>train gan --model …</c> (aliases <c>train dcgan|acgan</c>), <c>train classifier|addition</c>, <c>generate</c>, <c>evaluate</c>, <c>experiment augment</c>, <c>summary MODEL</c>. Errors end in one line and a non-zero exit.</summary>
internal static class MnistCli
{
    public const int UsageError = 2;
    public const int Failure = 1;

    public static int Run(string[] args) => Run(args, DataSet.All);

    /// <summary>Runs the command line with <paramref name="dataSets"/> as the data sets <c>--dataset</c> chooses from (the default first).</summary>
    internal static int Run(string[] args, IReadOnlyList<DataSet> dataSets)
    {
        var numerics = CliOptions.Numerics();
        var verbose = new Option<bool>("--verbose") { Description = "Print the numerics configuration chosen for this CPU", Recursive = true };
        var root = new RootCommand("ModelDsl MNIST models: train, sample and inspect GANs written in the ModelDsl DSL.")
        {
            TrainCommand.Create(dataSets),
            GenerateCommand.Create(),
            ExportCommand.Create(),
            SummaryCommand.Create(),
            EvaluateCommand.Create(dataSets),
            ExperimentCommand.Create(dataSets),
            numerics,
            verbose,
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {OneLine(parsed.Errors[0].Message)} (run with --help for usage)");
            return UsageError;
        }
        // Before any command touches torch: oneDNN fixes its kernels at its first convolution or matmul.
        NumericsSetup.Apply(parsed.GetValue(numerics), parsed.GetValue(verbose) ? Console.Error : null);
        try
        {
            // Our own handler below keeps failures to one line; the default one prints a stack trace.
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception exception) when (IsUserFacing(exception))
        {
            Console.Error.WriteLine($"error: {OneLine(exception.Message)}");
            return Failure;
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Failures with a message meant for the user (bad data, bad checkpoint, missing file), not bugs.</summary>
    private static bool IsUserFacing(Exception exception) =>
        exception is MnistFormatException or MnistDataUnavailableException or CheckpointException
            or FileNotFoundException or DirectoryNotFoundException or NonFiniteTrainingException or UnauthorizedAccessException
            or DeviceUnavailableException or OnnxFileException or ModelDsl.Export.OnnxExportException;
}
