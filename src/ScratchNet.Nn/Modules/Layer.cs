using ScratchNet.Tensors;

namespace ScratchNet.Nn.Modules;

/// <summary>A module with one input and one output, the kind <see cref="Sequential"/> chains.</summary>
public abstract class Layer : Module
{
    /// <summary>Computes the layer's output.</summary>
    public abstract Tensor Forward(Tensor x);
}
