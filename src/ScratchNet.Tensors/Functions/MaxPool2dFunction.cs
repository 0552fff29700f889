using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Max pooling (floor mode, padding as −∞): <c>y[n,c,i,j] = max over the window</c>; the forward records the
/// argmax (first max wins) and the backward routes dy there: <c>dx[argmax] += dy</c>. PyTorch: <c>F.max_pool2d</c>.
/// </summary>
public sealed class MaxPool2dFunction : Function
{
    private readonly Pool2dShape shape;
    private Tensor? indices;
    private MaxPool2dFunction(Pool2dShape shape) => this.shape = shape;

    /// <inheritdoc/>
    public override string Name => "MaxPool2d";

    /// <summary>Max-pools <paramref name="x"/> [N,C,H,W] with a k×k window.</summary>
    public static Tensor Apply(Tensor x, int kernelSize, int? stride = null, Padding2d padding = default)
    {
        Guard.Floating("MaxPool2d", x);
        Guard.Rank("MaxPool2d", x, 4, "input", "[N, C, H, W]");
        var s = new Pool2dShape(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), kernelSize, stride ?? kernelSize, padding);
        s.Validate("MaxPool2d");
        var y = Tensor.Empty([s.N, s.C, s.OH, s.OW], x.DType, x.Device);
        var idx = Tensor.Empty([s.N, s.C, s.OH, s.OW], DType.Int32, x.Device);
        x.Device.Backend.MaxPool2dForward(x.Buffer, y.Buffer, idx.Buffer, s);
        if (!NeedsGrad(x)) { idx.Dispose(); return y; }
        var fn = new MaxPool2dFunction(s);
        fn.indices = fn.Own(idx);
        return fn.Record(y, x);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty([shape.N, shape.C, shape.H, shape.W], g.DType, g.Device);
        g.Device.Backend.MaxPool2dBackward(g.Buffer, indices!.Buffer, dx.Buffer, shape);
        return [dx];
    }
}
