using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>PyTorch's <c>nn.Flatten()</c>: [N, C, H, W] → [N, C·H·W], a view.</summary>
public sealed class Flatten(int startDim = 1) : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Flatten(x, startDim);
}
