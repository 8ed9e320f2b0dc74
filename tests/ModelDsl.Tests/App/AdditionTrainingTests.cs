using System.Text.Json.Nodes;
using Models.Mnist.Cli;
using Models.Mnist.Data;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>Keras' addition RNN: the generated questions, their encoding, the answer scores and a few training steps.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class AdditionTrainingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Questions_are_a_function_of_the_seed_distinct_and_within_three_digits()
    {
        var questions = AdditionQuestions.Generate(20_000, seed: 7);
        Assert.Equal(questions, AdditionQuestions.Generate(20_000, seed: 7));
        Assert.NotEqual(questions.Take(100), AdditionQuestions.Generate(20_000, seed: 8).Take(100));
        // a+b and b+a are one question, as in Keras.
        Assert.Equal(questions.Count, questions.Select(q => (Math.Min(q.A, q.B), Math.Max(q.A, q.B))).Distinct().Count());
        Assert.All(questions, q => Assert.InRange(q.A, 0, 999));
        Assert.All(questions, q => Assert.InRange(q.B, 0, 999));
        Assert.Equal([1, 2, 3], questions.Select(q => q.A.ToString(System.Globalization.CultureInfo.InvariantCulture).Length).Distinct().Order());
        Assert.Throws<ArgumentOutOfRangeException>(() => AdditionQuestions.Generate(AdditionQuestions.MaxCount + 1, seed: 1));
    }

    [Fact]
    public void The_question_is_padded_and_reversed_the_answer_padded()
    {
        var question = new AdditionQuestion(12, 345);
        Assert.Equal("12+345", question.Question);
        Assert.Equal(" 543+21", question.EncodedQuestion);
        Assert.Equal("357 ", question.EncodedAnswer);
        Assert.Equal("999+999", new AdditionQuestion(999, 999).EncodedQuestion); // 7 characters: no padding, and its own reverse
        Assert.Equal("1998", new AdditionQuestion(999, 999).EncodedAnswer);
    }

    [Fact]
    public void Encoding_is_one_hot_over_the_symbols_and_decodes_back()
    {
        var questions = AdditionQuestions.Generate(50, seed: 3);
        using var oneHot = AdditionQuestions.OneHotQuestions(questions);
        using var answers = AdditionQuestions.AnswerIndices(questions);
        Assert.Equal([50, .. AdditionRnn.InputShape], oneHot.shape);
        Assert.Equal([50, AdditionRnn.OutputShape[0]], answers.shape);
        Assert.Equal(AdditionQuestions.Symbols.Length, AdditionRnn.OutputShape[1]);
        Assert.True(oneHot.sum(-1).eq(1).all().item<bool>());
        using var symbols = oneHot.argmax(-1);
        for (var i = 0; i < questions.Count; i++)
        {
            Assert.Equal(questions[i].EncodedQuestion, AdditionQuestions.Decode(symbols[i].data<long>().ToArray()));
            Assert.Equal(questions[i].EncodedAnswer, AdditionQuestions.Decode(answers[i].data<long>().ToArray()));
        }
    }

    [Fact]
    public void Scores_count_right_characters_and_whole_answers()
    {
        // "357 " and "1998" predicted as "357 " (all right) and "1988" (one character wrong).
        using var truth = tensor(new long[] { 3, 5, 7, 11, 1, 9, 9, 8 }, [2, 4]);
        using var predicted = tensor(new long[] { 3, 5, 7, 11, 1, 9, 8, 8 }, [2, 4]);
        var score = AnswerScore.Of(0.5, predicted, truth) + AnswerScore.Of(0.25, truth, truth);
        Assert.Equal(new AnswerScore(0.75, 16, 15, 4, 3), score);
        Assert.Equal(0.75 / 4, score.Loss);
        Assert.Equal(15.0 / 16, score.CharacterAccuracy);
        Assert.Equal(0.75, score.SequenceAccuracy);
    }

    [Fact]
    public void Answer_lines_mark_right_answers_and_give_the_right_one_beside_a_wrong_one()
    {
        var question = new AdditionQuestion(9, 87);
        Assert.Equal("  9+87 = 96 ✓", AdditionTrainer.AnswerLine(question, "96  "));
        Assert.Equal("  9+87 = 95 ✗ (96)", AdditionTrainer.AnswerLine(question, "95  "));
        // A stray character after the sum makes the answer wrong, as the per-character figures count it.
        Assert.Equal("  9+87 = 96 1 ✗ (96)", AdditionTrainer.AnswerLine(question, "96 1"));
    }

    private AdditionTrainer Trainer(string name, int epochs, bool resume = false) =>
        new(new AdditionOptions(_folder.File(name)) { Epochs = epochs, Questions = 400, BatchSize = 64, Seed = 5, Resume = resume, Device = "cpu", SamplesShown = 3 },
            new SilentReporter());

    [Fact]
    public void A_tiny_run_logs_each_epoch_and_checkpoints_an_addition_model()
    {
        var reporter = new LinesReporter();
        var options = new AdditionOptions(_folder.File("tiny")) { Epochs = 2, Questions = 400, BatchSize = 64, Device = "cpu", SamplesShown = 3 };
        var trainer = new AdditionTrainer(options, reporter);
        trainer.Run(new JsonObject { ["command"] = "test" });

        var history = trainer.Folder.ReadHistory();
        Assert.Equal([1, 2], history.Select(h => h["epoch"]!.GetValue<int>()));
        Assert.Equal(2 * 6, history[^1]["step"]!.GetValue<long>()); // 360 training questions in batches of 64
        foreach (var key in new[] { "train_loss", "train_char_accuracy", "test_loss", "test_char_accuracy", "test_sequence_accuracy", "seconds" })
            Assert.True(double.IsFinite(history[^1][key]!.GetValue<double>()), key);
        Assert.True(history[^1]["train_loss"]!.GetValue<double>() < history[0]["train_loss"]!.GetValue<double>());
        var metadata = Checkpoint.ReadMetadata(trainer.Folder.CheckpointPath(2));
        Assert.Equal("addition", metadata["model"]!.GetValue<string>());
        Assert.Equal(400, metadata["questions"]!.GetValue<int>());
        // Each epoch: its line, then three held-out questions with the model's answers.
        Assert.Equal(2 * 4, reporter.Lines.Count);
        Assert.All(reporter.Lines.Where(l => !l.StartsWith("epoch", StringComparison.Ordinal)), l => Assert.Matches(@"^  \d+\+\d+ = .* [✓✗]", l));
    }

    [Fact]
    public void Resume_after_an_interruption_continues_exactly_like_an_uninterrupted_run() =>
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) =>
            {
                var trainer = Trainer(name, epochs, resume);
                trainer.Run(new JsonObject());
                return trainer.Folder;
            },
            "epoch", "step", "train_loss", "train_char_accuracy", "test_loss", "test_char_accuracy", "test_sequence_accuracy");

    [Fact]
    public void Resume_with_other_questions_is_refused()
    {
        Trainer("run", 1).Run(new JsonObject());
        var other = new AdditionTrainer(new AdditionOptions(_folder.File("run")) { Epochs = 2, Questions = 500, BatchSize = 64, Seed = 5, Resume = true, Device = "cpu" },
            new SilentReporter());
        Assert.Contains("--questions 400", Assert.Throws<CheckpointException>(() => other.Run(new JsonObject())).Message);
    }

    [Fact]
    public void Summary_addition_prints_the_sequence_model()
    {
        var (exit, _, output) = CliTests.Run("summary", "addition");
        Assert.Equal(0, exit);
        Assert.Contains("repeat_vector_1 (RepeatVector)", output);
        Assert.Contains("Total params: " + AdditionRnn.ParameterCount.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture), output);
    }

    private sealed class LinesReporter : Models.Mnist.Training.IProgressReporter
    {
        public List<string> Lines { get; } = [];
        public void Started(string label, int steps) { }
        public void StepDone(int step, string figures) { }
        public void Finished(string line) => Lines.Add(line);
        public void Message(string text) => Lines.Add(text);
    }
}
