using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>The layer form of exact GELU, <c>x·Φ(x)</c> (PyTorch's <c>nn.GELU()</c>).</summary>
public sealed class Gelu : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Gelu(x);
}
