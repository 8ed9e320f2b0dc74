using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.Generators.Model;

/// <summary>An equatable stand-in for <see cref="Location"/>, which holds a syntax tree and must not enter pipeline models.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is null || location.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public static LocationInfo? From(SyntaxNode? node) => node is null ? null : From(node.GetLocation());
}

/// <summary>A key/value a code fix reads from a diagnostic (Roslyn's <c>Diagnostic.Properties</c>).</summary>
/// <remarks>The keys are <see cref="Diagnostics.DiagnosticPropertyKeys"/>.</remarks>
internal sealed record DiagnosticProperty(string Key, string Value);

/// <summary>An equatable diagnostic: descriptor id, location, message arguments and properties for code fixes.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public EquatableArray<DiagnosticProperty> Properties { get; init; } = EquatableArray<DiagnosticProperty>.Empty;

    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor.Id, location, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());

    /// <param name="location">Where to report it: the source location of <see cref="Location"/>.</param>
    public Diagnostic ToDiagnostic(Location? location) =>
        Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(Id), location,
            Properties.ToImmutableDictionary(p => p.Key, p => (string?)p.Value), Arguments.Cast<object>().ToArray());
}
