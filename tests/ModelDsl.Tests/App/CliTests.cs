using System.Text.Json.Nodes;
using Models.Mnist.Cli;
using ModelDsl.Tests.Support;
using ModelDsl.Training;

namespace ModelDsl.Tests.App;

/// <summary>The command line's contract: bad input exits non-zero with one line saying why.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class CliTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private string? _data;

    public void Dispose() => _folder.Dispose();

    /// <summary>Synthetic MNIST files: these tests are about the commands, not about what they learn.</summary>
    private string Data => _data ??= IdxFiles.WriteDataFolder(_folder);

    internal static (int Exit, string Error, string Output) Run(params string[] args)
    {
        var (error, output) = (new StringWriter(), new StringWriter());
        var (oldError, oldOutput) = (Console.Error, Console.Out);
        Console.SetError(error);
        Console.SetOut(output);
        try
        {
            return (MnistCli.Run(args, IdxFiles.SyntheticDataSets), error.ToString(), output.ToString());
        }
        finally
        {
            Console.SetError(oldError);
            Console.SetOut(oldOutput);
        }
    }

    [Theory]
    [InlineData("fly")]
    [InlineData("train", "gan", "--model", "wgan")]
    [InlineData("train", "gan", "--loss", "hinge")]
    [InlineData("train", "gan", "--model", "dcgan", "--loss", "wgan-gp")]
    [InlineData("train", "gan", "--loss", "wgan-gp", "--label-smoothing", "0.9")]
    [InlineData("train", "gan", "--n-critic", "3")]
    [InlineData("train", "gan", "--label-smoothing", "1.5")]
    [InlineData("train", "gan", "--lr-g", "0")]
    [InlineData("train", "gan", "--minutes", "-1")]
    [InlineData("train", "gan", "--lr-decay-from", "1")]
    [InlineData("train", "gan", "--eval-every-steps", "10")]
    [InlineData("train", "gan", "--recipe", "keras")]
    [InlineData("train", "gan", "--model", "mlp", "--test-limit", "10")]
    [InlineData("train", "acgan", "--loss", "lsgan")]
    [InlineData("train", "gan", "--model", "acgan-small", "--n-critic", "2")]
    [InlineData("train", "gan", "--model", "mlp", "--class-weight", "2")]
    [InlineData("train", "gan", "--model", "mlp", "--class-weight-g", "0.5")]
    [InlineData("train", "gan", "--model", "dcgan-bn", "--mode-seeking", "1")]
    [InlineData("train", "gan", "--model", "acgan-small", "--mode-seeking", "0")]
    [InlineData("train", "gan", "--model", "acgan-small", "--class-weight", "0")]
    [InlineData("train", "dcgan", "--epochs", "0")]
    [InlineData("train", "dcgan", "--batch-size", "many")]
    [InlineData("generate", "--out", "x.png")]
    [InlineData("train", "dcgan", "--device", "gpu")]
    [InlineData("summary", "dcgan", "--numerics", "isa=avx3")]
    [InlineData("generate", "--checkpoint", "c", "--out", "x.png", "--digit", "12")]
    [InlineData("generate", "--checkpoint", "c", "--out", "x.png", "--digits", "01a")]
    [InlineData("generate", "--checkpoint", "c", "--out", "x.png", "--digit", "1", "--digits", "12")]
    [InlineData("train", "acgan", "--test-limit", "0")]
    [InlineData("train", "acgan", "--recipe", "pytorch")]
    [InlineData("train", "acgan", "--recipe", "projection")]
    [InlineData("train", "classifier", "--epochs", "0")]
    [InlineData("train", "classifier", "--limit", "0")]
    [InlineData("train", "addition", "--questions", "9")]
    [InlineData("train", "addition", "--questions", "200001")]
    [InlineData("train", "addition", "--data", "mnist")]
    [InlineData("evaluate", "--classifier", "c.ckpt")]
    [InlineData("evaluate", "--checkpoint", "g.ckpt", "--classifier", "c.ckpt", "--samples", "5")]
    [InlineData("experiment", "augment")]
    [InlineData("experiment", "augment", "--generator", "g.ckpt", "--real", "60001")]
    [InlineData("experiment", "augment", "--generator", "g.ckpt", "--steps", "0")]
    [InlineData("experiment", "augment", "--generator", "g.ckpt", "--mix", "1")]
    [InlineData("experiment", "augment", "--generator", "g.ckpt", "--mix", "0.003")]
    public void Bad_command_lines_exit_2_with_one_line(params string[] args)
    {
        var (exit, error, _) = Run(args);
        Assert.Equal(MnistCli.UsageError, exit);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Missing_checkpoint_exits_1_naming_the_path()
    {
        var missing = _folder.File("nothing-here.ckpt");
        var (exit, error, _) = Run("generate", "--checkpoint", missing, "--out", _folder.File("g.png"));
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: no checkpoint file or run folder at {missing}", error.TrimEnd());
    }

    [Fact]
    public void Missing_data_exits_1_saying_what_to_do()
    {
        var (exit, error, _) = Run("train", "dcgan", "--data", _folder.Path, "--out", _folder.File("run"), "--epochs", "1");
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("--data", error);
    }

    [Fact]
    public void Cuda_where_there_is_none_exits_1_with_one_line()
    {
        if (TorchSharp.torch.cuda.is_available()) return; // the refusal only exists without CUDA
        var (exit, error, _) = Run("train", "dcgan", "--data", Data, "--out", _folder.File("run"),
            "--epochs", "1", "--limit", "128", "--batch-size", "64", "--device", "cuda");
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("cuda", error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Summary_prints_both_networks_of_the_dcgan()
    {
        var (exit, _, output) = Run("summary", "dcgan");
        Assert.Equal(0, exit);
        Assert.Contains("Model: \"DcganGenerator\"", output);
        Assert.Contains("Total params: 1,164,289", output);
        Assert.Contains("Total params: 40,705", output);
    }

    [Fact]
    public void Summary_has_a_command_for_every_kind_printing_each_network()
    {
        foreach (var kind in Models.Mnist.Training.ModelKind.All)
        {
            var (exit, _, output) = Run("summary", kind.Name);
            Assert.Equal(0, exit);
            Assert.Equal(kind.Summaries.Count, output.Split("Total params:").Length - 1);
        }
    }

    [Fact]
    public void Verbose_names_the_numerics_configuration_and_how_to_override_it()
    {
        var (exit, error, _) = Run("summary", "dcgan", "--verbose");
        Assert.Equal(0, exit);
        Assert.StartsWith("numerics: ", error);
        Assert.Contains("MODELDSL_NUMERICS=", error);
    }

    [Fact]
    public void Train_then_generate_from_the_run_folder_without_training_data()
    {
        var run = _folder.File("run");
        var (trainExit, trainError, _) = Run("train", "dcgan", "--data", Data, "--out", run,
            "--epochs", "1", "--limit", "128", "--batch-size", "64");
        Assert.True(trainExit == 0, trainError);

        var grid = _folder.File("digits.png");
        var (exit, error, _) = Run("generate", "--checkpoint", run, "--count", "16", "--out", grid);
        Assert.True(exit == 0, error);
        var image = Models.Mnist.Imaging.PngFile.Load(grid);
        Assert.Equal(4 * 28 + 5 * Models.Mnist.Imaging.ImageGrid.DefaultPadding, image.Width);

        var (digitExit, digitError, _) = Run("generate", "--checkpoint", run, "--digit", "3", "--out", _folder.File("three.png"));
        Assert.Equal(1, digitExit);
        Assert.Contains("need a checkpoint of train acgan", digitError);
        Assert.Single(digitError.Trim().Split('\n'));
    }

    /// <summary>A classifier run folder of one epoch on 256 images, the judge of the tests that evaluate GANs.</summary>
    private string TrainedClassifier()
    {
        var classifier = _folder.File("classifier");
        var (exit, error, _) = Run("train", "classifier", "--data", Data, "--out", classifier, "--epochs", "1", "--limit", "256");
        Assert.True(exit == 0, error);
        return classifier;
    }

    [Fact]
    public void Training_with_a_classifier_adds_the_evaluation_to_the_history_and_plots_quality()
    {
        var classifier = TrainedClassifier();

        var dcgan = _folder.File("dcgan");
        var (exit, error, _) = Run("train", "dcgan", "--data", Data, "--out", dcgan, "--epochs", "1", "--limit", "128",
            "--batch-size", "64", "--classifier", classifier, "--eval-samples", "20");
        Assert.True(exit == 0, error);
        var history = JsonNode.Parse(File.ReadLines(Path.Combine(dcgan, "history.jsonl")).Single())!.AsObject();
        foreach (var key in new[] { "fid", "fid_floor", "mnist_score", "d_acc_real_test", "evaluation_seconds" })
            Assert.True(history.ContainsKey(key), $"history lacks {key}: {history.ToJsonString()}");
        Assert.True(File.Exists(Path.Combine(dcgan, "quality.png")));

        var acgan = _folder.File("acgan");
        (exit, error, _) = Run("train", "acgan", "--data", Data, "--out", acgan, "--epochs", "1", "--limit", "100",
            "--test-limit", "50", "--batch-size", "50", "--classifier", classifier, "--eval-samples", "20");
        Assert.True(exit == 0, error);
        history = JsonNode.Parse(File.ReadLines(Path.Combine(acgan, "history.jsonl")).Single())!.AsObject();
        Assert.Equal(10, history["class_accuracy_per_class"]!.AsArray().Count);
        Assert.True(history.ContainsKey("fid"));

        // Judged every second step: step 2 on a line of its own, step 4 (the epoch's last) on the epoch's line.
        var dcganBn = _folder.File("dcgan-bn");
        (exit, error, _) = Run("train", "gan", "--model", "dcgan-bn", "--data", Data, "--out", dcganBn, "--epochs", "1", "--limit", "64",
            "--batch-size", "16", "--classifier", classifier, "--eval-samples", "20", "--eval-every-steps", "2");
        Assert.True(exit == 0, error);
        var lines = File.ReadLines(Path.Combine(dcganBn, "history.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal([2L, 4L], lines.Select(l => l["step"]!.GetValue<long>()));
        Assert.All(lines, l => Assert.True(l.ContainsKey("fid"), l.ToJsonString()));
        Assert.False(lines[0].ContainsKey("d_loss"));

        (exit, error, _) = Run("train", "dcgan", "--data", Data, "--out", _folder.File("x"), "--eval-every", "2");
        Assert.Equal(MnistCli.UsageError, exit);
        Assert.Contains("need --classifier", error);
    }

    [Fact]
    public void Train_gan_trains_the_model_and_loss_asked_for_then_generates_and_refuses_to_resume_another_loss()
    {
        var run = _folder.File("mlp");
        string[] train = ["train", "gan", "--model", "mlp", "--data", Data, "--out", run, "--limit", "64", "--batch-size", "16"];
        var (exit, error, _) = Run([.. train, "--epochs", "1", "--loss", "wgan-gp", "--n-critic", "2", "--lr-d", "3e-4"]);
        Assert.True(exit == 0, error);
        var metadata = Checkpoint.ReadMetadata(Path.Combine(run, "checkpoints", "epoch-001.ckpt"));
        Assert.Equal("mlp", metadata["model"]!.GetValue<string>());
        Assert.Equal("wgan-gp", metadata["loss"]!.GetValue<string>());
        Assert.Equal(2, metadata["n_critic"]!.GetValue<int>());
        Assert.Equal(3e-4, metadata["lr_d"]!.GetValue<double>());

        (exit, error, _) = Run("generate", "--checkpoint", run, "--count", "4", "--out", _folder.File("mlp.png"));
        Assert.True(exit == 0, error);
        Assert.Equal(2 * 28 + 3 * Models.Mnist.Imaging.ImageGrid.DefaultPadding, Models.Mnist.Imaging.PngFile.Load(_folder.File("mlp.png")).Width);

        (exit, error, _) = Run([.. train, "--epochs", "2", "--resume", "--loss", "lsgan"]);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains("was trained with --loss \"wgan-gp\"", error);
    }

    [Fact]
    public void Train_acgan_then_generate_chosen_digits()
    {
        var run = _folder.File("acgan");
        var (trainExit, trainError, output) = Run("train", "acgan", "--data", Data, "--out", run,
            "--epochs", "1", "--limit", "100", "--test-limit", "50", "--batch-size", "50");
        Assert.True(trainExit == 0, trainError);
        Assert.Contains("discriminator (test)", output);

        var (exit, error, _) = Run("generate", "--checkpoint", run, "--digit", "7", "--count", "6", "--out", _folder.File("sevens.png"));
        Assert.True(exit == 0, error);
        Assert.Equal(6 * 28 + 7 * Models.Mnist.Imaging.ImageGrid.DefaultPadding, Models.Mnist.Imaging.PngFile.Load(_folder.File("sevens.png")).Width);

        (exit, error, _) = Run("generate", "--checkpoint", run, "--digits", "0123456789", "--out", _folder.File("all.png"));
        Assert.True(exit == 0, error);
        var grid = Models.Mnist.Imaging.PngFile.Load(_folder.File("all.png"));
        Assert.Equal(10 * 28 + 11 * Models.Mnist.Imaging.ImageGrid.DefaultPadding, grid.Height);
    }

    [Fact]
    public void Train_acgan_small_with_steps_judged_resume_it_then_generate_a_digit_and_evaluate_it_as_json()
    {
        var classifier = TrainedClassifier();

        // 4 steps an epoch, judged every second step: step 2 on a line of its own, step 4 on the epoch's line.
        var run = _folder.File("acgan-small");
        string[] train = ["train", "gan", "--model", "acgan-small", "--data", Data, "--out", run, "--limit", "64", "--batch-size", "16",
            "--test-limit", "50", "--classifier", classifier, "--eval-samples", "20", "--eval-every-steps", "2",
            "--label-smoothing", "0.9", "--class-weight", "2", "--lr-g", "3e-4"];
        var (exit, error, output) = Run([.. train, "--epochs", "1"]);
        Assert.True(exit == 0, error);
        Assert.Contains("discriminator (test)", output);
        var metadata = Checkpoint.ReadMetadata(Path.Combine(run, "checkpoints", "epoch-001.ckpt"));
        Assert.Equal("acgan-small", metadata["model"]!.GetValue<string>());
        Assert.Equal(0.9, metadata["real_label"]!.GetValue<double>());
        Assert.Equal(2, metadata["class_weight"]!.GetValue<double>());
        Assert.Equal(3e-4, metadata["lr_g"]!.GetValue<double>());

        (exit, error, _) = Run([.. train, "--epochs", "2", "--resume"]);
        Assert.True(exit == 0, error);
        var lines = File.ReadLines(Path.Combine(run, "history.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal([2L, 4L, 6L, 8L], lines.Select(l => l["step"]!.GetValue<long>()));
        Assert.All(lines, l => Assert.Equal(10, l["fid_per_class"]!.AsArray().Count));
        Assert.All(lines, l => Assert.Equal("requested", l["fid_per_class_by"]!.GetValue<string>()));
        Assert.True(lines[3].ContainsKey("d_test_loss") && !lines[2].ContainsKey("d_loss"));

        // Another class weight is another recipe: the resumed run is refused, naming what the checkpoint had.
        (exit, error, _) = Run([.. train[..^6], "--lr-g", "3e-4", "--label-smoothing", "0.9", "--epochs", "3", "--resume"]);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Contains("--class-weight", error);

        (exit, error, _) = Run("generate", "--checkpoint", run, "--digit", "3", "--count", "5", "--out", _folder.File("threes.png"));
        Assert.True(exit == 0, error);
        Assert.Equal(5 * 28 + 6 * Models.Mnist.Imaging.ImageGrid.DefaultPadding, Models.Mnist.Imaging.PngFile.Load(_folder.File("threes.png")).Width);

        // 300 samples of random digits: about 30 a digit, so each has its intra-class figures.
        (exit, error, output) = Run("evaluate", "--checkpoint", run, "--classifier", classifier, "--samples", "300", "--json", "--data", Data);
        Assert.True(exit == 0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("acgan-small", result["model"]!.GetValue<string>());
        var perDigit = result["fid_per_class"]!.AsArray().Select(d => d!.GetValue<double>()).ToList();
        Assert.Equal(10, perDigit.Count);
        Assert.All(perDigit, d => Assert.True(d > 0 && double.IsFinite(d), $"{d}"));
        Assert.Equal(perDigit.Average(), result["fid_per_class_mean"]!.GetValue<double>(), 1e-9);
        Assert.True(result["spread_ratio"]!.GetValue<double>() > 0);
        Assert.Equal(10, result["class_accuracy_per_class"]!.AsArray().Count);
    }

    [Fact]
    public void Acgan_small_s_default_projection_is_recorded_without_a_class_loss_and_judged_without_D_s_accuracy()
    {
        var classifier = TrainedClassifier();
        var run = _folder.File("acgan-small-projection");
        string[] train = ["train", "gan", "--model", "acgan-small", "--data", Data, "--out", run, "--limit", "64", "--batch-size", "16",
            "--test-limit", "50", "--classifier", classifier, "--eval-samples", "20"];
        var (exit, error, _) = Run([.. train, "--epochs", "1"]);
        Assert.True(exit == 0, error);
        var metadata = Checkpoint.ReadMetadata(Path.Combine(run, "checkpoints", "epoch-001.ckpt"));
        Assert.Equal("projection", metadata["recipe"]!.GetValue<string>());
        Assert.Equal(0, metadata["class_weight"]!.GetValue<double>());
        Assert.Equal(0, metadata["class_weight_g"]!.GetValue<double>());
        Assert.Equal(0.95, metadata["real_label"]!.GetValue<double>());
        // D's verdict needs the digit, which D's accuracy does not give it: the figure is left out, the others are there.
        var line = Assert.Single(File.ReadLines(Path.Combine(run, "history.jsonl")).Select(l => JsonNode.Parse(l)!.AsObject()));
        Assert.True(double.IsFinite(line["fid"]!.GetValue<double>()) && double.IsFinite(line["d_test_loss"]!.GetValue<double>()));
        Assert.False(line.ContainsKey("d_acc_real_test"));

        (exit, error, var output) = Run("evaluate", "--checkpoint", run, "--classifier", classifier, "--samples", "100", "--json", "--data", Data);
        Assert.True(exit == 0, error);
        var result = JsonNode.Parse(output)!.AsObject();
        Assert.True(double.IsFinite(result["class_accuracy"]!.GetValue<double>()));
        Assert.False(result.ContainsKey("d_acc_real_test") || result.ContainsKey("d_acc_fake_samples"));

        (exit, error, _) = Run([.. train, "--recipe", "keras", "--epochs", "2", "--resume"]);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Contains("was trained with --recipe \"projection\"", error);
    }

    [Fact]
    public void Evaluate_refuses_a_checkpoint_that_records_an_unknown_recipe_before_loading_anything()
    {
        // No networks in the file: the refusal must come from the metadata alone, before the judge or the GAN is loaded.
        var checkpoint = _folder.File("unknown-recipe.ckpt");
        Checkpoint.Save(checkpoint, new Dictionary<string, TorchSharp.torch.nn.Module>(), new Dictionary<string, TorchSharp.Modules.OptimizerHelper>(),
            new JsonObject { ["model"] = "acgan-small", ["recipe"] = "hinge" });
        var (exit, error, _) = Run("evaluate", "--checkpoint", checkpoint, "--classifier", checkpoint, "--data", Data);
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Equal($"error: {checkpoint}: records the AC-GAN recipe 'hinge', which this app does not know (keras, reference, projection)", error.TrimEnd());
    }

    [Fact]
    public void Export_then_generate_through_onnx_runtime_draws_the_checkpoints_picture()
    {
        var run = _folder.File("acgan-small-onnx");
        var (exit, error, _) = Run("train", "gan", "--model", "acgan-small", "--data", Data, "--out", run, "--limit", "64", "--batch-size", "16", "--epochs", "1");
        Assert.True(exit == 0, error);
        var generator = _folder.File("exports/generator.onnx");
        (exit, error, _) = Run("export", "--checkpoint", run, "--out", generator);
        Assert.True(exit == 0, error);
        var metadata = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(generator)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(("acgan-small", "average", "100", "normal", "-1..1", "10"),
            (metadata["model"], metadata["weights"], metadata["latent_size"], metadata["latent_prior"], metadata["pixel_range"], metadata["classes"]));

        // The same seed draws the same latent points on both paths: the pictures agree within one gray level.
        (exit, error, _) = Run("generate", "--onnx", generator, "--digits", "372", "--count", "4", "--seed", "5", "--out", _folder.File("onnx.png"));
        Assert.True(exit == 0, error);
        (exit, error, _) = Run("generate", "--checkpoint", run, "--digits", "372", "--count", "4", "--seed", "5", "--out", _folder.File("torch.png"));
        Assert.True(exit == 0, error);
        var (throughOnnx, throughTorch) = (Models.Mnist.Imaging.PngFile.Load(_folder.File("onnx.png")), Models.Mnist.Imaging.PngFile.Load(_folder.File("torch.png")));
        Assert.Equal((throughTorch.Width, throughTorch.Height), (throughOnnx.Width, throughOnnx.Height));
        Assert.InRange(throughOnnx.Pixels.Zip(throughTorch.Pixels, (a, b) => Math.Abs(a - b)).Max(), 0, 1);

        (exit, error, _) = Run("export", "--checkpoint", run, "--network", "d", "--out", _folder.File("exports/discriminator.onnx"));
        Assert.True(exit == 0, error);
        (exit, error, _) = Run("generate", "--onnx", _folder.File("exports/discriminator.onnx"), "--out", _folder.File("d.png"));
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Contains("has no 'latent_size' in its metadata", error);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("export", "--out", "x.onnx")]
    [InlineData("export", "--checkpoint", "c", "--out", "x.onnx", "--network", "critic")]
    [InlineData("generate", "--checkpoint", "c", "--onnx", "g.onnx", "--out", "x.png")]
    public void Export_and_onnx_generate_usage_errors_exit_2(params string[] args)
    {
        var (exit, error, _) = Run(args);
        Assert.Equal(MnistCli.UsageError, exit);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void Export_refuses_a_discriminator_of_a_classifier_and_writes_the_classifier()
    {
        var classifier = TrainedClassifier();
        var (exit, error, _) = Run("export", "--checkpoint", classifier, "--network", "d", "--out", _folder.File("d.onnx"));
        Assert.Equal(MnistCli.Failure, exit);
        Assert.Contains("'classifier' checkpoint, which has no discriminator", error);
        Assert.False(File.Exists(_folder.File("d.onnx")));
        (exit, error, _) = Run("export", "--checkpoint", classifier, "--out", _folder.File("classifier.onnx"));
        Assert.True(exit == 0, error);
        var model = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(_folder.File("classifier.onnx")));
        Assert.Equal(["image"], model.Graph.Input.Select(i => i.Name));
    }

}

/// <summary>Tests that redirect the process-wide console or need libtorch's process-wide random generator run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
    public const string Name = "Process-wide state";
}
