using System.Text.Json.Nodes;
using ModelDsl;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// What every GAN trainer sets up alike before its first step: the two networks with their Adams (the recipe's rate
/// and β1), the run's checkpointing, resumed from the newest checkpoint when asked, and run.json.
/// </summary>
internal sealed class GanSession<TGenerator, TDiscriminator> : IDisposable
    where TGenerator : nn.Module
    where TDiscriminator : nn.Module
{
    public GanSession(
        GanOptions options,
        RunFolder folder,
        ITrainingReporter reporter,
        string model,
        IReadOnlyList<RecipeSetting> recipeSettings,
        Func<TGenerator> newGenerator,
        Func<TDiscriminator> newDiscriminator,
        JsonObject runInfo)
    {
        Device = DeviceChoice.Select(options.Device);
        torch.manual_seed(options.Seed);
        // Parameters are created on the CPU (so a seed gives the same initial weights everywhere), then moved.
        Generator = newGenerator().to(Device);
        Discriminator = newDiscriminator().to(Device);
        GeneratorOptimizer = optim.Adam(Generator.parameters(), options.LearningRate, options.Beta1, 0.999);
        DiscriminatorOptimizer = optim.Adam(Discriminator.parameters(), options.LearningRate, options.Beta1, 0.999);
        Run = new TrainingRun(folder, reporter, model,
            [
                new("--batch-size", "batch_size", options.BatchSize),
                new("--seed", "seed", options.Seed),
                new("--limit", "limit", options.Limit),
                .. recipeSettings,
            ],
            new Dictionary<string, nn.Module> { ["generator"] = Generator, ["discriminator"] = Discriminator },
            new Dictionary<string, OptimizerHelper> { ["generator"] = GeneratorOptimizer, ["discriminator"] = DiscriminatorOptimizer });

        try
        {
            (StartEpoch, StepsTaken) = Run.Resume(options.Resume);
            runInfo["resumed_at_epoch"] = StartEpoch;
            runInfo["device"] = Device.ToString();
            folder.WriteRunInfo(runInfo);
        }
        catch
        {
            // A refused checkpoint ends the session before its caller holds it: free the native memory here.
            Dispose();
            throw;
        }
    }

    public Device Device { get; }
    public TGenerator Generator { get; }
    public TDiscriminator Discriminator { get; }
    public Adam GeneratorOptimizer { get; }
    public Adam DiscriminatorOptimizer { get; }
    public TrainingRun Run { get; }

    /// <summary>The first epoch to train: 1, or the one after the checkpoint resumed from.</summary>
    public int StartEpoch { get; }

    /// <summary>The steps the resumed checkpoint had taken (0 for a new run).</summary>
    public long StepsTaken { get; }

    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
    }
}
