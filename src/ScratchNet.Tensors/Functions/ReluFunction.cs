using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>ReLU: <c>y = max(x, 0)</c>; <c>dx = dy·[x &gt; 0]</c> (0 at the kink, as PyTorch).</summary>
public sealed class ReluFunction : Function
{
    private Tensor? x;

    /// <inheritdoc/>
    public override string Name => "ReLU";

    /// <summary>Applies ReLU.</summary>
    public static Tensor Apply(Tensor x)
    {
        Guard.Floating("ReLU", x);
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.ReluForward(x.Buffer, y.Buffer, x.Numel);
        if (!NeedsGrad(x)) return y;
        var fn = new ReluFunction();
        fn.x = fn.Save(x);
        return fn.Record(y, x);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty(x!.ShapeArray, g.DType, g.Device);
        g.Device.Backend.ReluBackward(x.Buffer, g.Buffer, dx.Buffer, x.Numel);
        return [dx];
    }
}
