using ScratchNet.Kernels;

namespace ScratchNet.Tensors.Functions;

/// <summary>Non-recording elementwise helpers used inside backward passes (gradient mode is off there).</summary>
internal static class Elementwise
{
    public static Tensor Binary(BinaryOp op, Tensor a, Tensor b)
    {
        var shape = Broadcast4.Of(a.ShapeArray, b.ShapeArray, op.ToString());
        var output = Tensor.Empty(Broadcast4.OutputShape(a.ShapeArray, b.ShapeArray), a.DType, a.Device);
        a.Device.Backend.Binary(op, a.Buffer, b.Buffer, output.Buffer, shape);
        return output;
    }

    public static Tensor Scale(Tensor x, double alpha)
    {
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.Scale(x.Buffer, y.Buffer, x.Numel, alpha);
        return y;
    }
}

/// <summary>Sum-reduction to a broadcast-compatible shape (the adjoint of broadcasting).</summary>
internal static class Reduce
{
    /// <summary>Sums <paramref name="x"/> down to <paramref name="target"/> (trailing-aligned, rank ≤ 4).</summary>
    public static Tensor SumTo(Tensor x, int[] target)
    {
        if (ShapeUtil.Equal(x.ShapeArray, target))
        {
            // Same shape: a copy, so the caller always owns a fresh tensor.
            return x.CloneDetached();
        }
        var xd = ShapeUtil.Pad4(x.ShapeArray, "SumTo");
        var yd = ShapeUtil.Pad4(target, "SumTo");
        for (int d = 0; d < 4; d++)
            if (yd[d] != xd[d] && yd[d] != 1)
                throw new ArgumentException($"SumTo: cannot reduce {ShapeUtil.Format(x.ShapeArray)} to {ShapeUtil.Format(target)}");
        var y = Tensor.Empty(target, x.DType, x.Device);
        x.Device.Backend.SumTo(x.Buffer, xd, y.Buffer, yd);
        return y;
    }
}
