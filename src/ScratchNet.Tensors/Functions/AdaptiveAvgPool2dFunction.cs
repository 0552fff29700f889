using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Adaptive average pooling to 1×1: <c>y[n,c,0,0] = mean over H·W of x[n,c]</c>; <c>dx = dy/(H·W)</c> everywhere.
/// PyTorch: <c>F.adaptive_avg_pool2d(x, 1)</c>.
/// </summary>
public sealed class AdaptiveAvgPool2dFunction : Function
{
    private readonly int[] inputShape;
    private AdaptiveAvgPool2dFunction(int[] inputShape) => this.inputShape = inputShape;

    /// <inheritdoc/>
    public override string Name => "AdaptiveAvgPool2d";

    /// <summary>Averages each channel of <paramref name="x"/> [N,C,H,W] to [N,C,1,1].</summary>
    public static Tensor Apply(Tensor x)
    {
        Guard.Floating("AdaptiveAvgPool2d", x);
        Guard.Rank("AdaptiveAvgPool2d", x, 4, "input", "[N, C, H, W]");
        int rows = x.Dim(0) * x.Dim(1), hw = x.Dim(2) * x.Dim(3);
        var y = Tensor.Empty([x.Dim(0), x.Dim(1), 1, 1], x.DType, x.Device);
        x.Device.Backend.GlobalAvgPoolForward(x.Buffer, y.Buffer, rows, hw);
        return NeedsGrad(x) ? new AdaptiveAvgPool2dFunction(x.ShapeArray).Record(y, x) : y;
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty(inputShape, g.DType, g.Device);
        g.Device.Backend.GlobalAvgPoolBackward(g.Buffer, dx.Buffer, inputShape[0] * inputShape[1], inputShape[2] * inputShape[3]);
        return [dx];
    }
}
