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

/// <summary>Tiny end-to-end runs of the AC-GAN trainer on a few hundred synthetic images (alone: dropout uses libtorch's process-wide generator).</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class AcganTrainingTests : IDisposable
{
    private const int Images = 200;
    private const int TestImages = 100;
    private const int Batch = 50;
    private readonly TempFolder _folder = new();
    private readonly LabelledImages _training;
    private readonly LabelledImages _test;

    public AcganTrainingTests()
    {
        _training = Load(Images);
        _test = Load(TestImages);
    }

    private LabelledImages Load(int count)
    {
        var (pixels, digits) = IdxFiles.GradientSet(_folder, count).ToTensors(PixelRange.MinusOneToOne);
        return new LabelledImages(pixels, digits);
    }

    public void Dispose()
    {
        _training.Dispose();
        _test.Dispose();
        _folder.Dispose();
    }

    private GanOptions Options(string name, int epochs) =>
        new(Path.Combine(_folder.Path, name)) { Epochs = epochs, BatchSize = Batch, Limit = Images, Seed = 5 };

    private RunFolder Train(GanOptions options, ModelKind? kind = null, SilentReporter? reporter = null)
    {
        var trainer = new AcganTrainer(kind ?? ModelKind.Acgan, options, _training, _test, reporter ?? new SilentReporter());
        trainer.Run(new JsonObject { ["command"] = "test" });
        return trainer.Folder;
    }

    [Fact]
    public void One_epoch_leaves_every_artifact_with_train_and_test_losses_of_both_networks()
    {
        var run = Train(Options("run", epochs: 1));

        var grid = PngFile.Load(run.SamplePath(1));
        Assert.Equal(10 * 28 + 11 * ImageGrid.DefaultPadding, grid.Width);
        Assert.Equal(10 * 28 + 11 * ImageGrid.DefaultPadding, grid.Height);
        Assert.True(File.Exists(run.ProgressAnimationPath));
        Assert.True(File.Exists(run.LossPlotPath));

        var history = Assert.Single(run.ReadHistory());
        Assert.Equal(Images / Batch, history["step"]!.GetValue<long>());
        foreach (var network in new[] { "d", "g" })
        foreach (var part in new[] { "train", "test" })
        {
            var total = history[$"{network}_{part}_loss"]!.GetValue<double>();
            var generation = history[$"{network}_{part}_generation_loss"]!.GetValue<double>();
            var auxiliary = history[$"{network}_{part}_auxiliary_loss"]!.GetValue<double>();
            Assert.True(double.IsFinite(total) && generation > 0 && auxiliary > 0, $"{network} {part}");
            Assert.Equal(generation + auxiliary, total, 9);
        }
        Assert.Equal(Images / Batch, run.ReadStepLosses().Count);

        Assert.Equal("acgan", Checkpoint.ReadMetadata(run.CheckpointPath(1))["model"]!.GetValue<string>());
        using var generator = new AcganGenerator();
        Checkpoint.Load(run.CheckpointPath(1), new Dictionary<string, nn.Module> { ["generator"] = generator });
    }

    [Fact]
    public void Resume_after_an_interruption_continues_exactly_like_an_uninterrupted_run() =>
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) => Train(Options(name, epochs) with { Resume = resume }), "step", "d_loss", "g_loss", "d_test_loss", "g_test_loss");

    // acgan-small only: acgan goes through the same loop (GanSession.Train), at five times the cost of this test.
    [Fact]
    public void A_time_budget_ends_the_epoch_after_a_step_and_a_resumed_run_trains_the_rest_of_it()
    {
        var kind = ModelKind.AcganSmall;
        var model = kind.Name;
        // A budget far below one step's time: the run ends after its first step, whatever the machine's speed.
        var reporter = new SilentReporter();
        var run = Train(Options(model, epochs: 1) with { Minutes = 1e-9 }, kind, reporter);

        var line = Assert.Single(run.ReadHistory());
        Assert.Equal(1, line["steps"]!.GetValue<int>());
        Assert.True(line["partial_epoch"]!.GetValue<bool>());
        Assert.True(double.IsFinite(line["d_test_loss"]!.GetValue<double>()));
        Assert.True(File.Exists(run.SamplePath(1)));
        Assert.Contains(reporter.Messages, m => m.StartsWith("--minutes 1E-09: stopped after step 1", StringComparison.Ordinal));

        Train(Options(model, epochs: 1) with { Resume = true }, kind);
        var history = run.ReadHistory();
        Assert.Equal([1, Images / Batch - 1], history.Select(h => h["steps"]!.GetValue<int>()));
        Assert.Equal(Enumerable.Range(1, Images / Batch).Select(s => (long)s), run.ReadStepLosses().Select(l => l.Step));
        Assert.Equal(model, Checkpoint.ReadMetadata(run.CheckpointPath(1))["model"]!.GetValue<string>());
    }

    [Theory]
    // A class weight leaves the classes G draws as they were, so step 1's G loss (before any update, logged unweighted) is
    // the same too; the mode-seeking term draws its classes in pairs, so only D's is.
    [InlineData("class_weight_g", 0.3, 1.0, "--class-weight-g 0.3", true)]
    [InlineData("mode_seeking", 1.0, 0.0, "--mode-seeking 1", false)]
    public void A_setting_of_G_s_loss_alone_changes_training_from_G_s_first_update_and_is_part_of_the_recipe(
        string key, double value, double plainValue, string recorded, bool sameGeneratorDraws)
    {
        var kind = ModelKind.AcganSmall;
        var plain = Train(Options("plain", epochs: 1), kind);
        var changed = Train(WithGeneratorSetting(Options("changed", epochs: 1), key, value), kind);

        // Step 1's losses are measured before any update; every later step follows G's first update.
        var (plainLosses, changedLosses) = (plain.ReadStepLosses(), changed.ReadStepLosses());
        if (sameGeneratorDraws) Assert.Equal(plainLosses[0], changedLosses[0]);
        else Assert.Equal(plainLosses[0].DiscriminatorLoss, changedLosses[0].DiscriminatorLoss);
        Assert.All(plainLosses.Zip(changedLosses).Skip(1), pair => Assert.NotEqual(pair.First, pair.Second));
        Assert.Equal(value, Checkpoint.ReadMetadata(changed.CheckpointPath(1))[key]!.GetValue<double>());
        Assert.Equal(1, Checkpoint.ReadMetadata(changed.CheckpointPath(1))["class_weight"]!.GetValue<double>());
        Assert.Equal(plainValue, Checkpoint.ReadMetadata(plain.CheckpointPath(1))[key]!.GetValue<double>());

        var other = Assert.Throws<CheckpointException>(() => Train(Options("changed", epochs: 2) with { Resume = true }, kind));
        Assert.Contains($"was trained with {recorded}", other.Message);
    }

    private static GanOptions WithGeneratorSetting(GanOptions options, string key, double value) => key switch
    {
        "class_weight_g" => options with { GeneratorClassWeight = value },
        "mode_seeking" => options with { ModeSeekingWeight = value },
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "no such setting"),
    };

    [Fact]
    public void A_dcgan_run_folder_cannot_be_resumed_as_an_acgan()
    {
        using var images = _training.Images.add(1).div(2);
        new GanTrainer(ModelKind.Dcgan, new GanOptions(Path.Combine(_folder.Path, "mixed")) { Epochs = 1, BatchSize = 64, Limit = Images }, images, new SilentReporter())
            .Run(new JsonObject());
        var error = Assert.Throws<CheckpointException>(() => Train(Options("mixed", epochs: 2) with { Resume = true }));
        Assert.Contains("is a 'dcgan' checkpoint", error.Message);
    }
}
