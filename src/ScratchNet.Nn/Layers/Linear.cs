using ScratchNet.Kernels;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>Fully connected layer, PyTorch's <c>nn.Linear</c>: <c>y = x·Wᵀ + b</c>, W [out, in]; kaiming-uniform(a=√5) init.</summary>
public sealed class Linear : Layer
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Linear(int inFeatures, int outFeatures, bool bias = true, DType dtype = DType.Float32, Device? device = null)
    {
        if (inFeatures <= 0 || outFeatures <= 0)
            throw new ArgumentException($"Linear({inFeatures}, {outFeatures}): feature counts must be positive");
        device ??= Device.Cpu;
        InFeatures = inFeatures; OutFeatures = outFeatures;
        Weight = RegisterParameter("weight", Init.KaimingUniformDefault([outFeatures, inFeatures], inFeatures, dtype, device));
        Bias = bias ? RegisterParameter("bias", Init.BiasUniform(outFeatures, inFeatures, dtype, device)) : null;
    }

    /// <summary>Input features.</summary>
    public int InFeatures { get; }
    /// <summary>Output features.</summary>
    public int OutFeatures { get; }
    /// <summary>[out, in].</summary>
    public Tensor Weight { get; }
    /// <summary>[out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Linear(x, Weight, Bias);
}
