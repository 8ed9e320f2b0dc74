using System;
using System.Collections.Immutable;
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
/// Turns classes and partial methods attributed with [Input]/[From] and layer attributes into
/// TorchSharp modules, checking every shape. Pipeline: parse (per attributed declaration) →
/// group by type and infer shapes → emit code (from the model only) and report diagnostics (separately).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ModelGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var fromInput = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownSymbols.InputAttributeName,
                static (node, _) => node is ClassDeclarationSyntax or MethodDeclarationSyntax or RecordDeclarationSyntax or StructDeclarationSyntax,
                SafeParse)
            .WithTrackingName(TrackingNames.InputStacks);
        var fromFrom = context.SyntaxProvider.ForAttributeWithMetadataName(
                KnownSymbols.FromAttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                SafeParse)
            .WithTrackingName(TrackingNames.FromStacks);

        var results = fromInput.Collect()
            .Combine(fromFrom.Collect())
            .Select(static (pair, _) => ModelBuilder.BuildAll(pair.Left.AddRange(pair.Right)).ToEquatableArray())
            .WithTrackingName(TrackingNames.Models);

        var models = results
            .SelectMany(static (all, _) => all.Where(r => r.Model is not null).Select(r => r.Model!))
            .WithTrackingName(TrackingNames.Code);
        context.RegisterSourceOutput(models, static (output, model) =>
        {
            try
            {
                output.AddSource(ModelEmitter.HintName(model), ModelEmitter.Emit(model));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                output.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InternalError, null, model.Type.Name, exception.GetType().Name + ": " + exception.Message));
            }
        });

        var diagnostics = results
            .Select(static (all, _) => all.SelectMany(r => r.Diagnostics).ToEquatableArray())
            .WithTrackingName(TrackingNames.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, all) =>
        {
            foreach (var diagnostic in all) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });
    }

    /// <summary>The generator must never throw (CS8785 would hide every model): an internal failure becomes MDSL0999.</summary>
    private static StackParse SafeParse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        try
        {
            return StackParser.Parse(context.TargetSymbol, context.TargetNode, new KnownSymbols(context.SemanticModel.Compilation), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var type = context.TargetSymbol as INamedTypeSymbol ?? context.TargetSymbol.ContainingType;
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.From(context.TargetNode), context.TargetSymbol.Name, exception.GetType().Name + ": " + exception.Message);
            return new StackParse(new TypeSpec(null, type.ToDisplayString(), EquatableArray<string>.Empty), null,
                new StackLocations(null, null, null, null, EquatableArray<LocationInfo>.Empty), ImmutableArray.Create(diagnostic).ToEquatableArray(), 0,
                new TypeUsability(Extensible: true, Constructible: true));
        }
    }
}

/// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string InputStacks = nameof(InputStacks);
    public const string FromStacks = nameof(FromStacks);
    public const string Models = nameof(Models);
    public const string Code = nameof(Code);
    public const string Diagnostics = nameof(Diagnostics);
}
