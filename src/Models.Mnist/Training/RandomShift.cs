using static TorchSharp.torch;

namespace Models.Mnist.Training;

/// <summary>
/// The classic MNIST augmentation: each image moved by whole pixels, up to <c>maxShift</c> in each direction, the
/// uncovered border filled with background (zero). Offsets come from torch's generator, so a seeded run (and a run
/// resumed from its checkpoint, which holds the generator's state) draws the same ones.
/// </summary>
internal static class RandomShift
{
    /// <summary><paramref name="images"/> (N×C×H×W), each shifted by its own offsets in [−maxShift, maxShift].</summary>
    public static Tensor Apply(Tensor images, int maxShift) =>
        maxShift == 0 ? images : Apply(images, maxShift, randint(-maxShift, maxShift + 1, [images.shape[0], 2], device: images.device));

    /// <summary>
    /// Each image <c>n</c> moved down by <c>offsets[n, 0]</c> rows and right by <c>offsets[n, 1]</c> columns
    /// (negative: up, left), for offsets within ±<paramref name="maxShift"/>.
    /// </summary>
    public static Tensor Apply(Tensor images, int maxShift, Tensor offsets)
    {
        using var scope = NewDisposeScope();
        var (count, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);
        var padded = nn.functional.pad(images, [maxShift, maxShift, maxShift, maxShift]);
        // Output row i reads padded row i + maxShift − offset: two gathers, rows then columns.
        var rows = (arange(height, device: images.device).unsqueeze(0) + maxShift - offsets.select(1, 0).unsqueeze(1))
            .view(count, 1, height, 1).expand(count, channels, height, width + 2 * maxShift);
        var columns = (arange(width, device: images.device).unsqueeze(0) + maxShift - offsets.select(1, 1).unsqueeze(1))
            .view(count, 1, 1, width).expand(count, channels, height, width);
        return padded.gather(2, rows).gather(3, columns).MoveToOuterDisposeScope();
    }
}
