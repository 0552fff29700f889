using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Exact GELU: <c>y = x·Φ(x) = ½·x·(1 + erf(x/√2))</c> (PyTorch's default, approximate='none');
/// <c>dx = dy·(Φ(x) + x·φ(x))</c>.
/// </summary>
public sealed class GeluFunction : Function
{
    private Tensor? x;

    /// <inheritdoc/>
    public override string Name => "GELU";

    /// <summary>Applies GELU.</summary>
    public static Tensor Apply(Tensor x)
    {
        Guard.Floating("GELU", x);
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.GeluForward(x.Buffer, y.Buffer, x.Numel);
        if (!NeedsGrad(x)) return y;
        var fn = new GeluFunction();
        fn.x = fn.Save(x);
        return fn.Record(y, x);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty(x!.ShapeArray, g.DType, g.Device);
        g.Device.Backend.GeluBackward(x.Buffer, g.Buffer, dx.Buffer, x.Numel);
        return [dx];
    }
}
