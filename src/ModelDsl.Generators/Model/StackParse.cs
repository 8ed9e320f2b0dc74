namespace ModelDsl.Generators.Model;

/// <summary>Source locations of a stack's attributes, for diagnostics only.</summary>
internal sealed record StackLocations(LocationInfo? Declaration, LocationInfo? Input, LocationInfo? From, LocationInfo? Output, EquatableArray<LocationInfo> Layers);

/// <summary>What generated code the model's type can take, as found while parsing (never read back from diagnostics).</summary>
/// <param name="Extensible">A generated partial declaration can join it (partial, not generic, a class): otherwise no code at all.</param>
/// <param name="Constructible">It can take the generated constructor (no incompatible base, no own parameterless constructor): otherwise stack stubs only.</param>
internal sealed record TypeUsability(bool Extensible, bool Constructible);

/// <summary>What parsing one attributed class or partial method yields.</summary>
/// <param name="Stack">The stack, or null when the declaration cannot become one.</param>
/// <param name="Stub">When <paramref name="Stack"/> is null but the declaration can take generated code: its name and form, for a throwing stub.</param>
internal sealed record StackParse(TypeSpec Type, StackSpec? Stack, StackLocations Locations, EquatableArray<DiagnosticInfo> Diagnostics, int Order, TypeUsability Usability, StackSpec? Stub = null);
