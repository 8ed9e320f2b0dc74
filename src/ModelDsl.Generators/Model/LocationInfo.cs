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

/// <summary>An equatable diagnostic: descriptor id, location and message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params object[] arguments) =>
        new(descriptor.Id, location, arguments.Select(a => a?.ToString() ?? "").ToEquatableArray());

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Diagnostics.DiagnosticDescriptors.ById(Id), Location?.ToLocation(), Arguments.Cast<object>().ToArray());
}
