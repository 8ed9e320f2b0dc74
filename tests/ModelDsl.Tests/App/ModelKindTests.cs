using System.Text.Json.Nodes;
using Models.Mnist.Training;
using ModelDsl.Training;

namespace ModelDsl.Tests.App;

/// <summary>The one list of model kinds: what checkpoints record, and what each kind can be asked to do.</summary>
public sealed class ModelKindTests
{
    [Fact]
    public void Each_kind_has_its_own_name_and_the_checkpoint_name_finds_it()
    {
        Assert.Equal(ModelKind.All.Count, ModelKind.All.Select(k => k.Name).Distinct().Count());
        foreach (var kind in ModelKind.All)
        {
            Assert.Same(kind, ModelKind.Of(new JsonObject { ["model"] = kind.Name }));
            Assert.NotEmpty(kind.Summaries);
        }
        Assert.Null(ModelKind.Of(new JsonObject { ["model"] = "vae" }));
        Assert.Equal("unknown", ModelKind.RecordedName(new JsonObject()));
    }

    [Fact]
    public void Only_gans_generate_and_only_class_conditional_ones_draw_chosen_digits()
    {
        Assert.Equal([ModelKind.Dcgan, ModelKind.DcganBn, ModelKind.Mlp, ModelKind.Acgan, ModelKind.AcganSmall], ModelKind.All.Where(k => k.IsGan));
        Assert.Equal(ModelKind.All.Where(k => k.IsGan), ModelKind.Gans);
        Assert.Equal([ModelKind.Acgan, ModelKind.AcganSmall], ModelKind.All.Where(k => k.DrawsChosenDigits));
        Assert.All(ModelKind.All.Where(k => k.DrawsChosenDigits), k => Assert.True(k.IsGan, k.Name));
        Assert.Equal("'train dcgan' or 'train gan --model dcgan-bn' or 'train gan --model mlp' or 'train acgan' or 'train gan --model acgan-small'", ModelKind.TrainCommandsOf(k => k.IsGan));
        // Every GAN has training defaults; the AC-GANs have their own trainer (conditional networks, no unconditional ones).
        Assert.All(ModelKind.Gans, k => Assert.NotNull(k.Recipe));
        Assert.Equal([ModelKind.Acgan, ModelKind.AcganSmall], ModelKind.Gans.Where(k => k.Unconditional is null));
        Assert.All(ModelKind.Gans, k => Assert.True(k.Unconditional is null != k.Conditional is null, k.Name));
    }

    [Fact]
    public void A_checkpoint_of_the_wrong_kind_is_refused_naming_what_it_is()
    {
        var classifier = new JsonObject { ["model"] = "classifier" };
        Assert.Same(ModelKind.Classifier, ModelKind.Require("c.ckpt", classifier, k => !k.IsGan, "unused"));

        var error = Assert.Throws<CheckpointException>(() => ModelKind.RequireGan("c.ckpt", classifier));
        Assert.Equal("c.ckpt: is a 'classifier' checkpoint, not a GAN: pass one written by 'train gan' (dcgan, dcgan-bn, mlp, acgan, acgan-small)", error.Message);
        Assert.Contains("is a 'unknown' checkpoint", Assert.Throws<CheckpointException>(() => ModelKind.RequireGan("x.ckpt", new JsonObject())).Message);
    }
}
