using ScratchNet.Kernels;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>
/// SqueezeNet 1.1's fire module (torchvision's <c>Fire</c>, same state-dict names): a 1×1 "squeeze" conv + ReLU,
/// then a 1×1 and a 3×3 "expand" conv (each + ReLU) whose outputs are concatenated along channels:
/// <c>y = cat(relu(E1(s)), relu(E3(s)))</c>, <c>s = relu(S(x))</c>; output channels = expand1x1 + expand3x3.
/// </summary>
public sealed class Fire : Layer
{
    /// <summary>Creates a fire module.</summary>
    public Fire(int inChannels, int squeeze, int expand1x1, int expand3x3, DType dtype = DType.Float32, Device? device = null)
    {
        Squeeze = RegisterModule("squeeze", new Conv2d(inChannels, squeeze, 1, dtype: dtype, device: device));
        Expand1x1 = RegisterModule("expand1x1", new Conv2d(squeeze, expand1x1, 1, dtype: dtype, device: device));
        Expand3x3 = RegisterModule("expand3x3", new Conv2d(squeeze, expand3x3, 3, padding: 1, dtype: dtype, device: device));
    }

    /// <summary>The 1×1 squeeze conv.</summary>
    public Conv2d Squeeze { get; }
    /// <summary>The 1×1 expand conv.</summary>
    public Conv2d Expand1x1 { get; }
    /// <summary>The 3×3 expand conv.</summary>
    public Conv2d Expand3x3 { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels => Expand1x1.OutChannels + Expand3x3.OutChannels;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        using var sq = Squeeze.Forward(x);
        using var s = Functional.Relu(sq);
        using var e1 = Expand1x1.Forward(s);
        using var r1 = Functional.Relu(e1);
        using var e3 = Expand3x3.Forward(s);
        using var r3 = Functional.Relu(e3);
        return Functional.Cat(r1, r3);
    }
}
