using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>The layer form of average of each channel to 1×1 (PyTorch's <c>nn.AdaptiveAvgPool2d((1, 1))</c>; only output size 1 is supported).</summary>
public sealed class AdaptiveAvgPool2d : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.AdaptiveAvgPool2d(x);
}
