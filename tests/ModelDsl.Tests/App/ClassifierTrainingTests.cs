using System.Text.Json.Nodes;
using Models.Mnist.Evaluation;
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
/// A classifier trained once on 2,000 real MNIST images (2 epochs), shared by the tests that need a trained judge.
/// Trained when a test first asks, so that without the real files those tests are skipped (a fixture cannot skip).
/// </summary>
public sealed class TrainedClassifierFixture : IDisposable
{
    public const int TrainingImages = 2000;
    public const int TestImages = 2000;
    private readonly TempFolder _folder = new();
    private readonly Lazy<Trained> _trained;

    public TrainedClassifierFixture() => _trained = new(Train);

    private sealed record Trained(LabelledImages Training, LabelledImages Test, RunFolder Run, DigitClassifier Classifier);

    private Trained Train()
    {
        var training = Load(MnistSplit.Train, TrainingImages);
        var test = Load(MnistSplit.Test, TestImages);
        var options = new ClassifierOptions(_folder.File("run")) { Epochs = 2, BatchSize = 32, Limit = TrainingImages, Device = "cpu" };
        var trainer = new ClassifierTrainer(options, training, test, new SilentReporter());
        trainer.Run(new JsonObject { ["command"] = "fixture" });
        return new(training, test, trainer.Folder, ClassifierTrainer.Load(trainer.Folder.LatestCheckpoint()!, CPU).Classifier);
    }

    private static LabelledImages Load(MnistSplit split, int count)
    {
        var (images, labels) = RealMnist.Read(split, count).ToTensors(PixelRange.ZeroToOne);
        return new LabelledImages(images, labels);
    }

    internal LabelledImages Training => _trained.Value.Training;
    internal LabelledImages Test => _trained.Value.Test;
    internal RunFolder Run => _trained.Value.Run;
    public DigitClassifier Classifier => _trained.Value.Classifier;

    public void Dispose()
    {
        if (_trained.IsValueCreated)
        {
            Classifier.Dispose();
            Training.Dispose();
            Test.Dispose();
        }
        _folder.Dispose();
    }
}

/// <summary>
/// Training the digit classifier and evaluating GANs (on synthetic images), and judging "generators" made of real
/// digits with the fixture's classifier. They run alone: dropout draws from libtorch's process-wide generator.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class ClassifierTrainingTests(TrainedClassifierFixture trained) : IClassFixture<TrainedClassifierFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private LabelledImages Gradients(int count)
    {
        var (images, labels) = IdxFiles.GradientSet(_folder, count).ToTensors(PixelRange.ZeroToOne);
        return new LabelledImages(images, labels);
    }

    [SkippableFact]
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
        using var training = Gradients(256);
        using var test = Gradients(200);
        ResumeCheck.ContinuesLikeAnUninterruptedRun(
            (name, epochs, resume) =>
            {
                // The rate's cosine spans every epoch, so the interrupted run is the 2-epoch run stopped as epoch 2 begins.
                var options = new ClassifierOptions(_folder.File(name)) { Epochs = 2, BatchSize = 64, Seed = 4, Resume = resume, Device = "cpu" };
                var trainer = new ClassifierTrainer(options, training, test, epochs == 1 ? new StopAtEpoch(2) : new SilentReporter());
                try { trainer.Run(new JsonObject()); }
                catch (OperationCanceledException) when (epochs == 1) { }
                return trainer.Folder;
            },
            "epoch", "step", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "learning_rate");
    }

    /// <summary>A checkpoint in a run folder that records <paramref name="metadata"/> but holds a DCGAN discriminator's weights, which no classifier can load.</summary>
    private RunFolder RunWithUnloadableCheckpoint(string name, JsonObject metadata)
    {
        var run = new RunFolder(_folder.File(name), keepsSamples: false);
        using var discriminator = new DcganDiscriminator();
        Checkpoint.Save(run.CheckpointPath(1), new Dictionary<string, nn.Module> { ["classifier"] = discriminator },
            new Dictionary<string, TorchSharp.Modules.OptimizerHelper>(), metadata);
        return run;
    }

    [Fact]
    public void Resume_with_another_recipe_or_model_is_refused_before_any_weight_is_loaded()
    {
        using var training = Gradients(128);
        using var test = Gradients(100);
        void Resume(RunFolder run, int batchSize) =>
            new ClassifierTrainer(new ClassifierOptions(run.Root) { Epochs = 2, BatchSize = batchSize, Seed = 4, Resume = true, Device = "cpu" },
                training, test, new SilentReporter()).Run(new JsonObject());
        var recipe = new JsonObject
        {
            ["model"] = "classifier", ["epoch"] = 1, ["step"] = 2, ["seed"] = 4, ["batch_size"] = 64, ["limit"] = null,
            ["max_shift"] = ClassifierOptions.DefaultMaxShift, ["epochs"] = 2,
        };

        var classifierRun = RunWithUnloadableCheckpoint("classifier", recipe);
        // Loading these weights fails on their shapes, so a refusal that names the recipe came before any was loaded.
        Assert.Contains("another architecture", Assert.Throws<CheckpointException>(() => Resume(classifierRun, batchSize: 64)).Message);
        var refused = Assert.Throws<CheckpointException>(() => Resume(classifierRun, batchSize: 32));
        Assert.EndsWith("was trained with --batch-size 64; resume with the same values (got --batch-size 32)", refused.Message);
        Assert.False(File.Exists(classifierRun.RunInfoPath), "nothing is written for a refused run");

        var dcganRun = RunWithUnloadableCheckpoint("dcgan", new JsonObject { ["model"] = "dcgan", ["epoch"] = 1, ["step"] = 2 });
        var otherModel = Assert.Throws<CheckpointException>(() => Resume(dcganRun, batchSize: 64));
        Assert.EndsWith("is a 'dcgan' checkpoint; continue it with 'train dcgan --resume', or give this classifier run another --out", otherModel.Message);
    }

    [Fact]
    public void A_nan_image_stops_the_run_naming_the_step_or_is_skipped_and_counted()
    {
        using var training = Gradients(256);
        using var test = Gradients(100);
        // Image 0 poisons exactly one batch per epoch.
        training.Images[0].fill_(float.NaN);
        var reporter = new SilentReporter();
        ClassifierTrainer Trainer(string name, NonFinitePolicy policy) =>
            new(new ClassifierOptions(_folder.File(name)) { Epochs = 2, BatchSize = 64, Seed = 2, Device = "cpu", OnNonFinite = policy },
                training, test, reporter);

        var stopping = Trainer("stop", NonFinitePolicy.Stop);
        var stopped = Assert.Throws<NonFiniteTrainingException>(() => stopping.Run(new JsonObject()));
        Assert.InRange(stopped.Finding.Step, 1, 4);
        Assert.Contains("loss", stopped.Message);
        Assert.Null(stopping.Folder.LatestCheckpoint());

        var skipping = Trainer("skip", NonFinitePolicy.SkipStep);
        var reportedBefore = reporter.StepsReported;
        skipping.Run(new JsonObject());
        Assert.Equal(2 * 256 / 64, reporter.StepsReported - reportedBefore);
        var history = skipping.Folder.ReadHistory();
        Assert.Equal([1, 1], history.Select(h => h["skipped_steps"]!.GetValue<int>()));
        Assert.True(double.IsFinite(history[^1]["train_loss"]!.GetValue<double>()), "the skipped batch is left out of the mean");
        Assert.True(double.IsFinite(history[^1]["test_loss"]!.GetValue<double>()), "the weights stayed finite");
    }

    [SkippableFact]
    public void Real_test_digits_as_a_conditional_generator_are_recognised_as_often_as_the_classifier_is_right()
    {
        var evaluator = new GanEvaluator(trained.Classifier, trained.Test, trained.Training.Images);
        // "Generates" digit k as the test images of digit k, in order, whatever the latent point.
        var byClass = Enumerable.Range(0, GanEvaluator.Classes).Select(k => trained.Test.Images[trained.Test.Labels.eq(k)]).ToArray();
        Tensor Generate(Tensor latent, Tensor classes) => byClass[classes[0].item<long>()].narrow(0, 0, classes.shape[0]);

        var accuracy = evaluator.ClassAccuracy(Generate, (count, random) => randn([count, 100], generator: random), samplesPerClass: 150, seed: 1);

        var score = ClassifierTrainer.Score(trained.Classifier, trained.Test).Accuracy;
        Assert.InRange(accuracy.Overall, score - 0.05, score + 0.05);
        Assert.True(accuracy.Worst > 0.5, $"worst class {accuracy.Worst}");
        foreach (var images in byClass) images.Dispose();
    }

    [SkippableFact]
    public void The_test_set_judged_against_itself_is_at_distance_zero_with_the_real_scores()
    {
        var evaluator = new GanEvaluator(trained.Classifier, trained.Test, trained.Training.Images);
        var next = 0L;
        (Tensor, Tensor?) TestImagesInOrder(int count, TorchSharp.torch.Generator random)
        {
            var images = trained.Test.Images.narrow(0, next, count).clone();
            var digits = trained.Test.Labels.narrow(0, next, count).clone();
            next += count;
            return (images, digits);
        }

        var evaluation = evaluator.Evaluate(TestImagesInOrder, TrainedClassifierFixture.TestImages, seed: 1, probabilityReal: images => full([images.shape[0], 1], 0.75f));

        Assert.True(evaluation.Fid < 1e-6, $"FID {evaluation.Fid}");
        // Each digit's images against themselves: every intra-class distance 0, the spread the test digits' own.
        Assert.True(evaluation.VarietyByRequestedDigit);
        Assert.All(evaluation.Variety.FrechetPerClass, d => Assert.InRange(d!.Value, 0, 1e-6));
        Assert.Equal(1, evaluation.Variety.SpreadRatio!.Value, 1e-9);
        Assert.True(evaluation.FidFloor > evaluation.Fid, $"floor {evaluation.FidFloor}");
        Assert.Equal(evaluation.RealMnistScore.Mean, evaluation.MnistScore.Mean, 1e-9);
        // Predicted classes of the test images differ from their labels only where the classifier errs.
        var errors = evaluation.Classes.Counts.Zip(evaluation.RealClasses.Counts, (predicted, real) => Math.Abs(predicted - real)).Sum();
        var misclassified = (1 - ClassifierTrainer.Score(trained.Classifier, trained.Test).Accuracy) * TrainedClassifierFixture.TestImages;
        Assert.True(errors <= 2 * misclassified + 1e-6, $"{errors} count differences for {misclassified} errors");
        Assert.True(double.IsFinite(evaluation.ClassChiSquare));
        Assert.Equal(1, evaluation.DiscriminatorAccuracyReal);
        Assert.Equal(0, evaluation.DiscriminatorAccuracyFake);
    }

    [Fact]
    public void A_dcgan_is_evaluated_in_eval_mode_and_left_as_it_was()
    {
        using var generator = new DcganGenerator();
        using var discriminator = new DcganDiscriminator();

        var evaluation = EvaluatedAlikeTwiceAndLeftAsItWas(generator, discriminator,
            evaluator => evaluator.Evaluate(generator, discriminator, ModelKind.Dcgan.Unconditional!, ModelKind.Dcgan.Pixels, samples: 20, seed: 3));

        Assert.Null(evaluation.ClassAccuracy);
    }

    [Theory]
    [InlineData("acgan")]
    [InlineData("acgan-small")]
    public void An_acgan_is_evaluated_per_requested_digit_in_eval_mode_and_left_as_it_was(string model)
    {
        var networks = ModelKind.Gans.Single(k => k.Name == model).Conditional!;
        using var generator = networks.NewGenerator();
        using var discriminator = networks.NewDiscriminator();

        var evaluation = EvaluatedAlikeTwiceAndLeftAsItWas(generator, discriminator,
            evaluator => evaluator.Evaluate(generator, discriminator, networks, samples: 20, seed: 3));

        var accuracy = Assert.IsType<ModelDsl.Evaluation.ClassAccuracy>(evaluation.ClassAccuracy);
        Assert.Equal(GanEvaluator.Classes, accuracy.PerClass.Count);
        Assert.Equal(2, accuracy.SamplesPerClass);
        // 20 samples of random digits leave every digit below the 10 that its intra-class figures need.
        Assert.True(evaluation.VarietyByRequestedDigit);
        Assert.All(evaluation.Variety.FrechetPerClass, Assert.Null);
        Assert.Null(evaluation.Variety.SpreadRatio);
    }

    /// <summary>A training generator and an eval-mode discriminator: evaluation gives the same figures twice (dropout off) and leaves both modes as they were.</summary>
    private GanEvaluation EvaluatedAlikeTwiceAndLeftAsItWas(nn.Module generator, nn.Module discriminator, Func<GanEvaluator, GanEvaluation> evaluate)
    {
        // How the networks are treated does not depend on the judge's skill: an untrained one on synthetic images will do.
        using var judge = new DigitClassifier();
        using var test = Gradients(100);
        using var training = Gradients(100);
        var evaluator = new GanEvaluator(judge, test, training.Images);
        discriminator.eval();

        var first = evaluate(evaluator);
        var second = evaluate(evaluator);

        Assert.True(generator.training);
        Assert.False(discriminator.training);
        Assert.Equal(first.Fid, second.Fid);
        Assert.Equal(first.ClassAccuracy?.PerClass, second.ClassAccuracy?.PerClass);
        Assert.True(first.Fid > 0 && double.IsFinite(first.Fid), $"FID {first.Fid}");
        Assert.NotNull(first.DiscriminatorAccuracyReal);
        Assert.NotNull(first.DiscriminatorAccuracyFake);
        return first;
    }
}

/// <summary>Stops a run the way Ctrl+C does, as epoch <paramref name="epoch"/> begins (after the previous one's checkpoint).</summary>
internal sealed class StopAtEpoch(int epoch) : IProgressReporter
{
    public void Started(string label, int steps)
    {
        if (label.StartsWith($"epoch {epoch}/", StringComparison.Ordinal)) throw new OperationCanceledException($"stopped as {label} began");
    }

    public void StepDone(int step, string figures) { }
    public void Finished(string line) { }
    public void Message(string text) { }
}
