namespace ModelDsl.ShapeFuzz;

/// <summary>
/// Random stacks over the whole vocabulary. Each layer is run in TorchSharp as soon as it is chosen, so
/// the next one can be chosen to fit the real shape (most stacks get deep before anything fails) or,
/// now and then, not to fit; any argument may take an invalid or edge value. After TorchSharp throws,
/// the stack usually ends; otherwise it goes on blind. Shapes only steer the choice: the verdict is
/// the generator's against TorchSharp's run, which comes out of the same pass.
/// </summary>
public sealed class StackGenerator(Random random)
{
    /// <summary>Per-sample elements above which no layer that grows the tensor is chosen (keeps runs fast).</summary>
    private const long GrowthBudget = 16_384;

    private const double EdgeChance = 0.04;

    /// <summary>Time steps above which no LSTM or GRU is chosen (each step is a kernel call of its own).</summary>
    private const long MaxSequenceSteps = 256;

    public (FuzzStack Stack, OracleTrace Trace) Next()
    {
        var input = NextInput();
        using var run = new TorchRun(input);
        var sample = input.Dims.Select(d => (long)d).ToArray();
        var isInteger = input.IsInteger;
        var running = run.Shape is not null;
        var layers = new List<FuzzLayer>();
        var length = random.Next(1, 9);
        while (layers.Count < length)
        {
            var layer = NextLayer(sample, isInteger);
            layers.Add(layer);
            if (!running) continue;
            if (!run.Apply(layer))
            {
                running = false;
                if (random.NextDouble() < 0.7) break;
                continue;
            }
            sample = run.Shape![1..];
            isInteger = run.IsInteger;
        }
        return (new FuzzStack(input, layers), run.Trace);
    }

    private FuzzInput NextInput()
    {
        var roll = random.NextDouble();
        if (roll < 0.45)
        {
            var height = random.Next(1, 25);
            return Float(random.Next(1, 5), height, Chance(0.7) ? height : random.Next(1, 25));
        }
        if (roll < 0.70) return Float(random.Next(1, 49));
        if (roll < 0.82) return new FuzzInput(Dims(Pick(0, 1, 1, 2), 1, 7), IsInteger: true);
        if (roll < 0.95) return new FuzzInput(Dims(Pick(0, 2, 4), 1, 7), IsInteger: false);
        var dims = Dims(random.Next(1, 4), 1, 7);
        dims[random.Next(dims.Length)] = Pick(0, -1);
        return new FuzzInput(dims, IsInteger: Chance(0.2));
    }

    private static FuzzInput Float(params int[] dims) => new(dims, IsInteger: false);

    private int[] Dims(int rank, int min, int max) => Enumerable.Range(0, rank).Select(_ => random.Next(min, max)).ToArray();

    private delegate FuzzLayer Maker(long[] sample);

    private FuzzLayer NextLayer(long[] sample, bool isInteger)
    {
        var elements = sample.Aggregate(1L, (a, d) => a * Math.Max(d, 1));
        var small = elements <= GrowthBudget;
        var choices = new List<(double Weight, Maker Make)>();
        void Add(double weight, Maker make) => choices.Add((weight, make));

        if (Chance(0.15))
        {
            // Anything, fitting or not (but nothing that grows a large tensor further).
            foreach (var make in new Maker[] { NextDense, NextConv2D, NextMaxPooling, NextAveragePooling, NextBatchNormalization,
                         NextDropout, _ => new Flatten(), NextReshape, NextEmbedding, NextLeakyReLU, NextActivation })
                Add(1, make);
            if (!IsLongSequence(sample)) Add(1, NextRecurrent);
            foreach (var grow in new Maker[] { NextConv2DTranspose, NextUpSampling, NextZeroPadding, NextRepeatVector })
                if (small) Add(1, grow);
        }
        else if (isInteger)
        {
            Add(6, NextEmbedding);
            Add(1, _ => new Flatten());
            Add(1, NextReshape);
        }
        else if (sample.Length == 3)
        {
            Add(5, NextConv2D);
            if (small) Add(3, NextConv2DTranspose);
            Add(3, NextMaxPooling);
            Add(2, NextAveragePooling);
            if (small) Add(1.5, NextUpSampling);
            if (small) Add(1.5, NextZeroPadding);
            Add(2, NextBatchNormalization);
            Add(1, NextDropout);
            Add(1, NextLeakyReLU);
            Add(2, NextActivation);
            Add(2, _ => new Flatten());
            Add(1.5, NextReshape);
            Add(0.5, NextDense);
        }
        else if (sample.Length is 1 or 2)
        {
            Add(5, NextDense);
            Add(2, NextBatchNormalization);
            Add(1.5, NextDropout);
            Add(1, NextLeakyReLU);
            Add(2, NextActivation);
            Add(3, NextReshape);
            Add(sample.Length == 2 ? 2 : 0.3, _ => new Flatten());
            if (sample.Length == 2 && !IsLongSequence(sample)) Add(3, NextRecurrent);
            if (sample.Length == 1 && small) Add(1.5, NextRepeatVector);
        }
        else
        {
            Add(2, NextActivation);
            Add(1, NextDropout);
            Add(1, NextLeakyReLU);
            Add(3, NextReshape);
            Add(sample.Length == 0 ? 0.3 : 3, _ => new Flatten());
            Add(0.5, NextDense);
            Add(0.5, NextBatchNormalization);
        }

        return Choose(choices)(sample) with { Positional = Chance(0.25) };
    }

    private Maker Choose(List<(double Weight, Maker Make)> choices)
    {
        var roll = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (weight, make) in choices)
        {
            if (roll < weight) return make;
            roll -= weight;
        }
        return choices[^1].Make;
    }

    private FuzzLayer NextDense(long[] sample) =>
        new Dense(Edge(() => sample.Length > 0 && sample[^1] > 4096 ? random.Next(1, 9) : random.Next(1, 33), 0, -1), NextUseBias());

    /// <summary>Mostly with a bias, the default.</summary>
    private bool NextUseBias() => !Chance(0.2);

    /// <summary>Height or width of an image sample; a guess for other shapes (the layer may not fit anyway).</summary>
    private static long Size(long[] sample, int axis) => sample.Length == 3 ? sample[axis] : 8;

    /// <summary>Mostly a window that fits the (padded) input, sometimes any.</summary>
    private int Window(long size, int max) => Chance(0.8) ? random.Next(1, (int)Math.Clamp(size, 1, max) + 1) : random.Next(1, max + 3);

    private ConvPadding NextConvPadding(int kernel)
    {
        var roll = random.NextDouble();
        if (Chance(EdgeChance)) return Chance(0.5) ? ConvPadding.Explicit(Pick(-1, -2)) : new ConvPadding(0, Pick(2, -1, 7));
        return roll < 0.4 ? ConvPadding.Explicit(0)
            : roll < 0.6 ? ConvPadding.Explicit(random.Next(1, Math.Max(kernel, 2)))
            : roll < 0.85 ? ConvPadding.Same
            : ConvPadding.Valid;
    }

    private int NextStride() => Edge(() => Pick(1, 1, 1, 2, 2, 3), 0, -1);

    private int NextDilation() => Edge(() => Pick(1, 1, 1, 1, 1, 2, 2, 3), 0, -1);

    private FuzzLayer NextConv2D(long[] sample)
    {
        var size = Math.Min(Size(sample, 1), Size(sample, 2));
        var kernel = Edge(() => Window(size + 2, 5), 0, -1, 40);
        return new Conv2D(Edge(() => random.Next(1, 7), 0, -1), kernel, NextStride(), NextConvPadding(kernel), NextDilation(), NextUseBias());
    }

    private FuzzLayer NextConv2DTranspose(long[] sample)
    {
        var kernel = Edge(() => random.Next(1, 6), 0, -1);
        var stride = NextStride();
        var padding = NextConvPadding(kernel);
        var dilation = NextDilation();
        // outputPadding exists only beside an integer padding, and must stay below max(stride, dilation).
        var outputPadding = padding.Mode is not null ? 0
            : Edge(() => Chance(0.7) ? 0 : random.Next(0, Math.Max(Math.Max(stride, dilation), 1)), Math.Max(stride, dilation), -1);
        return new Conv2DTranspose(Edge(() => random.Next(1, 7), 0, -1), kernel, stride, padding, outputPadding, dilation, NextUseBias());
    }

    private FuzzLayer NextMaxPooling(long[] sample)
    {
        var pool = Edge(() => Window(Math.Min(Size(sample, 1), Size(sample, 2)), 4), 0, -1);
        return new MaxPooling2D(pool, Edge(() => Chance(0.5) ? 0 : random.Next(1, 4), -1),
            Edge(() => Chance(0.7) ? 0 : random.Next(0, pool / 2 + 1), pool / 2 + 1, -1), Edge(() => Pick(1, 1, 1, 1, 2), 0, -1));
    }

    private FuzzLayer NextAveragePooling(long[] sample)
    {
        var pool = Edge(() => Window(Math.Min(Size(sample, 1), Size(sample, 2)), 4), 0, -1);
        return new AveragePooling2D(pool, Edge(() => Chance(0.5) ? 0 : random.Next(1, 4), -1),
            Edge(() => Chance(0.7) ? 0 : random.Next(0, pool / 2 + 1), pool / 2 + 1, -1));
    }

    private FuzzLayer NextUpSampling(long[] sample) => new UpSampling2D(Edge(() => random.Next(1, 4), 0, -1));

    private FuzzLayer NextZeroPadding(long[] sample) => new ZeroPadding2D(Edge(() => random.Next(0, 4), -1, -2));

    private FuzzLayer NextBatchNormalization(long[] sample) => new BatchNormalization(
        Edge(() => Chance(0.6) ? 0.1 : Math.Round(random.NextDouble(), 2), -0.5, 1.5, double.NaN),
        Edge(() => Chance(0.7) ? 1e-5 : 1e-3, 0, -1e-5, double.NaN, double.PositiveInfinity));

    private FuzzLayer NextDropout(long[] sample) => new Dropout(Edge(() => Pick(0, 0.1, 0.25, 0.5, 0.9), 1, -0.1, 1.5, double.NaN));

    private FuzzLayer NextLeakyReLU(long[] sample) => new LeakyReLU(Edge(() => Pick(0.01, 0.2, 0, 0.3), -0.1, double.NaN, double.PositiveInfinity));

    private FuzzLayer NextActivation(long[] sample) => new Activation(Pick(Activation.Names));

    /// <summary>A T×F sample too long for a recurrent layer's step-by-step loop to stay fast.</summary>
    private static bool IsLongSequence(long[] sample) => sample.Length == 2 && sample[0] > MaxSequenceSteps;

    private FuzzLayer NextRecurrent(long[] sample)
    {
        var units = Edge(() => random.Next(1, 17), 0, -1);
        var returnSequences = Chance(0.5);
        return Chance(0.5) ? new LSTM(units, returnSequences) : new GRU(units, returnSequences);
    }

    private FuzzLayer NextRepeatVector(long[] sample) => new RepeatVector(Edge(() => random.Next(1, 7), 0, -1));

    private FuzzLayer NextEmbedding(long[] sample) => new Embedding(Edge(() => random.Next(1, 21), 0, -1), Edge(() => random.Next(1, 9), 0, -1));

    /// <summary>A factorisation of the sample's element count, maybe with a -1; sometimes a wrong or invalid one.</summary>
    private FuzzLayer NextReshape(long[] sample)
    {
        var elements = sample.Aggregate(1L, (a, d) => a * d);
        if (Chance(EdgeChance * 3) || elements < 1 || elements > int.MaxValue)
            return new Reshape(Pick<int[]>([(int)Math.Min(elements + 1, int.MaxValue)], [-1, -1], [0], [-2, 1], [], [-1], [4, -1]));
        var dims = new List<int>();
        var rest = (int)elements;
        var rank = Pick(1, 2, 3, 3);
        for (var i = 1; i < rank; i++)
        {
            var divisors = Enumerable.Range(1, (int)Math.Sqrt(rest)).Where(d => rest % d == 0).SelectMany(d => new[] { d, rest / d }).ToList();
            var dim = Pick(divisors.ToArray());
            dims.Add(dim);
            rest /= dim;
        }
        dims.Add(rest);
        if (Chance(0.3)) dims[random.Next(dims.Count)] = -1;
        return new Reshape(dims);
    }

    /// <summary>The typical value, or with a small chance one of the edge values.</summary>
    private T Edge<T>(Func<T> typical, params T[] edges) => Chance(EdgeChance) ? Pick(edges) : typical();

    private T Pick<T>(params T[] values) => values[random.Next(values.Length)];

    private bool Chance(double probability) => random.NextDouble() < probability;
}
