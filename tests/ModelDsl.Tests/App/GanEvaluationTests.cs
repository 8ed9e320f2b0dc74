using System.Text.Json.Nodes;
using Models.Mnist.Cli;
using Models.Mnist.Data;
using Models.Mnist.Evaluation;
using ModelDsl.Evaluation;
using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using Spectre.Console;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>What an evaluation adds to history.jsonl, the quality plot drawn from it, and the readable report.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class GanEvaluationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static GanEvaluation Evaluation(double fid, ClassAccuracy? classAccuracy = null)
    {
        using var generated = tensor(new long[] { 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9 });
        using var real = arange(0, 100, ScalarType.Int64).remainder(10);
        return new GanEvaluation(12, 1, fid, 0.5, new InceptionScoreResult(8.5, 0.1, 10), new InceptionScoreResult(9.8, 0.02, 10),
            ClassHistogram.Of(generated, 10), ClassHistogram.Of(real, 10), 0.8, 0.4)
        {
            ClassAccuracy = classAccuracy,
            Variety = new ClassVariety(FrechetPerDigit, [.. FrechetPerDigit.Select(d => d is null ? (double?)null : 0.5)], MinimumSamples: 10),
            VarietyByRequestedDigit = classAccuracy is not null,
        };
    }

    // Digit 3 had too few samples.
    private static readonly double?[] FrechetPerDigit = [20, 30, 40, null, 10, 10, 10, 10, 10, 10];

    [Fact]
    public void Appending_to_a_history_line_adds_every_figure_and_refuses_a_name_twice()
    {
        var history = new JsonObject { ["epoch"] = 3, ["d_loss"] = 0.6 };
        Evaluation(12.5, new ClassAccuracy([0.9, 1, 1, 1, 1, 1, 1, 1, 1, 0.8], 10)).AppendTo(history);

        Assert.Equal(12.5, history["fid"]!.GetValue<double>());
        Assert.Equal(0.5, history["fid_floor"]!.GetValue<double>());
        Assert.Equal(8.5, history["mnist_score"]!.GetValue<double>());
        Assert.Equal(0.8, history["d_acc_real_test"]!.GetValue<double>());
        Assert.Equal(0.97, history["class_accuracy"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.8, history["class_accuracy_worst"]!.GetValue<double>());
        Assert.Equal(2.0 / 12, history["class_shares"]![1]!.GetValue<double>(), 1e-12);
        Assert.False(history["mode_collapse_suspected"]!.GetValue<bool>());
        Assert.Equal(FrechetPerDigit, history["fid_per_class"]!.AsArray().Select(d => d?.GetValue<double>()));
        Assert.Equal(150.0 / 9, history["fid_per_class_mean"]!.GetValue<double>(), 1e-12);
        Assert.Equal(0.5, history["spread_ratio"]!.GetValue<double>());
        Assert.Equal("requested", history["fid_per_class_by"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => Evaluation(1).AppendTo(history));
    }

    [Fact]
    public void The_quality_plot_draws_the_evaluated_steps_of_a_history()
    {
        var history = new List<JsonObject> { new() { ["epoch"] = 1, ["step"] = 10 } };
        foreach (var (epoch, fid) in new[] { (2, 30.0), (4, 12.0) })
        {
            var line = new JsonObject { ["epoch"] = epoch, ["step"] = epoch * 10 };
            Evaluation(fid).AppendTo(line);
            history.Add(JsonNode.Parse(line.ToJsonString())!.AsObject());
        }
        history.Add(new JsonObject { ["epoch"] = 5, ["step"] = 50 });
        var path = _folder.File("quality.png");

        QualityPlot.Save(path, history);

        Assert.Equal(800, PngFile.Load(path).Width);
    }

    [Fact]
    public void The_readable_report_puts_each_figure_beside_the_real_digits_value()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No });
        // Wide enough that no cell wraps.
        AnsiConsole.Console.Profile.Width = 200;
        try
        {
            EvaluationReport.Write(Evaluation(12.5, new ClassAccuracy(Enumerable.Repeat(0.95, 10).ToArray(), 10)), DataSet.Kmnist, "g.ckpt", "c.ckpt");
        }
        finally
        {
            AnsiConsole.Console = console;
        }

        var text = output.ToString();
        Assert.Contains("FID-MNIST", text);
        Assert.Contains("12.50", text);
        Assert.Contains("8.50 ± 0.10", text);
        Assert.Contains("9.80 ± 0.02 (test set)", text);
        Assert.Contains("40.0% called fake", text);
        Assert.Contains("95.0%", text);
        Assert.Contains("χ²", text);
        Assert.Contains("16.67 (mean over digits)", text);
        Assert.Contains("each digit by its requested label, ≥ 10 samples", text);
        Assert.Contains("spread ratio", text);
        Assert.Contains("│ tsu ", text); // the class table names each class as the data set does
    }
}
