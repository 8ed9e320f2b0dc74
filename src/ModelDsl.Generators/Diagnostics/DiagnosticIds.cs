namespace ModelDsl.Generators.Diagnostics;

/// <summary>
/// The stable ID of every ModelDsl diagnostic, named as its descriptor in <see cref="DiagnosticDescriptors"/>. Public
/// constants, so the code fixes (and tests) compile against them instead of retyping them.
/// </summary>
public static class DiagnosticIds
{
    public const string MissingInput = "MDSL0001";
    public const string NotPartial = "MDSL0002";
    public const string OutputMismatchWithFix = "MDSL0003";
    public const string OutputMismatch = "MDSL0004";
    public const string DimensionNotPositive = "MDSL0005";
    public const string KernelLargerThanInput = "MDSL0006";
    public const string ReshapeCountMismatch = "MDSL0007";
    public const string WrongRank = "MDSL0008";
    public const string EmbeddingNeedsIntegers = "MDSL0009";
    public const string IntegersNeedEmbedding = "MDSL0010";
    public const string UnknownStack = "MDSL0011";
    public const string StackCycle = "MDSL0012";
    public const string InvalidArgument = "MDSL0013";
    public const string LayersInSeveralDeclarations = "MDSL0014";
    public const string InputAndFrom = "MDSL0015";
    public const string InvalidStackMethod = "MDSL0016";
    public const string NotAModule = "MDSL0017";
    public const string ElementCountOverflow = "MDSL0018";
    public const string UnsupportedType = "MDSL0019";
    public const string ConstructorConflict = "MDSL0020";
    public const string OutputOnEmptyInput = "MDSL0021";
    public const string InvalidInput = "MDSL0022";
    public const string UnknownLayer = "MDSL0023";
    public const string InvalidOutput = "MDSL0024";
    public const string DuplicateStack = "MDSL0025";
    public const string CustomLayerInputMismatch = "MDSL0026";
    public const string CustomLayerRuleFails = "MDSL0027";
    public const string OperandsDoNotBroadcast = "MDSL0028";
}

/// <summary>Keys of the properties diagnostics carry for the code fixes.</summary>
public static class DiagnosticPropertyKeys
{
    /// <summary>MDSL0003: Replacement0, Replacement1, …, each a full replacement attribute, best first.</summary>
    public const string Replacement = "Replacement";

    /// <summary>MDSL0004: the computed output shape as [Output] arguments, e.g. "1, 27, 27".</summary>
    public const string ComputedOutput = "ComputedOutput";
}
