using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Average pooling (floor mode, zero padding counted in the divisor): <c>y = (1/k²)·Σ_window x</c>;
/// <c>dx[h,w] = Σ dy/k²</c> over the windows covering (h, w). PyTorch: <c>F.avg_pool2d</c>.
/// </summary>
public sealed class AvgPool2dFunction : Function
{
    private readonly Pool2dShape shape;
    private AvgPool2dFunction(Pool2dShape shape) => this.shape = shape;

    /// <inheritdoc/>
    public override string Name => "AvgPool2d";

    /// <summary>Average-pools <paramref name="x"/> [N,C,H,W] with a k×k window.</summary>
    public static Tensor Apply(Tensor x, int kernelSize, int? stride = null, Padding2d padding = default)
    {
        Guard.Floating("AvgPool2d", x);
        Guard.Rank("AvgPool2d", x, 4, "input", "[N, C, H, W]");
        var s = new Pool2dShape(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), kernelSize, stride ?? kernelSize, padding);
        s.Validate("AvgPool2d");
        var y = Tensor.Empty([s.N, s.C, s.OH, s.OW], x.DType, x.Device);
        x.Device.Backend.AvgPool2dForward(x.Buffer, y.Buffer, s);
        return NeedsGrad(x) ? new AvgPool2dFunction(s).Record(y, x) : y;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty([shape.N, shape.C, shape.H, shape.W], g.DType, g.Device);
        g.Device.Backend.AvgPool2dBackward(g.Buffer, dx.Buffer, shape);
        return [dx];
    }
}
