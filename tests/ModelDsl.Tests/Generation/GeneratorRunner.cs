using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ModelDsl.Generators;

namespace ModelDsl.Tests.Generation;

/// <summary>Runs the ModelDsl generator over source files in an offline compilation (reference assemblies from Basic.Reference.Assemblies).</summary>
internal static class GeneratorRunner
{
    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Basic.Reference.Assemblies.Net100.References.All,
        MetadataReference.CreateFromFile(typeof(InputAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(CustomLayerAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location),
    ];

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Preview);

    public static (Compilation Output, GeneratorDriverRunResult Result) Run(params (string Path, string Text)[] sources)
    {
        var driver = CSharpGeneratorDriver.Create([new ModelGenerator().AsSourceGenerator()], parseOptions: ParseOptions)
            .RunGeneratorsAndUpdateCompilation(Compile(sources), out var output, out _);
        return (output, driver.GetRunResult());
    }

    public static Compilation Compile(params (string Path, string Text)[] sources)
    {
        var parseOptions = ParseOptions;
        return CSharpCompilation.Create("Snapshots",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, s.Path)),
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                // TorchSharp targets net8.0; unifying its System.Runtime reference with net10's is expected.
                .WithSpecificDiagnosticOptions([new("CS1701", ReportDiagnostic.Suppress), new("CS1702", ReportDiagnostic.Suppress)]));
    }
}
