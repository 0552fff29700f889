using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>Sigmoid: <c>y = 1/(1 + e^(−x))</c>; <c>dx = dy·y·(1 − y)</c> (from the saved output).</summary>
public sealed class SigmoidFunction : Function
{
    private Tensor? y;

    /// <inheritdoc/>
    public override string Name => "Sigmoid";

    /// <summary>Applies the logistic sigmoid.</summary>
    public static Tensor Apply(Tensor x)
    {
        Guard.Floating("Sigmoid", x);
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.SigmoidForward(x.Buffer, y.Buffer, x.Numel);
        if (!NeedsGrad(x)) return y;
        var fn = new SigmoidFunction();
        fn.y = fn.Save(y);
        return fn.Record(y, x);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty(y!.ShapeArray, g.DType, g.Device);
        g.Device.Backend.SigmoidBackward(y.Buffer, g.Buffer, dx.Buffer, y.Numel);
        return [dx];
    }
}
