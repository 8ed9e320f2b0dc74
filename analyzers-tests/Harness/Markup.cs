using Microsoft.CodeAnalysis.Text;

namespace ModelDsl.Analyzers.Tests.Harness;

/// <summary>A span that a test source marks with <c>{|ID:text|}</c>: the diagnostic ID expected there.</summary>
internal sealed record MarkedSpan(string FilePath, string Id, TextSpan Span);

/// <summary>Strips <c>{|ID:…|}</c> markup from a test source, remembering where each marked span lies in the clean text.</summary>
internal static class Markup
{
    public static (string Source, IReadOnlyList<MarkedSpan> Spans) Parse(string filePath, string markup)
    {
        var source = new System.Text.StringBuilder(markup.Length);
        var open = new Stack<(string Id, int Start)>();
        var spans = new List<MarkedSpan>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (markup[i] == '{' && i + 1 < markup.Length && markup[i + 1] == '|')
            {
                var colon = markup.IndexOf(':', i + 2);
                open.Push((markup[(i + 2)..colon], source.Length));
                i = colon;
            }
            else if (markup[i] == '|' && i + 1 < markup.Length && markup[i + 1] == '}')
            {
                var (id, start) = open.Pop();
                spans.Add(new MarkedSpan(filePath, id, TextSpan.FromBounds(start, source.Length)));
                i++;
            }
            else
            {
                source.Append(markup[i]);
            }
        }
        if (open.Count > 0) throw new ArgumentException($"Unclosed markup span {open.Peek().Id} in {filePath}");
        return (source.ToString(), spans.OrderBy(s => s.Span.Start).ToList());
    }
}
