using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Onnx;

/// <summary>How <see cref="OnnxImporter"/> builds the module.</summary>
public sealed record OnnxImportOptions
{
    /// <summary>Where the parameters live (default the CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>The parameters' type: float32 (the file's), or float64 for gradient checks.</summary>
    public DType DType { get; init; } = DType.Float32;

    /// <summary>
    /// The square input size the module will see, when it differs from the graph's (224 for ImageNet models). A
    /// fixed-window AveragePool that covers the whole map at the graph's size (ResNet's final 7×7) then becomes a
    /// global average pool, and <see cref="OnnxGraphModule.Notes"/> says so; null keeps the graph's size.
    /// </summary>
    public int? InputSize { get; init; }
}
