using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using ModelDsl.Numerics;
using Spectre.Console;
using TorchSharp;

namespace Models.Mnist.Cli;

/// <summary>What the command handlers share: run.json's record of the command, and printing results.</summary>
internal static class CommandSupport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>What run.json records: the exact command line, the seed and the versions that produced the run.</summary>
    public static JsonObject RunInfo(ParseResult parsed, int seed) => new()
    {
        ["command"] = string.Join(" ", parsed.Tokens.Select(t => t.Value)),
        ["seed"] = seed,
        ["started_utc"] = DateTime.UtcNow.ToString("O"),
        ["modeldsl"] = typeof(ModelDsl.IGeneratedModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["torchsharp"] = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        ["dotnet"] = Environment.Version.ToString(),
        ["threads"] = torch.get_num_threads(),
        ["numerics"] = NumericsSetup.Current?.ToString(),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
    };

    /// <summary>Trains with the console's progress display, then names the run folder.</summary>
    public static int Train(string outputFolder, Action<IProgressReporter> train)
    {
        ConsoleProgress.Run(train);
        AnsiConsole.MarkupLine($"Run saved in [bold]{Markup.Escape(Path.GetFullPath(outputFolder))}[/]");
        return 0;
    }

    /// <summary>Prints <paramref name="result"/> as indented JSON, the whole output of a <c>--json</c> command.</summary>
    public static void WriteJson(JsonObject result) => Console.WriteLine(result.ToJsonString(Indented));
}
