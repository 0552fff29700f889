using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>Multiplication by a constant: <c>y = α·x</c>; backward <c>dx = α·dy</c>.</summary>
public sealed class ScaleFunction : Function
{
    private readonly double alpha;
    private ScaleFunction(double alpha) => this.alpha = alpha;

    /// <inheritdoc/>
    public override string Name => "Scale";

    /// <summary>Computes <c>α·x</c>.</summary>
    public static Tensor Apply(Tensor x, double alpha)
    {
        Guard.Floating("Scale", x);
        var y = Elementwise.Scale(x, alpha);
        return NeedsGrad(x) ? new ScaleFunction(alpha).Record(y, x) : y;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g) => [Elementwise.Scale(g, alpha)];
}
