using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Diagnostics;
using ModelDsl.Generators.Emit;
using ModelDsl.Generators.Inference;
using ModelDsl.Generators.Model;
using ModelDsl.Generators.Parsing;

namespace ModelDsl.Generators;

/// <summary>
/// Turns classes and partial methods attributed with [Input]/[From] and layer attributes into TorchSharp modules.
/// Pipeline: parse (per attributed declaration) → group by type and infer shapes → emit code from the model only.
/// It reports nothing a user can cause: <see cref="ModelAnalyzer"/> reports the MDSL errors from the same parsing
/// and inference, so that every editor shows them as the user types; a model with errors gets throwing stubs here.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var fromInput = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownSymbols.InputAttributeName,
                static (node, _) => StackDeclarations.CanCarryInput(node),
                static (context, cancellationToken) => Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.InputStacks);
        var fromFrom = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownSymbols.FromAttributeName,
                static (node, _) => StackDeclarations.CanCarryFrom(node),
                static (context, cancellationToken) => Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.FromStacks);

        // Models' own forward overrides, which the ONNX export follows; a syntax check first, so only they are bound.
        var forwards = context.SyntaxProvider.CreateSyntaxProvider(
                static (node, _) => ForwardParser.IsCandidate(node),
                static (context, cancellationToken) => ForwardParser.Parse(context, cancellationToken))
            .WithTrackingName(TrackingNames.Forwards);

        var models = fromInput.Collect()
            .Combine(fromFrom.Collect())
            .Select(static (pair, _) => ModelBuilder.BuildAll(pair.Left.AddRange(pair.Right)).Select(r => r.Model).OfType<ModelSpec>().ToEquatableArray())
            .WithTrackingName(TrackingNames.Models)
            .Combine(forwards.Collect())
            .SelectMany(static (pair, _) => pair.Left.Select(model => model with
            {
                Forward = pair.Right.FirstOrDefault(forward => forward is not null && forward.TypeFullName == model.Type.FullName),
            }))
            .WithTrackingName(TrackingNames.Code);
        context.RegisterSourceOutput(models, static (output, model) =>
        {
            try
            {
                output.AddSource(ModelEmitter.HintName(model), ModelEmitter.Emit(model));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Never expected, and nothing the analyzer can see: the one diagnostic the generator reports.
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, model.Type.Name, exception.GetType().Name + ": " + exception.Message));
            }
        });
    }

    private static StackParse Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken) =>
        StackParser.ParseSafely(context.TargetSymbol, context.TargetNode, KnownSymbols.Of(context.SemanticModel.Compilation), cancellationToken);
}

/// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string InputStacks = nameof(InputStacks);
    public const string FromStacks = nameof(FromStacks);
    public const string Forwards = nameof(Forwards);
    public const string Models = nameof(Models);
    public const string Code = nameof(Code);
}

/// <summary>Which declarations can start a stack: the generator and the analyzer must agree.</summary>
internal static class StackDeclarations
{
    public static bool CanCarryInput(SyntaxNode node) =>
        node is ClassDeclarationSyntax or MethodDeclarationSyntax or RecordDeclarationSyntax or StructDeclarationSyntax;

    public static bool CanCarryFrom(SyntaxNode node) => node is MethodDeclarationSyntax;
}
