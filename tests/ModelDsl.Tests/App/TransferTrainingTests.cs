using System.Text.Json.Nodes;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using Models.Mnist.Models;
using Models.Mnist.Training;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>Keras' transfer-learning example: the two phases, what the freeze keeps, resuming, and the command's JSON.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class TransferTrainingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Gradient images with the digits i % 10, so each phase gets half of them.</summary>
    private LabelledImages Gradients(int count)
    {
        var (images, labels) = IdxFiles.GradientSet(_folder, count).ToTensors(PixelRange.ZeroToOne);
        return new LabelledImages(images, labels);
    }

    private TransferTrainer Trainer(string name, LabelledImages training, LabelledImages test, int epochs = 1, bool resume = false,
        Models.Mnist.Training.IProgressReporter? reporter = null) =>
        new(new TransferOptions(_folder.File(name)) { Epochs = epochs, BatchSize = 32, Seed = 3, Resume = resume, Device = "cpu" },
            training, test, reporter ?? new SilentReporter());

    [Fact]
    public void The_classes_of_a_phase_keep_their_order_and_are_counted_from_zero()
    {
        using var set = new LabelledImages(arange(8).to(ScalarType.Float32).reshape(8, 1), tensor(new long[] { 5, 0, 9, 4, 7, 5, 2, 6 }));
        using var upper = set.OfClasses(5, 5);
        Assert.Equal([0, 4, 2, 0, 1], upper.Labels.data<long>().ToArray());
        Assert.Equal([0f, 2, 4, 5, 7], upper.Images.reshape(-1).data<float>().ToArray());
        using var lower = set.OfClasses(0, 5);
        Assert.Equal([0, 4, 2], lower.Labels.data<long>().ToArray());
    }

    [Fact]
    public void The_transfer_phase_trains_the_head_alone_on_the_other_classes()
    {
        using var training = Gradients(320);
        using var test = Gradients(100);
        var trainer = Trainer("run", training, test);
        trainer.Run(new JsonObject());

        var history = trainer.Folder.ReadHistory();
        Assert.Equal(["base", "transfer"], history.Select(h => h["phase"]!.GetValue<string>()));
        Assert.Equal(["0-4", "5-9"], history.Select(h => h["classes"]!.GetValue<string>()));
        Assert.Equal(2 * 160 / 32, history[^1]["step"]!.GetValue<long>());
        var head = TransferCnn.ParameterCount - 9_568; // the two convolutions: 32·9 + 32 and 32·32·9 + 32
        Assert.Equal([TransferCnn.ParameterCount, head], history.Select(h => h["trainable_parameters"]!.GetValue<long>()));

        // The checkpoints before and after the transfer: the features are the same tensors, the head moved.
        using var before = new TransferCnn();
        using var after = new TransferCnn();
        Checkpoint.Load(trainer.Folder.CheckpointPath(1), new Dictionary<string, nn.Module> { ["model"] = before });
        Checkpoint.Load(trainer.Folder.CheckpointPath(2), new Dictionary<string, nn.Module> { ["model"] = after });
        var (beforeWeights, afterWeights) = (before.state_dict(), after.state_dict());
        foreach (var (name, weights) in afterWeights)
        {
            var same = weights.equal(beforeWeights[name]).all().item<bool>();
            Assert.True(name.StartsWith("features_", StringComparison.Ordinal) == same, $"{name}: {(same ? "unchanged" : "changed")}");
        }

        var result = trainer.Result();
        Assert.Equal(9_568, result["frozen_parameters"]!.GetValue<long>());
        Assert.Equal(head, result["trainable_parameters"]!.GetValue<long>());
        Assert.Equal(history[0]["test_accuracy"]!.GetValue<double>(), result["base_test_accuracy"]!.GetValue<double>());
        Assert.Equal(history[1]["test_accuracy"]!.GetValue<double>(), result["transfer_test_accuracy"]!.GetValue<double>());
        Assert.Equal(history[1]["seconds"]!.GetValue<double>(), result["transfer_seconds"]!.GetValue<double>());
    }

    [Fact]
    public void Resume_in_the_transfer_phase_continues_exactly_like_an_uninterrupted_run()
    {
        using var training = Gradients(256);
        using var test = Gradients(100);
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) =>
            {
                // One epoch per phase: the interrupted run stops as the transfer begins, so the resumed one must freeze again.
                var trainer = Trainer(name, training, test, resume: resume, reporter: epochs == 1 ? new StopAtEpoch(2) : null);
                try { trainer.Run(new JsonObject()); }
                catch (OperationCanceledException) when (epochs == 1) { }
                return trainer.Folder;
            },
            "epoch", "phase", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "trainable_parameters");
    }

    [Fact]
    public void Resume_with_other_epochs_per_phase_is_refused()
    {
        using var training = Gradients(128);
        using var test = Gradients(50);
        Trainer("run", training, test).Run(new JsonObject());
        var refused = Assert.Throws<CheckpointException>(() => Trainer("run", training, test, epochs: 2, resume: true).Run(new JsonObject()));
        Assert.EndsWith("was trained with --epochs 1; resume with the same values (got --epochs 2)", refused.Message);
    }

    [Fact]
    public void Train_transfer_json_prints_both_accuracies_the_parameters_and_the_seconds()
    {
        var data = IdxFiles.WriteDataFolder(_folder);
        var run = _folder.File("cli");
        var (exit, error, output) = CliTests.Run("train", "transfer", "--data", data, "--out", run, "--epochs", "1", "--batch-size", "50", "--json");
        Assert.True(exit == 0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(
            ["base_test_accuracy", "transfer_test_accuracy", "frozen_parameters", "trainable_parameters", "base_seconds", "transfer_seconds", "epochs_per_phase"],
            result.Select(p => p.Key));
        Assert.InRange(result["transfer_test_accuracy"]!.GetValue<double>(), 0, 1);
        Assert.Equal(TransferCnn.ParameterCount, result["frozen_parameters"]!.GetValue<long>() + result["trainable_parameters"]!.GetValue<long>());
        Assert.Equal("transfer", Checkpoint.ReadMetadata(new RunFolder(run, keepsSamples: false).LatestCheckpoint()!)["model"]!.GetValue<string>());
    }
}
