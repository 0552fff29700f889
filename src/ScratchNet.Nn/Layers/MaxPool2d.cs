using ScratchNet.Kernels;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>
/// PyTorch's <c>nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)</c>, floor mode; the padding may also be a
/// <see cref="Padding2d"/> (top, left, bottom, right), as CNTK's exports pad [1, 1, 0, 0].
/// </summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, Padding2d padding = default) : Layer
{
    /// <summary>Window size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Stride (defaults to the window size).</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding (as −∞).</summary>
    public Padding2d Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.MaxPool2d(x, KernelSize, Stride, Padding);
}
