using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Reshape / flatten / squeeze / unsqueeze: a new shape over the same storage, no copy (all tensors are
/// contiguous). Backward: the gradient viewed back in the input's shape.
/// </summary>
public sealed class ViewFunction : Function
{
    private readonly int[] inputShape;
    private ViewFunction(int[] inputShape) => this.inputShape = inputShape;

    /// <inheritdoc/>
    public override string Name => "View";

    /// <summary>Views <paramref name="x"/> as <paramref name="shape"/>; one dim may be −1 (inferred).</summary>
    public static Tensor Apply(Tensor x, int[] shape, string op = "Reshape")
    {
        var s = (int[])shape.Clone();
        int infer = Array.IndexOf(s, -1);
        if (infer >= 0)
        {
            if (Array.LastIndexOf(s, -1) != infer)
                throw new ArgumentException($"{op}: only one dim may be -1 in {ShapeUtil.Format(shape)}");
            s[infer] = 1;
            long rest = ShapeUtil.Numel(s);
            if (rest == 0 || x.Numel % rest != 0)
                throw new ArgumentException($"{op}: cannot view {x} as {ShapeUtil.Format(shape)}");
            s[infer] = (int)(x.Numel / rest);
        }
        ShapeUtil.Validate(s, op);
        if (ShapeUtil.Numel(s) != x.Numel)
            throw new ArgumentException($"{op}: cannot view {ShapeUtil.Format(x.ShapeArray)} ({x.Numel} elements) as {ShapeUtil.Format(shape)} ({ShapeUtil.Numel(s)} elements)");
        var y = x.AliasAs(s);
        return NeedsGrad(x) ? new ViewFunction(x.ShapeArray).Record(y, x) : y;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g) => [g.CloneDetachedAs(inputShape)];
}
