using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ModelDsl.Generators.Model;

namespace ModelDsl.Generators.Parsing;

/// <summary>
/// Reads a model's <c>forward</c> override into a <see cref="ForwardSpec"/>: a body of <c>var</c> locals and a return
/// (or an expression body) made of stack calls, variables and tuples. Anything else is recorded as unsupported, so the
/// ONNX export writes the stacks one by one and says why.
/// </summary>
internal static class ForwardParser
{
    public static bool IsCandidate(SyntaxNode node) =>
        node is MethodDeclarationSyntax { Identifier.ValueText: "forward" } method && method.Modifiers.Any(SyntaxKind.OverrideKeyword);

    public static ForwardSpec? Parse(GeneratorSyntaxContext context, CancellationToken cancellationToken)
    {
        var syntax = (MethodDeclarationSyntax)context.Node;
        if (context.SemanticModel.GetDeclaredSymbol(syntax, cancellationToken) is not IMethodSymbol method) return null;
        var parameters = method.Parameters.Select(p => p.Name).ToEquatableArray();
        var outputNames = method.ReturnType is INamedTypeSymbol { IsTupleType: true } tuple
            ? tuple.TupleElements.Select((e, i) => e.IsExplicitlyNamedTupleElement ? e.Name : "output" + i).ToEquatableArray()
            : new[] { "output" }.ToEquatableArray();
        var locals = new List<ForwardLocal>();
        var known = new HashSet<string>(parameters);
        string? problem = null;
        ForwardExpression? result = null;

        ForwardExpression? Read(ExpressionSyntax expression)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return Read(parenthesized.Expression);
                case IdentifierNameSyntax identifier when known.Contains(identifier.Identifier.ValueText):
                    return new ForwardExpression(ForwardExpressionKind.Variable, identifier.Identifier.ValueText, EquatableArray<ForwardExpression>.Empty);
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } } call
                    when call.ArgumentList.Arguments.All(a => a.NameColon is null && a.RefKindKeyword.IsKind(SyntaxKind.None)):
                    var name = call.Expression is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText : ((IdentifierNameSyntax)call.Expression).Identifier.ValueText;
                    var arguments = call.ArgumentList.Arguments.Select(a => Read(a.Expression)).ToList();
                    return arguments.Any(a => a is null) ? null
                        : new ForwardExpression(ForwardExpressionKind.StackCall, name, arguments.Select(a => a!).ToEquatableArray());
                case TupleExpressionSyntax tupleExpression when tupleExpression.Arguments.All(a => a.NameColon is null):
                    var items = tupleExpression.Arguments.Select(a => Read(a.Expression)).ToList();
                    return items.Any(i => i is null) ? null : new ForwardExpression(ForwardExpressionKind.Tuple, "", items.Select(i => i!).ToEquatableArray());
                default:
                    problem ??= $"'{expression}' is not a stack call";
                    return null;
            }
        }

        if (syntax.ExpressionBody is { } body)
            result = Read(body.Expression);
        else if (syntax.Body is { } block)
        {
            foreach (var statement in block.Statements)
            {
                if (result is not null || problem is not null)
                {
                    problem ??= $"'{statement}' follows the return";
                    break;
                }
                switch (statement)
                {
                    case LocalDeclarationStatementSyntax { Declaration.Variables.Count: 1 } declaration
                        when declaration.Declaration.Variables[0].Initializer is { } initializer && Read(initializer.Value) is { } value:
                        var variable = declaration.Declaration.Variables[0].Identifier.ValueText;
                        locals.Add(new ForwardLocal(variable, value));
                        known.Add(variable);
                        break;
                    case ReturnStatementSyntax { Expression: { } returned }:
                        result = Read(returned);
                        break;
                    default:
                        problem ??= $"'{statement}' is not a local made by stack calls, nor a return of them";
                        break;
                }
            }
        }
        if (result is null) problem ??= "it returns no stack's output";
        return new ForwardSpec(FullName(method.ContainingType), parameters, locals.ToEquatableArray(), problem is null ? result : null, outputNames, problem);
    }

    /// <summary>The type's name as <see cref="TypeSpec.FullName"/> writes it: namespace, enclosing types, name.</summary>
    private static string FullName(INamedTypeSymbol type)
    {
        var names = new List<string> { type.Name };
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType) names.Insert(0, outer.Name);
        if (!type.ContainingNamespace.IsGlobalNamespace) names.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", names);
    }
}
