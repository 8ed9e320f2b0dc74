using System;
using System.Linq;

namespace ModelDsl.Generators.Model;

/// <summary>A per-sample tensor shape (batch dimension excluded) and whether it holds integers.</summary>
internal sealed record Shape(EquatableArray<long> Dims, bool IsInteger = false)
{
    public static Shape Of(params long[] dims) => new(dims.ToEquatableArray());

    public int Rank => Dims.Count;

    public long this[int axis] => Dims[axis];

    /// <summary>Channels, height and width of a C×H×W shape.</summary>
    public bool IsSpatial => Rank == 3;

    public long Last => Dims[Rank - 1];

    /// <summary>Elements per sample, or null when the count overflows a long.</summary>
    public long? ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Dims)
            {
                if (dim <= 0) return 0;
                if (count > long.MaxValue / dim) return null;
                count *= dim;
            }
            return count;
        }
    }

    public Shape With(int axis, long value) => new(Dims.Select((d, i) => i == axis ? value : d).ToEquatableArray(), IsInteger);

    public Shape WithLast(long value) => With(Rank - 1, value);

    public Shape AsFloat() => this with { IsInteger = false };

    /// <summary>128×7×7; a scalar is "1 value"; integer shapes say so.</summary>
    public override string ToString()
    {
        var dims = Rank == 0 ? "scalar" : string.Join("×", Dims.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return IsInteger ? "int64 " + dims : dims;
    }

    /// <summary>The C# collection expression of the dimensions, e.g. <c>[128, 7, 7]</c>.</summary>
    public string ToCollectionExpression() => "[" + string.Join(", ", Dims.Select(d => d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
