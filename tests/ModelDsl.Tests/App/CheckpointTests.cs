using System.Text.Json.Nodes;
using Models.Mnist.Models;
using ModelDsl.Tests.Support;
using ModelDsl.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

public sealed class CheckpointTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, nn.Module> Named(nn.Module module) => new() { ["generator"] = module };

    [Fact]
    public void Round_trip_restores_parameters_optimizer_and_metadata()
    {
        var path = _folder.File("a.ckpt");
        using var saved = new DcganDiscriminator();
        using var optimizer = optim.Adam(saved.parameters());
        saved.forward(randn(2, 1, 28, 28)).sum().backward();
        optimizer.step();
        Checkpoint.Save(path, Named(saved), new Dictionary<string, OptimizerHelper> { ["opt"] = optimizer }, new JsonObject { ["epoch"] = 7 });

        using var loaded = new DcganDiscriminator();
        using var loadedOptimizer = optim.Adam(loaded.parameters());
        var metadata = Checkpoint.Load(path, Named(loaded), new Dictionary<string, OptimizerHelper> { ["opt"] = loadedOptimizer });

        Assert.Equal(7, metadata["epoch"]!.GetValue<int>());
        foreach (var ((name, a), (_, b)) in saved.named_parameters().Zip(loaded.named_parameters()))
            Assert.True(a.allclose(b, 0, 0), name);
    }

    [Fact]
    public void Checkpoint_of_another_architecture_is_rejected_with_the_parameter_and_both_shapes()
    {
        var path = _folder.File("classifier.ckpt");
        using (var classifier = new DigitClassifier())
            Checkpoint.Save(path, Named(classifier), new Dictionary<string, OptimizerHelper>(), new JsonObject());
        using var generator = new DcganGenerator();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Named(generator)));
        Assert.Contains("another architecture", error.Message);
        Assert.Matches(@"'[a-z0-9_]+\.(weight|bias)'", error.Message);
    }

    [Fact]
    public void Same_names_with_other_shapes_name_both_shapes()
    {
        var path = _folder.File("small.ckpt");
        using (var small = nn.Sequential(("dense_0", nn.Linear(100, 10))))
            Checkpoint.Save(path, Named(small), new Dictionary<string, OptimizerHelper>(), new JsonObject());
        using var generator = new DcganGenerator();
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path, Named(generator)));
        Assert.Contains("'dense_0.weight' is 10×100 in the checkpoint but 6272×100", error.Message);
    }

    [Fact]
    public void Truncated_or_corrupt_files_are_rejected_with_a_clear_reason()
    {
        var path = _folder.File("g.ckpt");
        using (var generator = new DcganGenerator())
            Checkpoint.Save(path, Named(generator), new Dictionary<string, OptimizerHelper>(), new JsonObject());
        var bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated or corrupt", Assert.Throws<CheckpointException>(() => Checkpoint.ReadMetadata(path)).Message);

        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);
        Assert.Contains("truncated or corrupt", Assert.Throws<CheckpointException>(() => Checkpoint.ReadMetadata(path)).Message);

        File.WriteAllText(path, "hello");
        Assert.Contains("not a ModelDsl checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.ReadMetadata(path)).Message);
    }
}
