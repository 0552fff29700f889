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
