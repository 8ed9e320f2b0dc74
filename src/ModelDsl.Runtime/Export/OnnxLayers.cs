using static TorchSharp.torch;

namespace ModelDsl.Export;

/// <summary>What generated ONNX code calls for layers whose nodes the generator cannot know.</summary>
public static class OnnxLayers
{
    /// <summary>
    /// A custom layer's nodes, written by its module (<see cref="IOnnxLayer"/>); a module without them stops the
    /// export with an error that names the layer and what to implement.
    /// </summary>
    public static string Custom(IOnnxGraph graph, nn.Module<Tensor, Tensor> module, string layer, string input, string name) =>
        module is IOnnxLayer exportable
            ? exportable.WriteOnnx(graph, input, name)
            : throw new OnnxExportException(
                $"the custom layer {layer} ({name}) has no ONNX form: let its module ({module.GetType().Name}) implement ModelDsl.Export.IOnnxLayer");
}
