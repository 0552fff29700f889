using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Sum over chosen dims (rank ≤ 4): <c>y = Σ_dims x</c>, keeping or dropping the summed dims.
/// Backward: broadcast dy back over the summed dims (<c>dx = dy ⊗ 1</c>).
/// </summary>
public sealed class SumFunction : Function
{
    private readonly int[] inputShape, keptShape;
    private SumFunction(int[] inputShape, int[] keptShape)
    {
        this.inputShape = inputShape;
        this.keptShape = keptShape;
    }

    /// <inheritdoc/>
    public override string Name => "Sum";

    /// <summary>Sums over <paramref name="dims"/> (all dims when null).</summary>
    public static Tensor Apply(Tensor x, int[]? dims, bool keepDim)
    {
        Guard.Floating("Sum", x);
        int rank = x.Rank;
        var kept = (int[])x.ShapeArray.Clone();
        var reduced = new bool[rank];
        if (dims is null) Array.Fill(reduced, true);
        else foreach (int d in dims) reduced[ShapeUtil.NormalizeDim(d, rank, "Sum")] = true;
        for (int d = 0; d < rank; d++) if (reduced[d]) kept[d] = 1;
        var y = Reduce.SumTo(x, kept);
        var outShape = keepDim ? kept : kept.Where((_, d) => !reduced[d]).ToArray();
        var result = y.AliasAs(outShape);
        y.Dispose();
        return NeedsGrad(x) ? new SumFunction(x.ShapeArray, kept).Record(result, x) : result;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        using var gk = g.AliasAs(keptShape);
        using var zeros = Tensor.Zeros(inputShape, g.DType, g.Device);
        return [Elementwise.Binary(Kernels.BinaryOp.Add, zeros, gk)];
    }
}
