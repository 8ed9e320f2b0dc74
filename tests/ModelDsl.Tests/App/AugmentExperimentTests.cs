using Models.Mnist.Experiments;
using Models.Mnist.Models;
using ModelDsl.Tests.Support;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>
/// <c>experiment augment</c>'s trials on small subsets (an untrained AC-GAN supplies the generated images). They
/// run alone: the classifiers' dropout draws from libtorch's process-wide generator.
/// </summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class AugmentExperimentTests(TrainedClassifierFixture trained) : IClassFixture<TrainedClassifierFixture>
{
    private static readonly AugmentOptions Small = new(Real: 400, Synthetic: 60, Seeds: 2, Steps: 25, BatchSize: 50);

    private IReadOnlyList<AugmentTrial> Run(AugmentOptions options)
    {
        using var generator = new AcganGenerator();
        return new AugmentExperiment(options, generator, trained.Training, trained.Test, SilentAugmentReporter.Instance, trained.Classifier).Run(CPU);
    }

    [Fact]
    public void Each_seed_is_a_paired_trial_that_a_later_run_of_that_seed_alone_repeats()
    {
        var trials = Run(Small);

        Assert.Equal([1, 2], trials.Select(t => t.Seed));
        foreach (var trial in trials)
        {
            // 25 steps on 400 real digits learn something (chance is 10%).
            Assert.True(trial.RealOnlyAccuracy > 0.4, $"seed {trial.Seed}: real only {trial.RealOnlyAccuracy}");
            Assert.InRange(trial.AugmentedAccuracy, 0, 1);
            Assert.InRange(trial.LabelAccuracy!.Value, 0, 1);
        }
        // The untrained generator's noise, labelled as digits, is not the real images: the two arms differ.
        Assert.NotEqual(trials[0].RealOnlyAccuracy, trials[0].AugmentedAccuracy);

        var again = Assert.Single(Run(Small with { FirstSeed = 2, Seeds = 1 }));
        Assert.Equal(trials[1], again);
    }

    [Fact]
    public void Means_and_sample_standard_deviations_summarise_the_trials()
    {
        var result = new AugmentResult(Small, "g.ckpt",
            [new AugmentTrial(1, 0.90, 0.92, 0.5), new AugmentTrial(2, 0.92, 0.93, 0.7), new AugmentTrial(3, 0.94, 0.91, null)]);

        Assert.Equal(0.92, result.RealOnly.Mean, 1e-12);
        Assert.Equal(0.02, result.RealOnly.StandardDeviation!.Value, 1e-12);
        Assert.Equal(0.0, result.Gain.Mean, 1e-12);
        Assert.Equal(Math.Sqrt((0.02 * 0.02 + 0.01 * 0.01 + 0.03 * 0.03) / 2), result.Gain.StandardDeviation!.Value, 1e-12);
        Assert.Null(result.LabelAccuracy); // seed 3 had no judge
        Assert.Null(MeanStd.Of([0.5]).StandardDeviation);
        Assert.Equal(0.92, result.ToJson()["real_only_accuracy"]!["mean"]!.GetValue<double>(), 1e-12);
    }
}
