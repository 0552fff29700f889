using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>The layer form of <c>max(x, 0)</c> (PyTorch's <c>nn.ReLU</c>).</summary>
public sealed class Relu : Layer
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Relu(x);
}
