using TorchSharp;
using static TorchSharp.torch;

namespace ModelDsl.Layers;

/// <summary>
/// The layout the generated modules give a convolution's input. On the CPU, oneDNN computes convolutions in
/// channels-last order (N, H, W, C in memory); an NCHW tensor is reordered into it and the result back, around every
/// convolution and its backward pass. Handing it channels-last tensors saves those copies: 16–21% of a DCGAN
/// training step (bench/README.md). Convolution outputs, element-wise layers, pooling and batch normalisation keep the
/// layout, so after the first convolution of a stack the call finds the tensor in it already and returns it as is.
/// Values and shapes are unchanged; only the strides differ (reshape and flatten still read NCHW order).
/// </summary>
public static class MemoryLayout
{
    /// <summary>
    /// <paramref name="input"/> (N×C×H×W) with channels-last strides, on the CPU; elsewhere (e.g. CUDA, where the
    /// trade-off was not measured) unchanged.
    /// </summary>
    public static Tensor ChannelsLast(Tensor input) =>
        input.device_type != DeviceType.CPU || IsChannelsLast(input) ? input : input.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>
    /// Whether <paramref name="input"/> is laid out N, H, W, C in memory. TorchSharp 0.107 has no
    /// <c>is_contiguous(memory_format)</c>, so the strides are checked.
    /// </summary>
    public static bool IsChannelsLast(Tensor input)
    {
        var (shape, strides) = (input.shape, input.stride());
        return shape.Length == 4 && strides[1] == 1 && strides[3] == shape[1] && strides[2] == shape[1] * shape[3] && strides[0] == shape[1] * shape[2] * shape[3];
    }
}
