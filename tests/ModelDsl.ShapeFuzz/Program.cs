using System.Globalization;
using ModelDsl.ShapeFuzz;

// dotnet run --project tests/ModelDsl.ShapeFuzz -c Release -- --count N --seed S [--batch B]
// Ends with "stacks: N, disagreements: D, generator exceptions: E, onnx mismatches: M"; exits 0 only when D, E and M are 0.
var count = 2000;
var seed = 1;
var batch = 250;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--count" when value is not null: count = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--seed" when value is not null: seed = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        case "--batch" when value is not null: batch = int.Parse(value, CultureInfo.InvariantCulture); i++; break;
        default:
            Console.Error.WriteLine("usage: ModelDsl.ShapeFuzz [--count N] [--seed S] [--batch B]");
            return 2;
    }
}

var report = ShapeFuzzer.Run(new FuzzOptions(count, seed, batch), Console.Out);
ShapeFuzzer.WriteSummary(report, Console.Out);
return report.Disagreements.Count == 0 && report.GeneratorExceptions.Count == 0 && report.OnnxMismatches.Count == 0 ? 0 : 1;
