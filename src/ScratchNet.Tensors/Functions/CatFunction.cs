using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Concatenation along dim 1 (channels of NCHW, or features of [N, F]), as SqueezeNet's fire modules need:
/// <c>y[:, offset_k : offset_k + C_k] = x_k</c>; backward splits dy back into the pieces. PyTorch: <c>torch.cat(xs, 1)</c>.
/// </summary>
public sealed class CatFunction : Function
{
    private readonly int[][] shapes;
    private CatFunction(int[][] shapes) => this.shapes = shapes;

    /// <inheritdoc/>
    public override string Name => "Cat";

    /// <summary>Concatenates <paramref name="xs"/> along dim 1; all other dims must agree.</summary>
    public static Tensor Apply(params Tensor[] xs)
    {
        if (xs.Length == 0) throw new ArgumentException("Cat: needs at least one tensor");
        var first = xs[0];
        Guard.Compatible("Cat", first, xs);
        Guard.Floating("Cat", first);
        if (first.Rank < 2) throw new ArgumentException($"Cat: tensors must have rank ≥ 2 to join along dim 1, got {ShapeUtil.Format(first.ShapeArray)}");
        int total = 0;
        foreach (var t in xs)
        {
            bool ok = t.Rank == first.Rank && t.Dim(0) == first.Dim(0);
            for (int d = 2; ok && d < t.Rank; d++) ok = t.Dim(d) == first.Dim(d);
            if (!ok)
                throw new ArgumentException($"Cat: all dims but dim 1 must match: {string.Join(" vs ", xs.Select(v => ShapeUtil.Format(v.ShapeArray)))}");
            total += t.Dim(1);
        }
        var outShape = (int[])first.ShapeArray.Clone();
        outShape[1] = total;
        int n = first.Dim(0);
        int hw = (int)(first.Numel / Math.Max(1L, (long)first.Dim(0) * first.Dim(1)));
        if (first.Numel == 0) hw = (int)ShapeUtil.Numel(first.ShapeArray.AsSpan(2));
        var y = Tensor.Empty(outShape, first.DType, first.Device);
        int offset = 0;
        foreach (var t in xs)
        {
            first.Device.Backend.CopyChannels(t.Buffer, t.Dim(1), 0, y.Buffer, total, offset, n, t.Dim(1), hw);
            offset += t.Dim(1);
        }
        return NeedsGrad(xs) ? new CatFunction(xs.Select(t => t.ShapeArray).ToArray()).Record(y, xs) : y;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        int total = g.Dim(1), n = g.Dim(0);
        int hw = (int)ShapeUtil.Numel(g.ShapeArray.AsSpan(2));
        var grads = new Tensor?[shapes.Length];
        int offset = 0;
        for (int k = 0; k < shapes.Length; k++)
        {
            int c = shapes[k][1];
            if (Inputs[k] is not null)
            {
                grads[k] = Tensor.Empty(shapes[k], g.DType, g.Device);
                g.Device.Backend.CopyChannels(g.Buffer, total, offset, grads[k]!.Buffer, c, 0, n, c, hw);
            }
            offset += c;
        }
        return grads;
    }
}
