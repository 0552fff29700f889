using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// 2-D convolution (cross-correlation, as PyTorch), NCHW input, weight [OutC, C, KH, KW], zero padding:
/// <c>y[n,o,i,j] = b[o] + Σ_c Σ_p Σ_q w[o,c,p,q]·x[n,c,i·s+p−pad.Top, j·s+q−pad.Left]</c>, with
/// <c>OH = (H + pad.Top + pad.Bottom − KH)/s + 1</c> (a plain int pads every side alike, as PyTorch's <c>padding</c>;
/// ONNX and CNTK exports may pad each side differently).
/// Backward: dx is the transposed convolution of dy with w; dw the correlation of x with dy;
/// <c>db[o] = Σ_{n,i,j} dy[n,o,i,j]</c>. PyTorch: <c>F.conv2d</c>.
/// </summary>
public sealed class Conv2dFunction : Function
{
    private readonly Conv2dShape shape;
    private Tensor? x, w;
    private Conv2dFunction(Conv2dShape shape) => this.shape = shape;

    /// <inheritdoc/>
    public override string Name => "Conv2d";

    /// <summary>Convolves <paramref name="x"/> [N,C,H,W] with <paramref name="weight"/> [OutC,C,KH,KW].</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, int stride = 1, Padding2d padding = default)
    {
        Guard.Compatible("Conv2d", x, weight, bias);
        Guard.Floating("Conv2d", x);
        Guard.Rank("Conv2d", x, 4, "input", "[N, C, H, W]");
        Guard.Rank("Conv2d", weight, 4, "weight", "[OutC, C, KH, KW]");
        if (weight.Dim(1) != x.Dim(1))
            throw new ArgumentException($"Conv2d: input {ShapeUtil.Format(x.ShapeArray)} has {x.Dim(1)} channels but weight {ShapeUtil.Format(weight.ShapeArray)} expects {weight.Dim(1)}");
        var s = new Conv2dShape(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), weight.Dim(0), weight.Dim(2), weight.Dim(3), stride, padding);
        s.Validate("Conv2d");
        if (bias is not null) Guard.Shape("Conv2d", bias, [s.OutC], "bias");
        var y = Tensor.Empty([s.N, s.OutC, s.OH, s.OW], x.DType, x.Device);
        x.Device.Backend.Conv2dForward(x.Buffer, weight.Buffer, bias?.Buffer, y.Buffer, s);
        if (!NeedsGrad(x, weight, bias)) return y;
        var fn = new Conv2dFunction(s);
        fn.x = fn.Save(x);
        fn.w = fn.Save(weight);
        return fn.Record(y, x, weight, bias);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var be = g.Device.Backend;
        Tensor? dx = null, dw = null, db = null;
        if (Inputs[0] is not null)
        {
            dx = Tensor.Empty(x!.ShapeArray, g.DType, g.Device);
            be.Conv2dBackwardInput(g.Buffer, w!.Buffer, dx.Buffer, shape);
        }
        if (Inputs[1] is not null)
        {
            dw = Tensor.Empty(w!.ShapeArray, g.DType, g.Device);
            be.Conv2dBackwardWeight(x!.Buffer, g.Buffer, dw.Buffer, shape);
        }
        if (Inputs[2] is not null)
        {
            // db[o] = Σ over n and pixels: reduce [N, OutC, OH·OW] to [1, OutC, 1].
            using var g3 = g.AliasAs([shape.N, shape.OutC, shape.OH * shape.OW]);
            using var s = Reduce.SumTo(g3, [1, shape.OutC, 1]);
            db = s.AliasAs([shape.OutC]);
        }
        return [dx, dw, db];
    }
}
