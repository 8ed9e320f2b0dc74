using static TorchSharp.torch;

namespace Models.Mnist.Data;

/// <summary>One question of Keras' addition_rnn: <c>A+B</c> for whole numbers of up to three digits.</summary>
internal readonly record struct AdditionQuestion(int A, int B)
{
    /// <summary>As a person writes it, e.g. <c>12+345</c>.</summary>
    public string Question => string.Create(CultureInfo.InvariantCulture, $"{A}+{B}");

    /// <summary>The sum as written, e.g. <c>357</c>.</summary>
    public string Answer => (A + B).ToString(CultureInfo.InvariantCulture);

    /// <summary>What the network reads: the question padded with spaces to 7 characters, then reversed as Keras does (<c>" 543+21"</c>).</summary>
    public string EncodedQuestion
    {
        get
        {
            var padded = Question.PadRight(AdditionQuestions.QuestionLength).ToCharArray();
            Array.Reverse(padded);
            return new string(padded);
        }
    }

    /// <summary>What the network writes: the sum padded with spaces to 4 characters (<c>"357 "</c>).</summary>
    public string EncodedAnswer => Answer.PadRight(AdditionQuestions.AnswerLength);
}

/// <summary>
/// Keras' addition_rnn data: distinct questions drawn from a seed, the question one-hot over 12 symbols (reversed:
/// the digits that are added first come first, which Keras found to train much faster), the answer as symbol indices.
/// </summary>
internal static class AdditionQuestions
{
    /// <summary>The symbols questions and answers are written in; a symbol's index is its one-hot position.</summary>
    public const string Symbols = "0123456789+ ";

    public const int MaxDigits = 3;

    /// <summary>"999+999": two numbers and the plus sign.</summary>
    public const int QuestionLength = 2 * MaxDigits + 1;

    /// <summary>"1998": one digit more than the numbers.</summary>
    public const int AnswerLength = MaxDigits + 1;

    /// <summary>
    /// The most questions <see cref="Generate"/> draws: a fraction of the 500,500 distinct ones (pairs without order of
    /// 0–999), as the last of those would take ever more draws to find.
    /// </summary>
    public const int MaxCount = 200_000;

    /// <summary>
    /// <paramref name="count"/> distinct questions, a function of <paramref name="seed"/> alone. As in Keras each number
    /// has 1 to 3 digits, the length drawn first, and a+b and b+a count as one question.
    /// </summary>
    public static IReadOnlyList<AdditionQuestion> Generate(int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxCount);
        var random = new Random(seed);
        var seen = new HashSet<(int, int)>();
        var questions = new List<AdditionQuestion>(count);
        while (questions.Count < count)
        {
            var (a, b) = (Number(random), Number(random));
            if (seen.Add((Math.Min(a, b), Math.Max(a, b)))) questions.Add(new AdditionQuestion(a, b));
        }
        return questions;
    }

    /// <summary>A number of 1 to 3 random digits (a leading zero makes it shorter, as in Keras).</summary>
    private static int Number(Random random)
    {
        var number = 0;
        for (var digits = random.Next(1, MaxDigits + 1); digits > 0; digits--) number = number * 10 + random.Next(10);
        return number;
    }

    /// <summary>The questions' one-hot encoding: N×7×12 floats.</summary>
    public static Tensor OneHotQuestions(IReadOnlyList<AdditionQuestion> questions)
    {
        var values = new float[questions.Count * QuestionLength * Symbols.Length];
        for (var i = 0; i < questions.Count; i++)
        {
            var text = questions[i].EncodedQuestion;
            for (var position = 0; position < QuestionLength; position++)
                values[(i * QuestionLength + position) * Symbols.Length + SymbolIndex(text[position])] = 1;
        }
        return tensor(values, [questions.Count, QuestionLength, Symbols.Length]);
    }

    /// <summary>The answers as symbol indices: N×4 int64, the targets of a cross-entropy over the symbols.</summary>
    public static Tensor AnswerIndices(IReadOnlyList<AdditionQuestion> questions)
    {
        var values = new long[questions.Count * AnswerLength];
        for (var i = 0; i < questions.Count; i++)
        {
            var text = questions[i].EncodedAnswer;
            for (var position = 0; position < AnswerLength; position++) values[i * AnswerLength + position] = SymbolIndex(text[position]);
        }
        return tensor(values, [questions.Count, AnswerLength]);
    }

    /// <summary>The text of symbol indices, e.g. a predicted answer.</summary>
    public static string Decode(IEnumerable<long> indices) => string.Concat(indices.Select(i => Symbols[(int)i]));

    private static int SymbolIndex(char symbol) => Symbols.IndexOf(symbol, StringComparison.Ordinal);
}
