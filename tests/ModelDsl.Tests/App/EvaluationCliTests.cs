using System.Text.Json.Nodes;
using Models.Mnist.Cli;
using Models.Mnist.Models;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary><c>train classifier</c> and <c>evaluate</c> from the command line: results, and one-line errors.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class EvaluationCliTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private string? _data;

    public void Dispose() => _folder.Dispose();

    /// <summary>Synthetic MNIST files: these tests are about the commands, not about what they learn.</summary>
    private string Data => _data ??= IdxFiles.WriteDataFolder(_folder);

    /// <summary>An untrained DCGAN saved as train dcgan saves it: enough for evaluate, which judges whatever it draws.</summary>
    private string DcganCheckpoint() => GanCheckpoint<DcganGenerator, DcganDiscriminator>("dcgan");

    /// <summary>An untrained AC-GAN saved as train acgan saves it.</summary>
    private string AcganCheckpoint() => GanCheckpoint<AcganGenerator, AcganDiscriminator>("acgan");

    private string GanCheckpoint<TGenerator, TDiscriminator>(string model)
        where TGenerator : nn.Module, new()
        where TDiscriminator : nn.Module, new()
    {
        var path = _folder.File($"{model}.ckpt");
        using var generator = new TGenerator();
        using var discriminator = new TDiscriminator();
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["generator"] = generator, ["discriminator"] = discriminator },
            new Dictionary<string, OptimizerHelper>(), new JsonObject { ["model"] = model, ["epoch"] = 0 });
        return path;
    }

    /// <summary>An untrained classifier saved as train classifier saves it, recording no data set (as before --dataset): MNIST's.</summary>
    private string EarlierClassifierCheckpoint()
    {
        var path = _folder.File("classifier.ckpt");
        using var classifier = new DigitClassifier();
        // "classifier": the module name train classifier saves the network under.
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["classifier"] = classifier },
            new Dictionary<string, OptimizerHelper>(), new JsonObject { ["model"] = "classifier", ["epoch"] = 0, ["test_accuracy"] = 0.1 });
        return path;
    }

    [SkippableFact]
    public void Fashion_MNIST_end_to_end_a_classifier_epoch_a_few_gan_steps_and_evaluate_naming_its_classes()
    {
        var fashion = DebianFashionMnist.Directory;
        string[] data = ["--dataset", "fashion-mnist", "--data", fashion, "--device", "cpu"];
        var classifier = _folder.File("fashion-classifier");
        var (exit, error, _) = CliTests.Run(["train", "classifier", .. data, "--out", classifier, "--epochs", "1", "--limit", "256", "--batch-size", "64"]);
        Assert.True(exit == 0, error);
        var classifierCheckpoint = Assert.Single(Directory.GetFiles(Path.Combine(classifier, "checkpoints")));
        Assert.Equal("fashion-mnist", Checkpoint.ReadMetadata(classifierCheckpoint)["dataset"]!.GetValue<string>());

        var gan = _folder.File("fashion-dcgan");
        (exit, error, _) = CliTests.Run(["train", "dcgan", .. data, "--out", gan, "--epochs", "1", "--limit", "128", "--batch-size", "64"]);
        Assert.True(exit == 0, error);
        var ganCheckpoint = Assert.Single(Directory.GetFiles(Path.Combine(gan, "checkpoints")));

        // The tables go to Spectre's console, which writes to the process's stdout unless told otherwise.
        var tables = new StringWriter();
        var console = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(tables), Ansi = AnsiSupport.No });
        try
        {
            (exit, error, _) = CliTests.Run(["evaluate", "--checkpoint", gan, "--classifier", classifier, "--samples", "100", .. data]);
        }
        finally
        {
            AnsiConsole.Console = console;
        }
        Assert.True(exit == 0, error);
        Assert.Contains("T-shirt/top", tables.ToString());
        Assert.Contains("Ankle boot", tables.ToString());

        // A model of one data set is refused with another's data or models, saying what to do.
        (exit, error, _) = CliTests.Run("evaluate", "--checkpoint", gan, "--classifier", classifier);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: {ganCheckpoint}: the GAN was trained on Fashion-MNIST, not MNIST: evaluate it with --dataset fashion-mnist", error.TrimEnd());
        var mnistClassifier = EarlierClassifierCheckpoint();
        (exit, error, _) = CliTests.Run(["evaluate", "--checkpoint", gan, "--classifier", mnistClassifier, .. data]);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: {mnistClassifier}: the judge (--classifier) was trained on MNIST, not Fashion-MNIST: " +
                     "a GAN of Fashion-MNIST is judged by a classifier of 'train classifier --dataset fashion-mnist'", error.TrimEnd());
        (exit, error, _) = CliTests.Run("train", "dcgan", "--data", Data, "--out", gan, "--epochs", "2", "--limit", "128", "--batch-size", "64", "--resume", "--device", "cpu");
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Contains("was trained with --dataset \"fashion-mnist\"", error);
    }

    [Fact]
    public void Augmenting_with_a_dcgan_exits_1_saying_it_needs_a_class_conditional_generator()
    {
        var dcgan = DcganCheckpoint();
        var (exit, error, _) = CliTests.Run("experiment", "augment", "--generator", dcgan);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: {dcgan}: is a 'dcgan' checkpoint, whose digits carry no class: experiment augment needs a generator written by 'train acgan' or 'train gan --model acgan-small'", error.TrimEnd());
    }

    [Fact]
    public void Missing_classifier_exits_1_naming_the_path()
    {
        var missing = _folder.File("no-classifier.ckpt");
        var (exit, error, _) = CliTests.Run("evaluate", "--checkpoint", DcganCheckpoint(), "--classifier", missing);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: no checkpoint file or run folder at {missing}", error.TrimEnd());
    }

    [Fact]
    public void A_dcgan_checkpoint_passed_as_the_classifier_exits_1_saying_what_it_is()
    {
        var dcgan = DcganCheckpoint();
        var (exit, error, _) = CliTests.Run("evaluate", "--checkpoint", dcgan, "--classifier", dcgan);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: {dcgan}: is a 'dcgan' checkpoint, not a classifier: pass one written by 'train classifier'", error.TrimEnd());
    }

    [Fact]
    public void Train_a_classifier_then_evaluate_a_gan_with_its_run_folder_as_json()
    {
        var run = _folder.File("classifier");
        var (trainExit, trainError, _) = CliTests.Run("train", "classifier", "--data", Data, "--out", run,
            "--epochs", "1", "--limit", "256", "--batch-size", "64", "--device", "cpu");
        Assert.True(trainExit == 0, trainError);

        // A classifier is no GAN either: it neither is judged nor draws digits.
        var (wrongExit, wrongError, _) = CliTests.Run("evaluate", "--checkpoint", run, "--classifier", run);
        Assert.Equal(MnistCli.Failure, wrongExit);
        Assert.Contains("is a 'classifier' checkpoint, not a GAN", wrongError);
        (wrongExit, wrongError, _) = CliTests.Run("generate", "--checkpoint", run, "--out", _folder.File("digits.png"));
        Assert.Equal(MnistCli.Failure, wrongExit);
        Assert.Contains("is a 'classifier' checkpoint, not a GAN: pass one written by 'train gan' (dcgan, dcgan-bn, mlp, acgan, acgan-small)", wrongError);

        var dcgan = DcganCheckpoint();
        var (exit, error, output) = CliTests.Run("evaluate", "--checkpoint", dcgan, "--classifier", run, "--samples", "100",
            "--json", "--data", Data, "--device", "cpu");
        Assert.True(exit == 0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(dcgan, result["checkpoint"]!.GetValue<string>());
        Assert.Equal(100, result["eval_samples"]!.GetValue<int>());
        foreach (var key in new[] { "fid", "fid_floor", "mnist_score", "mnist_score_real", "class_chi_square", "d_acc_real_test", "d_acc_fake_samples" })
            Assert.True(double.IsFinite(result[key]!.GetValue<double>()), key);
        Assert.Equal(10, result["class_shares"]!.AsArray().Count);
        Assert.Equal(1.0, result["class_shares"]!.AsArray().Sum(s => s!.GetValue<double>()), 1e-9);
        Assert.Null(result["class_accuracy"]);
        // Without conditions a sample's digit is the one the classifier reads in it.
        Assert.Equal("predicted", result["fid_per_class_by"]!.GetValue<string>());
        Assert.Equal(10, result["fid_per_class"]!.AsArray().Count);
        Assert.Equal(ModelDsl.Evaluation.ClassVariety.DefaultMinimumSamples, result["fid_per_class_min_samples"]!.GetValue<int>());

        // The AC-GAN adds how often each requested digit is recognised.
        var acgan = AcganCheckpoint();
        var (acganExit, acganError, acganOutput) = CliTests.Run("evaluate", "--checkpoint", acgan, "--classifier", run, "--samples", "100",
            "--json", "--data", Data, "--device", "cpu");
        Assert.True(acganExit == 0, acganError);
        var acganResult = JsonNode.Parse(acganOutput)!.AsObject();
        Assert.Equal("acgan", acganResult["model"]!.GetValue<string>());
        foreach (var key in new[] { "fid", "mnist_score", "class_accuracy", "class_accuracy_worst", "d_acc_real_test", "d_acc_fake_samples" })
            Assert.True(double.IsFinite(acganResult[key]!.GetValue<double>()), key);
        Assert.Equal(10, acganResult["class_accuracy_per_class"]!.AsArray().Count);

        // And it can label the images of the augmentation experiment.
        var (augmentExit, augmentError, augmentOutput) = CliTests.Run("experiment", "augment", "--generator", acgan, "--classifier", run,
            "--real", "100", "--synthetic", "20", "--seeds", "1", "--steps", "3", "--mix", "0.5", "--json",
            "--data", Data, "--device", "cpu");
        Assert.True(augmentExit == 0, augmentError);
        var augment = JsonNode.Parse(augmentOutput)!.AsObject();
        var trial = Assert.Single(augment["trials"]!.AsArray())!;
        var (realOnly, augmented) = (trial["real_only_accuracy"]!.GetValue<double>(), trial["augmented_accuracy"]!.GetValue<double>());
        Assert.Equal(augmented - realOnly, augment["gain"]!["mean"]!.GetValue<double>(), 1e-12);
        Assert.Null(augment["gain"]!["std"]);
        Assert.InRange(augment["label_accuracy"]!["mean"]!.GetValue<double>(), 0, 1);
        Assert.Equal(trial["generated_only_accuracy"]!.GetValue<double>(), augment["generated_only_accuracy"]!["mean"]!.GetValue<double>());
        Assert.Equal(0.5, augment["mix"]!.GetValue<double>()); // 64 of the default batch of 128
    }
}
