using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Fully connected layer: <c>y[N,out] = x[N,in]·Wᵀ + b</c>, W stored [out, in] as PyTorch.
/// Backward: <c>dx = dy·W</c>, <c>dW = dyᵀ·x</c>, <c>db = Σ_n dy</c>. PyTorch: <c>F.linear</c>.
/// </summary>
public sealed class LinearFunction : Function
{
    private Tensor? x, w;

    /// <inheritdoc/>
    public override string Name => "Linear";

    /// <summary>Computes <c>x·Wᵀ + b</c>; <paramref name="bias"/> may be null.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias)
    {
        Guard.Compatible("Linear", x, weight, bias);
        Guard.Floating("Linear", x);
        Guard.Rank("Linear", x, 2, "input", "[N, in_features]");
        Guard.Rank("Linear", weight, 2, "weight", "[out_features, in_features]");
        int n = x.Dim(0), inF = x.Dim(1), outF = weight.Dim(0);
        if (weight.Dim(1) != inF)
            throw new ArgumentException($"Linear: input {ShapeUtil.Format(x.ShapeArray)} has {inF} features but weight {ShapeUtil.Format(weight.ShapeArray)} expects {weight.Dim(1)}");
        if (bias is not null) Guard.Shape("Linear", bias, [outF], "bias");
        var be = x.Device.Backend;
        var y = Tensor.Empty([n, outF], x.DType, x.Device);
        be.Gemm(false, true, n, outF, inF, 1, x.Buffer, weight.Buffer, 0, y.Buffer);
        if (bias is not null) // in place: y ← y + b, b broadcast over rows
            be.Binary(BinaryOp.Add, y.Buffer, bias.Buffer, y.Buffer, Broadcast4.Of([n, outF], [outF], "Linear"));
        if (!NeedsGrad(x, weight, bias)) return y;
        var fn = new LinearFunction();
        fn.x = fn.Save(x);
        fn.w = fn.Save(weight);
        return fn.Record(y, x, weight, bias);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        int n = x!.Dim(0), inF = x.Dim(1), outF = w!.Dim(0);
        var be = g.Device.Backend;
        Tensor? dx = null, dw = null, db = null;
        if (Inputs[0] is not null)
        {
            dx = Tensor.Empty([n, inF], g.DType, g.Device);
            be.Gemm(false, false, n, inF, outF, 1, g.Buffer, w.Buffer, 0, dx.Buffer);
        }
        if (Inputs[1] is not null)
        {
            dw = Tensor.Empty([outF, inF], g.DType, g.Device);
            be.Gemm(true, false, outF, inF, n, 1, g.Buffer, x.Buffer, 0, dw.Buffer);
        }
        if (Inputs[2] is not null) db = Reduce.SumTo(g, [outF]);
        return [dx, dw, db];
    }
}
