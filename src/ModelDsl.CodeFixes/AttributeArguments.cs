namespace ModelDsl.CodeFixes;

/// <summary>Rewrites an attribute's arguments from the canonical text a diagnostic carries.</summary>
internal static class AttributeArguments
{
    /// <summary>
    /// <paramref name="attribute"/> with the arguments of <paramref name="canonical"/> (e.g. <c>Dense(12)</c>). The name is
    /// kept as written, so a qualified or suffixed name (<c>ModelDsl.DenseAttribute</c>) stays as it is.
    /// </summary>
    public static AttributeSyntax Replace(AttributeSyntax attribute, string canonical)
    {
        var parsed = SyntaxFactory.ParseCompilationUnit($"[{canonical}] class C {{ }}");
        var arguments = ((ClassDeclarationSyntax)parsed.Members[0]).AttributeLists[0].Attributes[0].ArgumentList;
        return attribute.ArgumentList is { } written && arguments is not null
            ? attribute.WithArgumentList(arguments.WithTriviaFrom(written))
            : attribute.WithArgumentList(arguments);
    }
}
