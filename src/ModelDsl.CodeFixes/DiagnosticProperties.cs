namespace ModelDsl.CodeFixes;

/// <summary>Property keys the generator writes on its diagnostics (ModelDsl.Generators.Model.DiagnosticProperty).</summary>
internal static class DiagnosticProperties
{
    /// <summary>MDSL0003: Replacement0, Replacement1, …, each a full replacement attribute, best first.</summary>
    public const string Replacement = "Replacement";

    /// <summary>MDSL0004: the computed output shape as [Output] arguments, e.g. "1, 27, 27".</summary>
    public const string ComputedOutput = "ComputedOutput";
}
