using System.Text.Json.Nodes;
using Models.Mnist.Models;
using Models.Mnist.Training;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>
/// Tiny end-to-end runs of the DCGAN trainer on a few hundred synthetic images. They run alone: dropout
/// draws from libtorch's process-wide generator, which tests running beside them would also draw from.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class DcganTrainingTests : IDisposable
{
    private const int Images = 256;
    private readonly TempFolder _folder = new();
    private readonly Tensor _images;

    public DcganTrainingTests()
    {
        var set = IdxFiles.GradientSet(_folder, Images);
        var (images, labels) = set.ToTensors(PixelRange.ZeroToOne);
        labels.Dispose();
        _images = images;
    }

    public void Dispose()
    {
        _images.Dispose();
        _folder.Dispose();
    }

    private GanOptions Options(string name, int epochs) =>
        new(Path.Combine(_folder.Path, name)) { Epochs = epochs, BatchSize = 64, Limit = Images, Seed = 3 };

    private RunFolder Train(GanOptions options)
    {
        var trainer = new GanTrainer(ModelKind.Dcgan, options, _images, new SilentReporter());
        trainer.Run(new JsonObject { ["command"] = "test" });
        return trainer.Folder;
    }

    [Fact]
    public void One_epoch_leaves_every_artifact_and_each_parses()
    {
        var run = Train(Options("run", epochs: 1));

        var grid = PngFile.Load(run.SamplePath(1));
        Assert.Equal(10 * 28 + 11 * ImageGrid.DefaultPadding, grid.Width);
        Assert.True(File.Exists(run.ProgressAnimationPath));
        Assert.Equal(800, PngFile.Load(run.LossPlotPath).Width);

        var history = Assert.Single(run.ReadHistory());
        Assert.Equal(1, history["epoch"]!.GetValue<int>());
        Assert.Equal(Images / 64, history["step"]!.GetValue<long>());
        foreach (var key in new[] { "d_loss", "g_loss", "d_acc_real", "d_acc_fake", "seconds" })
            Assert.True(double.IsFinite(history[key]!.GetValue<double>()), key);
        Assert.Equal(Images / 64, run.ReadStepLosses().Count);

        var info = JsonNode.Parse(File.ReadAllText(run.RunInfoPath))!.AsObject();
        Assert.Equal("test", info["command"]!.GetValue<string>());

        var metadata = Checkpoint.ReadMetadata(run.CheckpointPath(1));
        Assert.Equal(1, metadata["epoch"]!.GetValue<int>());
        using var generator = new DcganGenerator();
        Checkpoint.Load(run.CheckpointPath(1), new Dictionary<string, nn.Module> { ["generator"] = generator });
    }

    [Fact]
    public void Resume_after_an_interruption_continues_exactly_like_an_uninterrupted_run() =>
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) => Train(Options(name, epochs) with { Resume = resume }), "step", "d_loss", "g_loss", "d_acc_real", "d_acc_fake");

    [Fact]
    public void Nan_images_stop_the_run_at_their_first_step_or_their_steps_are_skipped_and_counted()
    {
        using var poisoned = _images.clone();
        poisoned.narrow(0, 0, 4).fill_(float.NaN);
        // The D steps whose half batch of real images holds one of the four: the epoch's order is a function of the seed.
        var options = Options("stop", epochs: 1);
        var half = options.BatchSize / 2;
        var order = TrainingRun.EpochPermutation(options.Seed, 1, Images);
        var poisonedSteps = Enumerable.Range(0, Images / options.BatchSize).Where(i => order.Skip(i * half).Take(half).Any(index => index < 4)).ToList();
        Assert.NotEmpty(poisonedSteps);

        var stopping = new GanTrainer(ModelKind.Dcgan, options, poisoned, new SilentReporter());
        var stopped = Assert.Throws<NonFiniteTrainingException>(() => stopping.Run(new JsonObject()));
        Assert.Equal(poisonedSteps[0] + 1, stopped.Finding.Step);
        Assert.Contains("d_loss", stopped.Message);
        Assert.Null(stopping.Folder.LatestCheckpoint());

        var skipping = new GanTrainer(ModelKind.Dcgan, Options("skip", epochs: 1) with { OnNonFinite = NonFinitePolicy.SkipStep }, poisoned, new SilentReporter());
        skipping.Run(new JsonObject());
        var history = Assert.Single(skipping.Folder.ReadHistory());
        Assert.Equal(poisonedSteps.Count, history["skipped_steps"]!.GetValue<int>());
        // The epoch's means leave the skipped steps out (null only if every step was skipped).
        var discriminatorLoss = history["d_loss"]?.GetValue<double>();
        Assert.True(poisonedSteps.Count == Images / options.BatchSize ? discriminatorLoss is null : double.IsFinite(discriminatorLoss!.Value), $"d_loss {discriminatorLoss}");
        Assert.True(double.IsFinite(history["g_loss"]!.GetValue<double>()));
        Assert.True(File.Exists(skipping.Folder.LossPlotPath));
    }

    [Fact]
    public void Seeded_runs_repeat_their_losses()
    {
        var first = Train(Options("first", epochs: 1));
        var second = Train(Options("second", epochs: 1));
        Assert.Equal(first.ReadStepLosses(), second.ReadStepLosses());
    }

    [Fact]
    public void Resume_with_another_batch_size_is_refused()
    {
        Train(Options("run", epochs: 1));
        var error = Assert.Throws<CheckpointException>(() => Train(Options("run", epochs: 2) with { Resume = true, BatchSize = 32 }));
        Assert.Contains("--batch-size 64", error.Message);
    }
}
