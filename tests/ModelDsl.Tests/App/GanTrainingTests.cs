using System.Text.Json.Nodes;
using Models.Mnist.Data;
using Models.Mnist.Imaging;
using Models.Mnist.Training;
using ModelDsl.Tests.Support;
using ModelDsl.Training;

namespace ModelDsl.Tests.App;

/// <summary>
/// Every GAN without conditions under every loss it takes, a few steps each on synthetic images in its pixel range;
/// resuming, refusing another model or loss, and the time budget. They run alone: dropout draws from libtorch's
/// process-wide generator.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class GanTrainingTests : IDisposable
{
    private const int Images = 64;
    private const int BatchSize = 16;
    private readonly TempFolder _folder = new();
    private readonly MnistSet _set;

    public GanTrainingTests() => _set = IdxFiles.GradientSet(_folder, Images);

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string, string> ModelsAndLosses()
    {
        var data = new TheoryData<string, string>();
        foreach (var kind in ModelKind.Gans.Where(k => k.Unconditional is not null))
            foreach (var loss in Enum.GetValues<GanLossKind>())
                if (loss != GanLossKind.WganGp || kind.Unconditional!.Output == DiscriminatorOutput.Logit)
                    data.Add(kind.Name, GanLossNames.Of(loss));
        return data;
    }

    private static ModelKind Kind(string name) => ModelKind.Gans.Single(k => k.Name == name);

    private GanOptions Options(ModelKind kind, string name, GanLossKind loss = GanLossKind.Bce) =>
        GanOptions.ForRecipe(Path.Combine(_folder.Path, name), kind.Recipe!) with
        {
            Epochs = 1, BatchSize = BatchSize, Limit = Images, Seed = 5, Loss = loss,
            CriticSteps = loss == GanLossKind.WganGp ? 2 : 1,
        };

    private (RunFolder Folder, SilentReporter Reporter) Train(ModelKind kind, GanOptions options)
    {
        var (images, labels) = _set.ToTensors(kind.Pixels);
        using (images)
        using (labels)
        {
            var reporter = new SilentReporter();
            var trainer = new GanTrainer(kind, options, images, reporter);
            trainer.Run(new JsonObject { ["command"] = "test" });
            return (trainer.Folder, reporter);
        }
    }

    [Theory]
    [MemberData(nameof(ModelsAndLosses))]
    public void Each_model_trains_under_each_loss_it_takes_with_finite_losses(string model, string loss)
    {
        var kind = Kind(model);
        var lossKind = GanLossNames.Parse(loss);
        var (run, _) = Train(kind, Options(kind, $"{model}-{loss}", lossKind));

        var history = Assert.Single(run.ReadHistory());
        Assert.Equal(Images / BatchSize, history["steps"]!.GetValue<int>());
        Assert.Equal(0, history["skipped_steps"]!.GetValue<int>());
        Assert.True(double.IsFinite(history["d_loss"]!.GetValue<double>()));
        Assert.True(double.IsFinite(history["g_loss"]!.GetValue<double>()));
        var losses = run.ReadStepLosses();
        Assert.All(losses, l => Assert.True(double.IsFinite(l.DiscriminatorLoss)));
        // WGAN-GP's generator learns on every second step here (n_critic 2); the others' on every step.
        Assert.Equal(lossKind == GanLossKind.WganGp ? Images / BatchSize / 2 : Images / BatchSize, losses.Count(l => double.IsFinite(l.GeneratorLoss)));

        var metadata = Checkpoint.ReadMetadata(run.CheckpointPath(1));
        Assert.Equal(model, metadata["model"]!.GetValue<string>());
        Assert.Equal(loss, metadata["loss"]!.GetValue<string>());
        Assert.True(File.Exists(run.SamplePath(1)));
        using var gan = kind.LoadGan(run.CheckpointPath(1), TorchSharp.torch.CPU, withDiscriminator: true);
        using var grid = gan.DrawGrid(4, null, seed: 1);
        // A tanh generator's pixels lie in [−1, 1], a sigmoid one's in [0, 1], as the grid draws them.
        var (low, high) = kind.Pixels == PixelRange.MinusOneToOne ? (-1f, 1f) : (0f, 1f);
        Assert.InRange(grid.Images.min().item<float>(), low, high);
        Assert.InRange(grid.Images.max().item<float>(), low, high);
        Assert.Equal(kind.Pixels, grid.Range);
    }

    [Fact]
    public void Resume_refuses_another_model_or_loss_naming_what_the_checkpoint_was()
    {
        var kind = ModelKind.Mlp;
        Train(kind, Options(kind, "run"));

        var otherLoss = Assert.Throws<CheckpointException>(() => Train(kind, Options(kind, "run", GanLossKind.Lsgan) with { Epochs = 2, Resume = true }));
        Assert.Contains("was trained with --loss \"bce\"", otherLoss.Message);
        Assert.Contains("got --loss \"lsgan\"", otherLoss.Message);

        var otherModel = Assert.Throws<CheckpointException>(() => Train(ModelKind.DcganBn, Options(ModelKind.DcganBn, "run") with { Epochs = 2, Resume = true }));
        Assert.Contains("is a 'mlp' checkpoint; continue it with 'train gan --model mlp --resume'", otherModel.Message);

        var otherRate = Assert.Throws<CheckpointException>(() => Train(kind, Options(kind, "run") with { Epochs = 2, Resume = true, GeneratorLearningRate = 1e-3 }));
        Assert.Contains("--lr-g", otherRate.Message);
    }

    [Fact]
    public void Resume_continues_exactly_like_an_uninterrupted_run_under_wgan_gp() =>
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) => Train(ModelKind.Mlp, Options(ModelKind.Mlp, name, GanLossKind.WganGp) with { Epochs = epochs, Resume = resume }).Folder,
            "step", "d_loss", "g_loss", "d_acc_real", "d_acc_fake");

    [Fact]
    public void The_time_budget_ends_the_run_at_a_step_boundary_with_its_checkpoint_and_samples_and_a_resume_trains_the_rest()
    {
        var kind = ModelKind.Mlp;
        // A budget far below one step's time: the run ends after its first step, whatever the machine's speed.
        var (run, reporter) = Train(kind, Options(kind, "budget") with { Minutes = 1e-9 });

        var line = Assert.Single(run.ReadHistory());
        Assert.Equal(1, line["steps"]!.GetValue<int>());
        Assert.True(line["partial_epoch"]!.GetValue<bool>());
        Assert.Single(run.ReadStepLosses());
        var metadata = Checkpoint.ReadMetadata(run.CheckpointPath(1));
        Assert.Equal(1, metadata[TrainingRun.PartialEpochKey]!.GetValue<int>());
        Assert.True(metadata[TrainingRun.TrainingSecondsKey]!.GetValue<double>() > 0);
        Assert.True(File.Exists(run.SamplePath(1)));
        Assert.Contains(reporter.Messages, m => m.StartsWith("--minutes 1E-09: stopped after step 1", StringComparison.Ordinal));

        // The same budget again: it is spent already, so nothing trains.
        var (_, spent) = Train(kind, Options(kind, "budget") with { Minutes = 1e-9, Resume = true });
        Assert.Contains(spent.Messages, m => m.Contains("nothing to do", StringComparison.Ordinal));
        Assert.Single(run.ReadHistory());

        // Without a budget the resumed run trains the rest of epoch 1: the steps 2–4 of the same permutation.
        Train(kind, Options(kind, "budget") with { Resume = true });
        var history = run.ReadHistory();
        Assert.Equal([1, 3], history.Select(h => h["steps"]!.GetValue<int>()));
        Assert.Equal(Images / BatchSize, history[^1]["step"]!.GetValue<long>());
        Assert.Equal(Enumerable.Range(1, Images / BatchSize).Select(s => (long)s), run.ReadStepLosses().Select(l => l.Step));
        Assert.Null(Checkpoint.ReadMetadata(run.CheckpointPath(1))[TrainingRun.PartialEpochKey]);
    }

    [Theory]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 1)]
    [InlineData(0.25, 0, 1)]
    [InlineData(0.25, 0.25, 1)]
    [InlineData(0.25, 0.625, 0.5)]
    [InlineData(0.25, 1, 0)]
    [InlineData(0.25, 1.01, 0)]
    [InlineData(0, 0.9, 0.1)]
    public void The_learning_rates_fall_linearly_to_zero_from_the_share_of_the_run_asked_for(double decayFrom, double progress, double factor) =>
        Assert.Equal(factor, (Options(ModelKind.Mlp, "decay") with { LearningRateDecayFrom = decayFrom }).LearningRateFactor(progress), 12);

    [Fact]
    public void A_decaying_learning_rate_changes_the_steps_after_its_start_only_and_a_resume_keeps_the_schedule()
    {
        var kind = ModelKind.Mlp;
        // 8 steps over two epochs, decaying from half the run: steps 1–5 at the full rates (progress ≤ 0.5), step 6 at 0.75 of them.
        var (constant, _) = Train(kind, Options(kind, "constant") with { Epochs = 2 });
        var (decaying, _) = Train(kind, Options(kind, "decaying") with { Epochs = 2, LearningRateDecayFrom = 0.5 });

        // D's loss is measured before D's update, G's through the D just updated: step 6's rates first show in its G loss.
        var (plain, decayed) = (constant.ReadStepLosses(), decaying.ReadStepLosses());
        Assert.Equal(plain.Take(5), decayed.Take(5));
        Assert.Equal(plain[5].DiscriminatorLoss, decayed[5].DiscriminatorLoss);
        Assert.All(plain.Zip(decayed).Skip(5), pair => Assert.NotEqual(pair.First.GeneratorLoss, pair.Second.GeneratorLoss));
        // Each epoch line records the factor of its last step: step 4 at progress 3/8, step 8 at 7/8 (0.125 / 0.5 of the rates).
        Assert.Equal([1.0, 0.25], decaying.ReadHistory().Select(h => h["lr_factor"]!.GetValue<double>()));
        Assert.All(constant.ReadHistory(), h => Assert.False(h.ContainsKey("lr_factor")));
        Assert.Equal(0.5, Checkpoint.ReadMetadata(decaying.CheckpointPath(2))["lr_decay_from"]!.GetValue<double>());

        var otherSchedule = Assert.Throws<CheckpointException>(() => Train(kind, Options(kind, "decaying") with { Epochs = 3, Resume = true }));
        Assert.Contains("was trained with --lr-decay-from 0.5", otherSchedule.Message);
    }

    [Fact]
    public void The_weight_average_leaves_training_as_it_is_and_is_what_the_checkpoint_serves_to_generate()
    {
        var kind = ModelKind.DcganBn;
        var (plain, _) = Train(kind, Options(kind, "plain") with { GeneratorAverage = 0 });
        var (averaged, _) = Train(kind, Options(kind, "averaged") with { GeneratorAverage = 0.999 });

        // The average is made without drawing random numbers, so the live networks train exactly as without it.
        Assert.Equal(plain.ReadStepLosses(), averaged.ReadStepLosses());
        var checkpoint = averaged.CheckpointPath(1);
        Assert.Contains(WeightAverage.CheckpointName, Checkpoint.ReadModuleNames(checkpoint));
        Assert.DoesNotContain(WeightAverage.CheckpointName, Checkpoint.ReadModuleNames(plain.CheckpointPath(1)));
        Assert.Equal(0.999, Checkpoint.ReadMetadata(checkpoint)["ema"]!.GetValue<double>());

        // generate and evaluate read the average: the loaded generator holds its weights, not the live ones.
        using var average = kind.Unconditional!.NewGenerator();
        using var live = kind.Unconditional!.NewGenerator();
        Checkpoint.Load(checkpoint, new Dictionary<string, TorchSharp.torch.nn.Module> { [WeightAverage.CheckpointName] = average, ["generator"] = live });
        using var trained = (Models.Mnist.Evaluation.TrainedUnconditionalGan)kind.LoadGan(checkpoint, TorchSharp.torch.CPU, withDiscriminator: false);
        foreach (var ((name, loaded), (_, expected)) in trained.Generator.named_parameters().Zip(average.named_parameters()))
            Assert.True(loaded.equal(expected).all().item<bool>(), name);
        Assert.Contains(live.named_parameters().Zip(average.named_parameters()), pair => !pair.First.parameter.equal(pair.Second.parameter).all().item<bool>());
        using var liveLoaded = (Models.Mnist.Evaluation.TrainedUnconditionalGan)kind.LoadGan(checkpoint, TorchSharp.torch.CPU, withDiscriminator: false, liveWeights: true);
        foreach (var ((name, loaded), (_, expected)) in liveLoaded.Generator.named_parameters().Zip(live.named_parameters()))
            Assert.True(loaded.equal(expected).all().item<bool>(), name);

        var otherAverage = Assert.Throws<CheckpointException>(() => Train(kind, Options(kind, "averaged") with { Epochs = 2, Resume = true, GeneratorAverage = 0 }));
        Assert.Contains("was trained with --ema 0.999", otherAverage.Message);
    }
}
