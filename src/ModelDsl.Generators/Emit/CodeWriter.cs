using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace ModelDsl.Generators.Emit;

/// <summary>Indented C# text with aligned trailing comments.</summary>
internal sealed class CodeWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', 4 * _depth).Append(line);
        _text.Append('\n');
    }

    public void Open()
    {
        Line("{");
        _depth++;
    }

    public void Close()
    {
        _depth--;
        Line("}");
    }

    /// <summary>Statements with their comments lined up in one column.</summary>
    public void Aligned(IReadOnlyList<(string Statement, string Comment)> lines)
    {
        var width = lines.Count == 0 ? 0 : lines.Max(l => l.Statement.Length);
        foreach (var (statement, comment) in lines)
            Line(comment.Length == 0 ? statement : statement.PadRight(width) + "  // " + comment);
    }

    public override string ToString() => _text.ToString();
}
