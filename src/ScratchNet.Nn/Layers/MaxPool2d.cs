using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>PyTorch's <c>nn.MaxPool2d(kernel_size, stride=kernel_size, padding=0)</c>, floor mode.</summary>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0) : Layer
{
    /// <summary>Window size.</summary>
    public int KernelSize { get; } = kernelSize;
    /// <summary>Stride (defaults to the window size).</summary>
    public int Stride { get; } = stride ?? kernelSize;
    /// <summary>Padding (as −∞).</summary>
    public int Padding { get; } = padding;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.MaxPool2d(x, KernelSize, Stride, Padding);
}
