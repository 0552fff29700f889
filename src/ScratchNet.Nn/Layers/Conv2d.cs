using ScratchNet.Kernels;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>
/// 2-D convolution layer, PyTorch's <c>nn.Conv2d</c> (groups 1, dilation 1, zero padding):
/// <c>y = b + W ⋆ x</c>, weight [out, in, k, k], bias [out]; kaiming-uniform(a=√5) init. The padding is PyTorch's
/// one number, or a <see cref="Padding2d"/> (top, left, bottom, right) for models exported with asymmetric padding.
/// </summary>
public sealed class Conv2d : Layer
{
    /// <summary>Creates the layer with PyTorch's default initialisation.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, Padding2d padding = default, bool bias = true,
        DType dtype = DType.Float32, Device? device = null)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || !padding.IsValid)
            throw new ArgumentException($"Conv2d({inChannels}, {outChannels}, kernel {kernelSize}, stride {stride}, padding {padding}): sizes must be positive, padding non-negative");
        device ??= Device.Cpu;
        InChannels = inChannels; OutChannels = outChannels; KernelSize = kernelSize; Stride = stride; Padding = padding;
        int fanIn = inChannels * kernelSize * kernelSize;
        Weight = RegisterParameter("weight", Init.KaimingUniformDefault([outChannels, inChannels, kernelSize, kernelSize], fanIn, dtype, device));
        Bias = bias ? RegisterParameter("bias", Init.BiasUniform(outChannels, fanIn, dtype, device)) : null;
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Square kernel size.</summary>
    public int KernelSize { get; }
    /// <summary>Stride.</summary>
    public int Stride { get; }
    /// <summary>Zero padding (top, left, bottom, right; one int converts to the same on every side).</summary>
    public Padding2d Padding { get; }
    /// <summary>[out, in, k, k].</summary>
    public Tensor Weight { get; }
    /// <summary>[out], or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Conv2d(x, Weight, Bias, Stride, Padding);
}
