using ModelDsl.ShapeFuzz;
using Xunit.Abstractions;

namespace ModelDsl.Tests.Fuzzing;

/// <summary>
/// The differential shape fuzzer's fixed-seed CI run: on 2,000 random stacks the generator accepts
/// exactly what TorchSharp runs, with the shapes TorchSharp produces, and ONNX Runtime runs the export of every accepted
/// stack as TorchSharp does (tests/ModelDsl.ShapeFuzz).
/// </summary>
public class ShapeFuzzTests(ITestOutputHelper output)
{
    private const int Stacks = 2000;

    [Fact]
    public void Generator_verdicts_agree_with_TorchSharp_on_random_stacks()
    {
        var log = new StringWriter();
        var report = ShapeFuzzer.Run(new FuzzOptions(Stacks, Seed: 20261125), log);
        ShapeFuzzer.WriteSummary(report, log);
        output.WriteLine(log.ToString());

        Assert.Equal(Stacks, report.Stacks);
        Assert.Empty(report.GeneratorExceptions);
        Assert.Empty(report.Disagreements);
        // The ONNX arm: every accepted stack exported and run in ONNX Runtime, agreeing with TorchSharp.
        Assert.Empty(report.OnnxMismatches);
        Assert.Equal(report.Accepted, report.OnnxChecked);
        // A fuzzer that only builds broken stacks would agree vacuously: both verdicts must be common,
        // and every single-stack layer attribute of the runtime must occur in accepted stacks. Element-wise
        // combinations read a second stack, which the fuzzer's one-stack classes cannot have (analyzer tests cover them).
        Assert.InRange(report.Accepted, Stacks / 4, Stacks * 3 / 4);
        Type[] combinations = [typeof(MultiplyAttribute), typeof(AddAttribute)];
        var layerKinds = typeof(LayerAttribute).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(LayerAttribute)) && !t.IsAbstract && !combinations.Contains(t))
            .Select(t => t.Name[..^"Attribute".Length]);
        Assert.Empty(layerKinds.Except(report.AcceptedKinds.Keys));
    }
}
