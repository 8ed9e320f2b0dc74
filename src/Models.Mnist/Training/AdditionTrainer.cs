using System.Diagnostics;
using ModelDsl;
using Models.Mnist.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// Settings of an addition run: Keras' addition_rnn as keras.io has it now (Adam 1e-3, batch 32, 30 epochs, which it says
/// reach 99+% per-character validation accuracy; the first version took 100 epochs of batch 128), 50,000 questions, 10% held out.
/// </summary>
internal sealed record AdditionOptions : RunOptions
{
    public AdditionOptions(string outputFolder) : base(outputFolder, epochs: 30, batchSize: 32) { }

    /// <summary>Distinct questions generated from the seed, the held-out tenth included.</summary>
    public int Questions { get; init; } = 50_000;

    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Held-out questions shown with the model's answers after each epoch (Keras shows 10).</summary>
    public int SamplesShown { get; init; } = 10;

    /// <summary>The settings a resumed run must share with its checkpoint: the questions are regenerated from them.</summary>
    public IEnumerable<RecipeSetting> Recipe() => [.. SharedRecipe(), new("--questions", "questions", Questions)];
}

/// <summary>
/// Answers compared character by character: how many characters and how many whole answers were right, and the loss
/// summed over the answers (each answer's: the mean cross-entropy over its characters).
/// </summary>
internal readonly record struct AnswerScore(double LossSum, long Characters, long CorrectCharacters, long Answers, long CorrectAnswers)
{
    /// <summary>The mean cross-entropy per character.</summary>
    public double Loss => LossSum / Answers;

    /// <summary>Per-character accuracy, Keras' figure for this example (the padding spaces count).</summary>
    public double CharacterAccuracy => (double)CorrectCharacters / Characters;

    /// <summary>Whole answers right, every character of them.</summary>
    public double SequenceAccuracy => (double)CorrectAnswers / Answers;

    /// <summary>The counts for predicted symbol indices against the true ones (both B×4).</summary>
    public static AnswerScore Of(double lossSum, Tensor predicted, Tensor answers)
    {
        using var scope = NewDisposeScope();
        var right = predicted.eq(answers);
        return new AnswerScore(lossSum, right.numel(), right.sum().item<long>(), right.shape[0], right.all(1).sum().item<long>());
    }

    public static AnswerScore operator +(AnswerScore a, AnswerScore b) =>
        new(a.LossSum + b.LossSum, a.Characters + b.Characters, a.CorrectCharacters + b.CorrectCharacters, a.Answers + b.Answers, a.CorrectAnswers + b.CorrectAnswers);
}

/// <summary>
/// Trains <see cref="AdditionRnn"/> on questions generated from the seed (the last tenth held out), with
/// cross-entropy over the 12 symbols at each of the 4 answer positions and Adam. After each epoch it scores the
/// held-out questions and shows a few of them with the model's answers. Batches follow a permutation of the seed and
/// the epoch, and a checkpoint holds the model, the optimizer and the RNG, so a resumed run repeats an uninterrupted one.
/// </summary>
internal sealed class AdditionTrainer(AdditionOptions options, IProgressReporter reporter)
{
    /// <summary>The network's name in checkpoints (part of their format).</summary>
    internal const string ModuleName = "model";
    private const int TestBatchSize = 1000;

    public RunFolder Folder { get; } = new(options.OutputFolder, keepsSamples: false);

    public void Run(JsonObject runInfo)
    {
        var device = DeviceChoice.Select(options.Device);
        var questions = AdditionQuestions.Generate(options.Questions, options.Seed);
        // Keras' split: the last tenth is held out.
        var heldOut = questions.Count / 10;
        var training = questions.Take(questions.Count - heldOut).ToList();
        var test = questions.Skip(training.Count).ToList();
        if (training.Count == 0 || test.Count == 0)
            throw new ArgumentException($"{options.Questions} questions leave no held-out tenth; ask for at least 10");

        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        using var model = new AdditionRnn().to(device);
        using var optimizer = optim.Adam(model.parameters(), options.LearningRate);
        using var trainQuestions = AdditionQuestions.OneHotQuestions(training).to(device);
        using var trainAnswers = AdditionQuestions.AnswerIndices(training).to(device);
        using var testQuestions = AdditionQuestions.OneHotQuestions(test).to(device);
        using var testAnswers = AdditionQuestions.AnswerIndices(test).to(device);
        var run = new TrainingRun(Folder, reporter, ModelKind.Addition, [.. options.Recipe()],
            new Dictionary<string, nn.Module> { [ModuleName] = model },
            new Dictionary<string, OptimizerHelper> { [ModuleName] = optimizer },
            EpochReport.AdditionLine);
        var resumed = run.Start(options.Resume, runInfo, device);
        var (startEpoch, step) = (resumed.StartEpoch, resumed.Step);

        var guard = new NonFiniteGuard(options.OnNonFinite);
        var count = training.Count;
        var steps = ClassifierTrainer.StepsPerEpoch(count, options.BatchSize);
        for (var epoch = startEpoch; epoch <= options.Epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            using var order = tensor(TrainingRun.EpochPermutation(options.Seed, epoch, count)).to(device);
            var trained = new AnswerScore();
            var skippedBefore = guard.SkippedSteps;
            model.train();
            reporter.EpochStarted(epoch, options.Epochs, steps);
            for (var i = 0; i < steps; i++)
            {
                using var scope = NewDisposeScope();
                step++;
                var start = (long)i * options.BatchSize;
                var indices = order.narrow(0, start, Math.Min(options.BatchSize, count - start));
                var batch = Step(model, optimizer, guard, step, trainQuestions.index_select(0, indices), trainAnswers.index_select(0, indices));
                // A step the non-finite guard skipped is left out of the means, not out of the progress.
                if (double.IsFinite(batch.LossSum)) trained += batch;
                reporter.StepDone(i + 1, string.Create(CultureInfo.InvariantCulture, $"loss {trained.Loss:0.0000}  characters {trained.CharacterAccuracy:P2}"));
            }

            var tested = Score(model, testQuestions, testAnswers);
            var history = new JsonObject
            {
                ["epoch"] = epoch,
                ["step"] = step,
                ["train_loss"] = trained.Answers == 0 ? null : trained.Loss,
                ["train_char_accuracy"] = trained.Answers == 0 ? null : trained.CharacterAccuracy,
                ["test_loss"] = tested.Loss,
                ["test_char_accuracy"] = tested.CharacterAccuracy,
                ["test_sequence_accuracy"] = tested.SequenceAccuracy,
                ["skipped_steps"] = guard.SkippedSteps - skippedBefore,
                ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            };
            run.EndEpoch(epoch, step, history, options.KeepCheckpoints, new JsonObject { ["test_char_accuracy"] = tested.CharacterAccuracy });
            foreach (var line in ShowAnswers(model, test, testQuestions, epoch)) reporter.Message(line);
        }
    }

    /// <summary>
    /// One optimizer step of cross-entropy over the answer characters (the guard stops or skips a non-finite one):
    /// the batch's answers scored before the step.
    /// </summary>
    public static AnswerScore Step(AdditionRnn model, OptimizerHelper optimizer, NonFiniteGuard guard, long step, Tensor questions, Tensor answers)
    {
        using var scope = NewDisposeScope();
        var logits = model.forward(questions);
        var loss = CrossEntropy(logits, answers, nn.Reduction.Mean);
        optimizer.zero_grad();
        loss.backward();
        if (guard.ShouldStep(step, "loss", loss, (ModuleName, model))) optimizer.step();
        return AnswerScore.Of(loss.item<float>() * answers.shape[0], logits.argmax(-1), answers);
    }

    /// <summary>The answers of <paramref name="model"/> (in eval mode) to a set of questions, scored.</summary>
    public static AnswerScore Score(AdditionRnn model, Tensor questions, Tensor answers)
    {
        var total = new AnswerScore();
        var count = questions.shape[0];
        model.eval();
        using (no_grad())
        {
            for (long start = 0; start < count; start += TestBatchSize)
            {
                using var scope = NewDisposeScope();
                var size = Math.Min(TestBatchSize, count - start);
                var batchAnswers = answers.narrow(0, start, size);
                var logits = model.forward(questions.narrow(0, start, size));
                var lossSum = CrossEntropy(logits, batchAnswers, nn.Reduction.Sum).item<float>() / AdditionQuestions.AnswerLength;
                total += AnswerScore.Of(lossSum, logits.argmax(-1), batchAnswers);
            }
        }
        return total;
    }

    /// <summary>Cross-entropy of B×4×12 logits against B×4 symbol indices, over all B·4 characters.</summary>
    private static Tensor CrossEntropy(Tensor logits, Tensor answers, nn.Reduction reduction) =>
        nn.functional.cross_entropy(logits.reshape(-1, AdditionQuestions.Symbols.Length), answers.reshape(-1), reduction: reduction);

    /// <summary>
    /// Keras' end-of-epoch display: held-out questions (chosen by the seed and the epoch) with the model's answers,
    /// e.g. <c>"  12+345 = 357 ✓"</c> or <c>"  9+87 = 95 ✗ (96)"</c>.
    /// </summary>
    private IEnumerable<string> ShowAnswers(AdditionRnn model, IReadOnlyList<AdditionQuestion> test, Tensor testQuestions, int epoch)
    {
        var random = new Random(options.Seed * 100_003 + epoch);
        var chosen = Enumerable.Range(0, Math.Min(options.SamplesShown, test.Count)).Select(_ => random.Next(test.Count)).ToArray();
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var predicted = model.forward(testQuestions.index_select(0, tensor(chosen.Select(i => (long)i).ToArray()).to(testQuestions.device))).argmax(-1).cpu();
        return chosen.Select((index, row) => AnswerLine(test[index], AdditionQuestions.Decode(predicted[row].data<long>().ToArray()))).ToList();
    }

    /// <summary>A question with the model's answer, ✓ when every character of it is right, else ✗ and the right answer.</summary>
    public static string AnswerLine(AdditionQuestion question, string predicted) =>
        predicted == question.EncodedAnswer
            ? $"  {question.Question} = {question.Answer} ✓"
            : $"  {question.Question} = {predicted.TrimEnd()} ✗ ({question.Answer})";
}
