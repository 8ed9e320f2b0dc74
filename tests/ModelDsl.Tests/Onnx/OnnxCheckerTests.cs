using System.Diagnostics;
using ModelDsl.Export;
using ModelDsl.Onnx;
using ModelDsl.Tests.App;
using ModelDsl.Tests.Support;
using static TorchSharp.torch;

namespace ModelDsl.Tests.Onnx;

/// <summary>
/// ONNX's own checker (Debian's python3-onnx 1.12, where installed) accepts the export of every model, shape inference
/// included: the files are valid ONNX for the oldest reader the export promises, not only for ONNX Runtime.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class OnnxCheckerTests : IDisposable
{
    private const string Python = "/usr/bin/python3";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [SkippableFact]
    public void Onnx_checker_accepts_every_models_export()
    {
        Skip.IfNot(Run("-c", "import onnx").Exit == 0, $"ONNX's checker is not installed ({Python} cannot import onnx: apt-get install python3-onnx)");
        var files = new List<string>();
        foreach (var model in OnnxExportTests.Cases)
        {
            using var scope = NewDisposeScope();
            var file = _folder.File(model.Name + ".onnx");
            OnnxExport.Save((IOnnxExportable)model.Create(), file, model.Name);
            files.Add(file);
        }
        const string check = "import onnx, sys\nfor f in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(f), full_check=True)\n    print('ok', f)";
        var (exit, output) = Run(["-c", check, .. files]);
        Assert.True(exit == 0, output);
        Assert.Equal(files.Count, output.Split('\n').Count(line => line.StartsWith("ok ", StringComparison.Ordinal)));
    }

    private static (int Exit, string Output) Run(params string[] arguments)
    {
        if (!File.Exists(Python)) return (-1, $"{Python} does not exist");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }
}
