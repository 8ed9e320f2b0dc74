using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using NUnit.Framework;

namespace ModelDsl.Analyzers.Tests.Editor;

/// <summary>
/// ModelDsl's errors in a real editor session: csharp-ls (the local tool of .config/dotnet-tools.json) on a consumer
/// project that references the built assemblies, driven over stdio as an editor drives it, with no build at all.
/// </summary>
[NonParallelizable]  // it times edits on a 2-core machine; nothing else should run beside it
public sealed class LanguageServerTests
{
    private static readonly TimeSpan WorkspaceLoad = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan EditAnswer = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ToolRun = TimeSpan.FromMinutes(4);
    private const int TimedEdits = 5;

    private const string FittingUpsampling = "Conv2DTranspose(128, 4, stride: 2, padding: Padding.Same)";
    private const string BrokenUpsampling = "Conv2DTranspose(128, 3, stride: 2, padding: 1)";
    private const string FittingOutput = "Output(1, 28, 28)";
    private const string WrongOutput = "Output(1, 28, 27)";

    // The README's DCGAN generator: 100 → 6272 → 128×7×7 → 128×14×14 → 128×28×28 → 1×28×28.
    private static string Model(string output, string secondUpsampling) => $$"""
        using ModelDsl;

        namespace Consumer;

        [Input(100)]
        [Dense(128 * 7 * 7)] [LeakyReLU(0.2)]
        [Reshape(128, 7, 7)]
        [{{FittingUpsampling}}] [LeakyReLU(0.2)]
        [{{secondUpsampling}}] [LeakyReLU(0.2)]
        [Conv2D(1, 7, padding: Padding.Same)] [Sigmoid]
        [{{output}}]
        public partial class DcganGenerator;
        """;

    [Test]
    public async Task Csharp_ls_shows_the_errors_as_the_user_types_and_clears_them_when_fixed()
    {
        var consumer = Directory.CreateTempSubdirectory("modeldsl-lsp-");
        try
        {
            await RunToolAsync(RepoRoot.Path, "tool", "restore");
            var modelPath = WriteConsumer(consumer.FullName, Model(WrongOutput, FittingUpsampling));
            await RunToolAsync(consumer.FullName, "restore");

            await using var editor = await Editor.OpenAsync(consumer.FullName, modelPath);
            var loading = Stopwatch.StartNew();
            var wrongOutput = await editor.WaitForDiagnosticsAsync(HasMdsl, WorkspaceLoad, "the wrong [Output]'s MDSL error once the workspace loads");
            TestContext.Progress.WriteLine($"csharp-ls: workspace loaded, first MDSL diagnostic after {loading.Elapsed.TotalSeconds:0.0} s");
            Assert.That(wrongOutput.Select(Describe), Is.EqualTo(new[]
            {
                $"MDSL0004 {RangeOf(editor.Text, WrongOutput)}: 'DcganGenerator' ends at 1×28×28 but [Output] promises 1×28×27 " +
                "(100 → 6272 → 128×7×7 → 128×14×14 → 128×28×28 → 1×28×28); no single argument of one layer fixes it: " +
                "check the layers, or write [Output(1, 28, 28)]",
            }));

            // README's Diagnostics section says what csharp-ls shows beyond the errors; these keep it true.
            var hover = await editor.RequestAsync("textDocument/hover", editor.At(PositionOf(editor.Text, "DcganGenerator;")));
            TestContext.Progress.WriteLine($"hover on the model class: {hover?["contents"]?.ToJsonString()}");
            Assert.That((string?)hover?["contents"]?["value"], Is.EqualTo("```csharp\nDcganGenerator\n```"),
                "csharp-ls's hover on a model class was its name alone, without the generated summary; README says so");
            Assert.That(await editor.CodeActionTitlesAsync(wrongOutput[0]!), Has.None.StartWith("Set [Output"),
                "csharp-ls offered no ModelDsl code fix (it runs only Roslyn's own); README says so");

            await editor.ChangeAsync(Model(FittingOutput, FittingUpsampling));
            await editor.WaitForDiagnosticsAsync(d => d.Count == 0, EditAnswer, "no diagnostic once [Output] is fixed");

            var latencies = new List<TimeSpan>();
            for (var edit = 0; edit < TimedEdits; edit++)
            {
                var typed = Stopwatch.StartNew();
                await editor.ChangeAsync(Model(FittingOutput, BrokenUpsampling));
                var broken = await editor.WaitForDiagnosticsAsync(HasMdsl, EditAnswer, "MDSL0003 after breaking the second upsampling (7 → 14 → 27)");
                latencies.Add(typed.Elapsed);

                Assert.That(broken.Select(Describe), Is.EqualTo(new[]
                {
                    $"MDSL0003 {RangeOf(editor.Text, BrokenUpsampling)}: Conv2DTranspose(128, 3, stride: 2, padding: 1) turns 128×14×14 " +
                    "into 128×27×27, so 'DcganGenerator' ends at 1×27×27 but [Output] promises 1×28×28 " +
                    "(100 → 6272 → 128×7×7 → 128×14×14 → 128×27×27 → 1×27×27); kernel 4, outputPadding: 1 or padding: Padding.Same would give 1×28×28",
                }));
                if (edit == 0)
                    Assert.That(await editor.CodeActionTitlesAsync(broken[0]!), Has.None.StartWith("Change to ["),
                        "csharp-ls offered no ModelDsl code fix (it runs only Roslyn's own); README says so");

                await editor.ChangeAsync(Model(FittingOutput, FittingUpsampling));
                await editor.WaitForDiagnosticsAsync(d => d.Count == 0, EditAnswer, "no diagnostic once the upsampling is fixed");
            }
            var median = latencies.Order().ElementAt(latencies.Count / 2);
            TestContext.Progress.WriteLine(
                $"csharp-ls: breaking didChange → first diagnostic answer with MDSL0003: median {median.TotalMilliseconds:0} ms " +
                $"of {latencies.Count} edits ({string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:0}"))} ms)");
        }
        finally
        {
            consumer.Delete(recursive: true);
        }
    }

    private static bool HasMdsl(JsonArray diagnostics) =>
        diagnostics.Any(d => ((string?)d!["code"])?.StartsWith("MDSL", StringComparison.Ordinal) == true);

    private static string Describe(JsonNode? diagnostic) => $"{diagnostic!["code"]} {Range(diagnostic["range"]!)}: {diagnostic["message"]}";

    private static string Range(JsonNode range) =>
        $"{range["start"]!["line"]}:{range["start"]!["character"]}-{range["end"]!["line"]}:{range["end"]!["character"]}";

    /// <summary>The LSP range (0-based line:character) of <paramref name="snippet"/>, which sits on one line of <paramref name="text"/>.</summary>
    private static string RangeOf(string text, string snippet)
    {
        var (line, character) = PositionOf(text, snippet);
        return $"{line}:{character}-{line}:{character + snippet.Length}";
    }

    private static (int Line, int Character) PositionOf(string text, string snippet)
    {
        var offset = text.IndexOf(snippet, StringComparison.Ordinal);
        Assert.That(offset, Is.GreaterThanOrEqualTo(0), $"'{snippet}' is not in the model");
        var lineStart = text.LastIndexOf('\n', Math.Max(offset - 1, 0)) + 1;
        return (text[..offset].Count(c => c == '\n'), offset - lineStart);
    }

    /// <summary>A library project outside the repository, as a user's: the built ModelDsl assemblies and TorchSharp.</summary>
    private static string WriteConsumer(string folder, string model)
    {
        var built = AppContext.BaseDirectory;
        var torchSharp = XDocument.Load(RepoRoot.FilePath("Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == "TorchSharp").Attribute("Version")!.Value;
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="TorchSharp" Version="{torchSharp}" />
                <Reference Include="{Path.Combine(built, "ModelDsl.Abstractions.dll")}" />
                <Reference Include="{Path.Combine(built, "ModelDsl.Runtime.dll")}" />
                <Analyzer Include="{Path.Combine(built, "ModelDsl.Generators.dll")}" />
                <Analyzer Include="{Path.Combine(built, "ModelDsl.CodeFixes.dll")}" />
                <!-- What ModelDsl.Runtime.targets adds for the package's users. -->
                <Using Include="TorchSharp.Padding" Alias="Padding" />
              </ItemGroup>
            </Project>
            """);
        var modelPath = Path.Combine(folder, "DcganGenerator.cs");
        File.WriteAllText(modelPath, model);
        return modelPath;
    }

    private static async Task RunToolAsync(string folder, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ToolRun);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet {string.Join(' ', arguments)} did not finish within {ToolRun.TotalMinutes:0} min in {folder}");
        }
        Assert.That(process.ExitCode, Is.Zero, $"dotnet {string.Join(' ', arguments)} failed in {folder}:\n{await output}\n{await errors}");
    }

    /// <summary>One open document in a csharp-ls session, with analyzers on as an editor's settings turn them on.</summary>
    private sealed class Editor : IAsyncDisposable
    {
        private readonly LspClient _server;
        private int _version = 1;

        private Editor(LspClient server, string uri, string text)
        {
            _server = server;
            Document = new JsonObject { ["uri"] = uri };
            Text = text;
        }

        public JsonObject Document { get; }

        public string Text { get; private set; }

        public static async Task<Editor> OpenAsync(string folder, string path)
        {
            var server = LspClient.Start(
                new ProcessStartInfo("dotnet", ["tool", "run", "csharp-ls"]) { WorkingDirectory = RepoRoot.Path },
                AnswerServerRequest);
            var editor = new Editor(server, new Uri(path).AbsoluteUri, File.ReadAllText(path));
            try
            {
                var rootUri = new Uri(folder).AbsoluteUri;
                await server.RequestAsync("initialize", new JsonObject
                {
                    ["processId"] = Environment.ProcessId,
                    ["rootUri"] = rootUri,
                    ["workspaceFolders"] = new JsonArray(new JsonObject { ["uri"] = rootUri, ["name"] = "consumer" }),
                    ["capabilities"] = new JsonObject
                    {
                        ["workspace"] = new JsonObject { ["configuration"] = true, ["workspaceFolders"] = true },
                        ["textDocument"] = new JsonObject
                        {
                            ["synchronization"] = new JsonObject { ["didSave"] = true },
                            ["diagnostic"] = new JsonObject { ["dynamicRegistration"] = false },
                            ["hover"] = new JsonObject { ["contentFormat"] = new JsonArray("markdown", "plaintext") },
                            ["codeAction"] = new JsonObject
                            {
                                ["codeActionLiteralSupport"] = new JsonObject
                                {
                                    ["codeActionKind"] = new JsonObject { ["valueSet"] = new JsonArray("", "quickfix", "refactor") },
                                },
                                ["resolveSupport"] = new JsonObject { ["properties"] = new JsonArray("edit") },
                            },
                        },
                    },
                }, EditAnswer);
                await server.NotifyAsync("initialized", new JsonObject());
                await server.NotifyAsync("textDocument/didOpen", new JsonObject
                {
                    ["textDocument"] = new JsonObject
                    {
                        ["uri"] = editor.Document["uri"]!.DeepClone(),
                        ["languageId"] = "csharp",
                        ["version"] = editor._version,
                        ["text"] = editor.Text,
                    },
                });
                return editor;
            }
            catch
            {
                await editor.DisposeAsync();
                throw;
            }
        }

        /// <summary>What an editor answers: the "csharp" settings section turns analyzers on; registrations and progress are acknowledged.</summary>
        private static JsonNode? AnswerServerRequest(string method, JsonNode? parameters) => method switch
        {
            "workspace/configuration" => new JsonArray([.. parameters!["items"]!.AsArray().Select(item =>
                (string?)item!["section"] == "csharp" ? new JsonObject { ["analyzersEnabled"] = true } : (JsonNode?)null)]),
            _ => null,
        };

        public JsonObject At((int Line, int Character) position) => new()
        {
            ["textDocument"] = Document.DeepClone(),
            ["position"] = new JsonObject { ["line"] = position.Line, ["character"] = position.Character },
        };

        public Task<JsonNode?> RequestAsync(string method, JsonObject parameters) => _server.RequestAsync(method, parameters, EditAnswer);

        /// <summary>The titles of the code actions offered where <paramref name="diagnostic"/> sits, as a light bulb lists them.</summary>
        public async Task<string[]> CodeActionTitlesAsync(JsonNode diagnostic)
        {
            var actions = await RequestAsync("textDocument/codeAction", new JsonObject
            {
                ["textDocument"] = Document.DeepClone(),
                ["range"] = diagnostic["range"]!.DeepClone(),
                ["context"] = new JsonObject { ["diagnostics"] = new JsonArray(diagnostic.DeepClone()) },
            });
            var titles = actions?.AsArray().Select(action => (string)action!["title"]!).ToArray() ?? [];
            TestContext.Progress.WriteLine($"code actions at {diagnostic["code"]}: {string.Join(" | ", titles)}");
            return titles;
        }

        /// <summary>Replaces the whole text, as an editor without incremental sync sends it.</summary>
        public Task ChangeAsync(string text)
        {
            Text = text;
            return _server.NotifyAsync("textDocument/didChange", new JsonObject
            {
                ["textDocument"] = new JsonObject { ["uri"] = Document["uri"]!.DeepClone(), ["version"] = ++_version },
                ["contentChanges"] = new JsonArray(new JsonObject { ["text"] = text }),
            });
        }

        /// <summary>Pulls the document's diagnostics until they satisfy <paramref name="expected"/>, as an editor refreshing them.</summary>
        public async Task<JsonArray> WaitForDiagnosticsAsync(Func<JsonArray, bool> expected, TimeSpan timeout, string what)
        {
            var waiting = Stopwatch.StartNew();
            var last = new JsonArray();
            while (waiting.Elapsed < timeout)
            {
                var report = await _server.RequestAsync("textDocument/diagnostic", new JsonObject { ["textDocument"] = Document.DeepClone() }, timeout);
                last = report?["items"]?.AsArray() ?? [];
                if (expected(last)) return last;
                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
            Assert.Fail($"csharp-ls did not show {what} within {timeout.TotalSeconds:0} s; its last diagnostics: {last.ToJsonString()}\n{_server.ServerLogTail()}");
            return last;
        }

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }
}
