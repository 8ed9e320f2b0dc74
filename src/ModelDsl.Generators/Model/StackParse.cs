namespace ModelDsl.Generators.Model;

/// <summary>Source locations of a stack's attributes, for diagnostics only.</summary>
internal sealed record StackLocations(LocationInfo? Declaration, LocationInfo? Input, LocationInfo? From, LocationInfo? Output, EquatableArray<LocationInfo> Layers);

/// <summary>What parsing one attributed class or partial method yields.</summary>
/// <param name="Stack">The stack, or null when the declaration cannot become one.</param>
/// <param name="Stub">When <paramref name="Stack"/> is null but the declaration can take generated code: its name and form, for a throwing stub.</param>
internal sealed record StackParse(TypeSpec Type, StackSpec? Stack, StackLocations Locations, EquatableArray<DiagnosticInfo> Diagnostics, int Order, StackSpec? Stub = null);
