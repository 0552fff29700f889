using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>The layer form of <c>1/(1 + e^(−x))</c> (PyTorch's <c>nn.Sigmoid</c>).</summary>
public sealed class Sigmoid : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Sigmoid(x);
}
