using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Inverted dropout: each element is kept with probability 1 − p and scaled by 1/(1 − p), so eval mode is
/// the identity. The mask comes from a counter-based RNG (<see cref="DropoutRng"/>): the same seed gives the
/// same mask on every backend. <c>y = x·mask</c>, <c>dx = dy·mask</c>. PyTorch: <c>F.dropout</c>.
/// </summary>
public sealed class DropoutFunction : Function
{
    private Tensor? mask;

    /// <inheritdoc/>
    public override string Name => "Dropout";

    /// <summary>Applies dropout with drop probability <paramref name="p"/> using the mask stream <paramref name="seed"/>.</summary>
    public static Tensor Apply(Tensor x, double p, ulong seed)
    {
        Guard.Floating("Dropout", x);
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1), got {p}");
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        var m = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.DropoutForward(x.Buffer, m.Buffer, y.Buffer, x.Numel, p, seed);
        if (!NeedsGrad(x)) { m.Dispose(); return y; }
        var fn = new DropoutFunction();
        fn.mask = fn.Own(m);
        return fn.Record(y, x);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g) => [Elementwise.Binary(BinaryOp.Mul, g, mask!)];
}
