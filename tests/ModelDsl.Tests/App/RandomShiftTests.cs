using Models.Mnist.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Tests.App;

/// <summary>The classifier's shift augmentation moves every image by its own whole-pixel offsets and fills with zeros. Alone: it seeds libtorch's global generator.</summary>
[Collection(ProcessWideStateCollection.Name)]
public sealed class RandomShiftTests
{
    [Fact]
    public void Each_image_moves_by_its_own_offsets_and_uncovered_pixels_are_zero()
    {
        // Two 1×5×6 images counting 1..30, moved (down 1, left 2) and (up 2, right 1).
        var images = (arange(1, 31, ScalarType.Float32).reshape(1, 1, 5, 6)).expand(2, 1, 5, 6).contiguous();
        var offsets = tensor(new long[] { 1, -2, -2, 1 }).reshape(2, 2);

        var shifted = RandomShift.Apply(images, maxShift: 2, offsets);

        Assert.Equal(images.shape, shifted.shape);
        for (var row = 0; row < 5; row++)
            for (var column = 0; column < 6; column++)
            {
                Assert.Equal(Source(row - 1, column + 2), shifted[0, 0, row, column].item<float>());
                Assert.Equal(Source(row + 2, column - 1), shifted[1, 0, row, column].item<float>());
            }

        static float Source(int row, int column) => row is >= 0 and < 5 && column is >= 0 and < 6 ? row * 6 + column + 1 : 0;
    }

    [Fact]
    public void Random_offsets_stay_within_the_limit_keep_every_pixel_value_and_follow_the_seed()
    {
        var images = rand(64, 1, 28, 28);
        manual_seed(5);
        var first = RandomShift.Apply(images, 2);
        manual_seed(5);
        var again = RandomShift.Apply(images, 2);

        Assert.True(first.eq(again).all().item<bool>());
        Assert.False(first.eq(images).all().item<bool>());
        // A shift of at most 2 loses at most the two outer rows and columns of a 28×28 image, never scales a value.
        var centre = images.narrow(2, 2, 24).narrow(3, 2, 24).sum(dim: [1, 2, 3]);
        var kept = first.sum(dim: [1, 2, 3]);
        Assert.True((kept >= centre - 1e-3).all().item<bool>());
        Assert.True((kept <= images.sum(dim: [1, 2, 3]) + 1e-3).all().item<bool>());
        Assert.Same(images, RandomShift.Apply(images, 0));
    }
}
