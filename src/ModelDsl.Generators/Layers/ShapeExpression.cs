using System;
using System.Collections.Generic;
using System.Globalization;

namespace ModelDsl.Generators.Layers;

/// <summary>
/// The arithmetic of a custom layer's [ShapeRule]: integers, names, + - * / (division rounds down) and
/// parentheses. Parsing checks the syntax and the names; evaluation uses checked 64-bit arithmetic.
/// </summary>
internal static class ShapeExpression
{
    /// <summary>Null when <paramref name="text"/> is well-formed over <paramref name="names"/>, else what is wrong.</summary>
    public static string? Check(string text, ICollection<string> names)
    {
        try
        {
            new Parser(text, name => names.Contains(name) ? 1 : throw new FormatException($"unknown name '{name}' (known: {string.Join(", ", names)})")).Parse();
            return null;
        }
        catch (FormatException exception)
        {
            return exception.Message;
        }
        catch (DivideByZeroException)
        {
            return null; // only the placeholder values divided by zero; real values decide at evaluation
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    /// <summary>The value of a checked expression; throws <see cref="DivideByZeroException"/> or <see cref="OverflowException"/>.</summary>
    public static long Evaluate(string text, IReadOnlyDictionary<string, long> values) =>
        new Parser(text, name => values[name]).Parse();

    /// <summary>Splits a comma-separated list of expressions.</summary>
    public static string[] Split(string list) =>
        list.Trim().Length == 0 ? [] : Array.ConvertAll(list.Split(','), part => part.Trim());

    private sealed class Parser(string text, Func<string, long> lookup)
    {
        private int _position;

        public long Parse()
        {
            var value = Sum();
            Skip();
            if (_position < text.Length) throw new FormatException($"unexpected '{text[_position]}' at position {_position + 1} of \"{text}\"");
            return value;
        }

        private long Sum()
        {
            var value = Product();
            while (Next('+') || Next('-'))
                value = text[_position - 1] == '+' ? checked(value + Product()) : checked(value - Product());
            return value;
        }

        private long Product()
        {
            var value = Factor();
            while (Next('*') || Next('/'))
            {
                if (text[_position - 1] == '*')
                {
                    value = checked(value * Factor());
                    continue;
                }
                var divisor = Factor();
                if (divisor == 0) throw new DivideByZeroException();
                // Round down, as Python's // and PyTorch's shape formulas do (C# rounds toward zero).
                var quotient = value / divisor;
                value = value % divisor != 0 && (value < 0) != (divisor < 0) ? quotient - 1 : quotient;
            }
            return value;
        }

        private long Factor()
        {
            Skip();
            if (Next('-')) return checked(-Factor());
            if (Next('('))
            {
                var value = Sum();
                if (!Next(')')) throw new FormatException($"missing ')' in \"{text}\"");
                return value;
            }
            var start = _position;
            if (_position < text.Length && char.IsDigit(text[_position]))
            {
                while (_position < text.Length && char.IsDigit(text[_position])) _position++;
                return long.TryParse(text.Substring(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
                    ? number : throw new FormatException($"number too large in \"{text}\"");
            }
            while (_position < text.Length && (char.IsLetterOrDigit(text[_position]) || text[_position] == '_')) _position++;
            if (start == _position) throw new FormatException(_position < text.Length ? $"unexpected '{text[_position]}' at position {_position + 1} of \"{text}\"" : $"\"{text}\" ends too early");
            return lookup(text.Substring(start, _position - start));
        }

        private bool Next(char expected)
        {
            Skip();
            if (_position >= text.Length || text[_position] != expected) return false;
            _position++;
            return true;
        }

        private void Skip()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position])) _position++;
        }
    }
}
