using System.CommandLine;

namespace Models.Mnist.Cli;

/// <summary><c>summary dcgan|dcgan-bn|mlp|acgan|acgan-small|classifier|addition</c>: a model's compile-time summary, one subcommand per kind.</summary>
internal static class SummaryCommand
{
    public static Command Create()
    {
        var summary = new Command("summary", "Print a model's compile-time summary (layers, shapes, parameters)");
        foreach (var kind in ModelKind.All)
        {
            var command = new Command(kind.Name, kind.Description);
            command.SetAction(_ =>
            {
                Console.WriteLine(string.Join("\n\n", kind.Summaries));
                return 0;
            });
            summary.Subcommands.Add(command);
        }
        return summary;
    }
}
