using System.Text.Json.Nodes;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Data;
using ModelDsl.Imaging;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>A classifier trained once on 2,000 real MNIST images (2 epochs), shared by the tests that need a trained judge.</summary>
public sealed class TrainedClassifierFixture : IDisposable
{
    public const int TrainingImages = 2000;
    public const int TestImages = 2000;
    private readonly TempFolder _folder = new();

    public TrainedClassifierFixture()
    {
        Training = ClassifierTrainingTests.Load(MnistFile.TrainImages, MnistFile.TrainLabels, TrainingImages);
        Test = ClassifierTrainingTests.Load(MnistFile.TestImages, MnistFile.TestLabels, TestImages);
        var options = new ClassifierOptions(_folder.File("run"), Epochs: 2, BatchSize: 32, Limit: TrainingImages, Device: "cpu");
        var trainer = new ClassifierTrainer(options, Training, Test, new SilentClassifierReporter());
        trainer.Run(new JsonObject { ["command"] = "fixture" });
        Run = trainer.Folder;
        Classifier = ClassifierTrainer.Load(Run.LatestCheckpoint()!, CPU).Classifier;
    }

    internal LabelledImages Training { get; }
    internal LabelledImages Test { get; }
    internal RunFolder Run { get; }
    public DigitClassifier Classifier { get; }

    public void Dispose()
    {
        Classifier.Dispose();
        Training.Dispose();
        Test.Dispose();
        _folder.Dispose();
    }
}

/// <summary>
/// Training the digit classifier on small subsets of real MNIST. They run alone: dropout draws from libtorch's process-wide generator.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class ClassifierTrainingTests(TrainedClassifierFixture trained) : IClassFixture<TrainedClassifierFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    internal static LabelledImages Load(MnistFile images, MnistFile labels, int count)
    {
        var (imageTensor, labelTensor) = MnistSet.Read(TestData.MnistFile(images.Name), TestData.MnistFile(labels.Name), count).ToTensors(PixelRange.ZeroToOne);
        return new LabelledImages(imageTensor, labelTensor);
    }

    [Fact]
    public void Two_epochs_on_2000_images_reach_a_sensible_test_accuracy_and_leave_every_artifact()
    {
        var history = trained.Run.ReadHistory();
        Assert.Equal([1, 2], history.Select(h => h["epoch"]!.GetValue<int>()));
        foreach (var key in new[] { "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds" })
            Assert.True(double.IsFinite(history[^1][key]!.GetValue<double>()), key);
        var accuracy = history[^1]["test_accuracy"]!.GetValue<double>();
        Assert.True(accuracy > 0.85, $"test accuracy {accuracy}");

        Assert.Equal(accuracy, ClassifierTrainer.Score(trained.Classifier, trained.Test).Accuracy, 1e-9);
        var metadata = Checkpoint.ReadMetadata(trained.Run.CheckpointPath(2));
        Assert.Equal("classifier", metadata["model"]!.GetValue<string>());
        Assert.Equal(accuracy, metadata["test_accuracy"]!.GetValue<double>());
        Assert.Equal("fixture", JsonNode.Parse(File.ReadAllText(trained.Run.RunInfoPath))!["command"]!.GetValue<string>());
        Assert.False(Directory.Exists(Path.Combine(trained.Run.Root, "samples")));
    }

    [Fact]
    public void Resume_after_an_interruption_continues_exactly_like_an_uninterrupted_run()
    {
        using var training = Load(MnistFile.TrainImages, MnistFile.TrainLabels, 256);
        using var test = Load(MnistFile.TestImages, MnistFile.TestLabels, 200);
        IReadOnlyList<JsonObject> Train(string name, int epochs, bool resume = false)
        {
            var options = new ClassifierOptions(_folder.File(name), Epochs: epochs, BatchSize: 64, Seed: 4, Resume: resume, Device: "cpu");
            var trainer = new ClassifierTrainer(options, training, test, new SilentClassifierReporter());
            trainer.Run(new JsonObject());
            return trainer.Folder.ReadHistory();
        }

        var whole = Train("whole", epochs: 2);
        Train("interrupted", epochs: 1);
        File.AppendAllText(Path.Combine(_folder.File("interrupted"), "history.jsonl"), "{\"epoch\":2,\"train_lo");
        var resumed = Train("interrupted", epochs: 2, resume: true);

        string[] keys = ["epoch", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "learning_rate"];
        Assert.Equal(whole.Select(h => string.Join(",", keys.Select(k => h[k]!.ToJsonString()))),
            resumed.Select(h => string.Join(",", keys.Select(k => h[k]!.ToJsonString()))));
    }
}

internal sealed class SilentClassifierReporter : IClassifierReporter
{
    public void EpochStarted(int epoch, int epochs, int steps) { }
    public void StepDone(int stepInEpoch, double loss, double accuracy) { }
    public void EpochDone(JsonObject history) { }
    public void Message(string text) { }
}
