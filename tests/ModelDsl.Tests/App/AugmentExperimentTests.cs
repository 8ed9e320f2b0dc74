using Models.Mnist.Training;
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
        // The same untrained generator every time, so runs differ only where the experiment lets them.
        manual_seed(11);
        using var generator = new AcganGenerator();
        return new AugmentExperiment(options, generator, ModelKind.Acgan.Conditional!, trained.Training, trained.Test, new SilentReporter(), trained.Classifier).Run(CPU);
    }

    [SkippableFact]
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
            // Noise labelled as digits teaches nothing about real ones.
            Assert.True(trial.GeneratedOnlyAccuracy < trial.RealOnlyAccuracy, $"seed {trial.Seed}: generated only {trial.GeneratedOnlyAccuracy}");
        }
        // The untrained generator's noise, labelled as digits, is not the real images: the two arms differ.
        Assert.NotEqual(trials[0].RealOnlyAccuracy, trials[0].AugmentedAccuracy);

        var again = Assert.Single(Run(Small with { FirstSeed = 2, Seeds = 1 }));
        Assert.Equal(trials[1], again);
    }

    [SkippableFact]
    public void A_mix_changes_only_the_augmented_arm()
    {
        var shuffled = Assert.Single(Run(Small with { Seeds = 1 }));
        var mixed = Assert.Single(Run(Small with { Seeds = 1, Mix = 0.5 }));

        Assert.Equal(shuffled.RealOnlyAccuracy, mixed.RealOnlyAccuracy);
        Assert.Equal(shuffled.GeneratedOnlyAccuracy, mixed.GeneratedOnlyAccuracy);
        // 60 of 460 images shuffled together: about 7 generated per batch of 50; mixed: 25.
        Assert.NotEqual(shuffled.AugmentedAccuracy, mixed.AugmentedAccuracy);
    }

    [Fact]
    public void Mixed_batches_hold_the_asked_share_and_go_through_each_pool_once_per_pass()
    {
        // 30 real images (indices 0–29), then 20 generated (30–49); batches of 10 with 4 generated: one pass of each pool is 5 steps.
        var batches = AugmentExperiment.Mixed(real: 30, generated: 20, batch: 10, generatedPerBatch: 4, seed: 3);

        var pass = Enumerable.Range(0, 5).Select(step => { using var indices = batches(step); return indices.data<long>().ToArray(); }).ToList();

        Assert.All(pass, indices => Assert.Equal([6, 4], [indices.Count(i => i < 30), indices.Count(i => i >= 30)]));
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), pass.SelectMany(indices => indices).Order());
        using var nextPass = batches(5);
        Assert.NotEqual(pass[0], nextPass.data<long>().ToArray()); // a fresh permutation per pass
    }

    [SkippableFact]
    public void The_real_images_of_a_seed_hold_the_digits_in_equal_shares_and_differ_between_seeds()
    {
        using var generator = new AcganGenerator();
        var experiment = new AugmentExperiment(Small with { Real = 403 }, generator, ModelKind.Acgan.Conditional!, trained.Training, trained.Test, new SilentReporter());

        using var first = experiment.RealSubset(1);
        using var again = experiment.RealSubset(1);
        using var second = experiment.RealSubset(2);

        using var counts = first.Labels.bincount(null, 10);
        Assert.Equal([41L, 41, 41, 40, 40, 40, 40, 40, 40, 40], counts.data<long>().ToArray());
        Assert.True(first.Images.eq(again.Images).all().item<bool>());
        Assert.False(first.Labels.eq(second.Labels).all().item<bool>() && first.Images.eq(second.Images).all().item<bool>());
        // Each image keeps its own label.
        using var firstOfDigit = first.Images[first.Labels.eq(7)];
        using var sums = firstOfDigit.sum([1, 2, 3]);
        using var trainingSums = trained.Training.Images[trained.Training.Labels.eq(7)].sum([1, 2, 3]);
        Assert.All(sums.data<float>().ToArray(), sum => Assert.Contains(sum, trainingSums.data<float>().ToArray()));
    }

    [Fact]
    public void Means_and_sample_standard_deviations_summarise_the_trials()
    {
        var result = new AugmentResult(Small, "g.ckpt",
            [new AugmentTrial(1, 0.90, 0.92, 0.80, 0.5), new AugmentTrial(2, 0.92, 0.93, 0.84, 0.7), new AugmentTrial(3, 0.94, 0.91, 0.88, null)]);

        Assert.Equal(0.92, result.RealOnly.Mean, 1e-12);
        Assert.Equal(0.02, result.RealOnly.StandardDeviation!.Value, 1e-12);
        Assert.Equal(0.0, result.Gain.Mean, 1e-12);
        Assert.Equal(Math.Sqrt((0.02 * 0.02 + 0.01 * 0.01 + 0.03 * 0.03) / 2), result.Gain.StandardDeviation!.Value, 1e-12);
        Assert.Equal(0.84, result.GeneratedOnly.Mean, 1e-12);
        Assert.Equal(0.04, result.GeneratedOnly.StandardDeviation!.Value, 1e-12);
        Assert.Null(result.LabelAccuracy); // seed 3 had no judge
        Assert.Null(MeanStd.Of([0.5]).StandardDeviation);
        Assert.Equal(0.92, result.ToJson()["real_only_accuracy"]!["mean"]!.GetValue<double>(), 1e-12);
    }
}
