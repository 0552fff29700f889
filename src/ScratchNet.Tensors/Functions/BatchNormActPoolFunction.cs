using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// The block <c>MaxPool2d(pool)(act(BatchNorm2d(x)))</c> as one op (pool = 1: no pooling):
/// <c>z = γ·(x − μ)/√(σ² + ε) + β</c>, <c>g = act(z)</c>, <c>y = max of g over each pool×pool window</c> (stride pool).
/// Same values, running-stat updates and gradients as the three ops in a row, computed by the backend's fused
/// kernels (<see cref="IBackend.BatchNormActPoolForwardTrain"/>), which never store z or g: autograd keeps x, the
/// per-channel statistics and the argmax indices, and the backward recomputes z where it needs it.
/// Backward: <c>dz = (dy at each window's argmax)·act′(z)</c>, then batch norm's
/// <c>dx = (γ/(m·√(σ²+ε)))·(m·dz − Σdz − x̂·Σ(dz·x̂))</c>, <c>dγ = Σ dz·x̂</c>, <c>dβ = Σ dz</c>.
/// </summary>
/// <remarks>
/// Eval mode with gradients wanted (rare: saliency maps, say) runs the three separate ops, whose eval-mode batch
/// norm has its own affine backward; eval without gradients (inference) uses the fused eval kernel.
/// </remarks>
public sealed class BatchNormActPoolFunction : Function
{
    private readonly BatchNormActPoolShape shape;
    private Tensor? x, gamma, beta, mean, invStd, indices;

    private BatchNormActPoolFunction(BatchNormActPoolShape shape) => this.shape = shape;

    /// <inheritdoc/>
    public override string Name => shape.Pool > 1 ? $"BatchNorm2d+{shape.Act}+MaxPool2d" : $"BatchNorm2d+{shape.Act}";

    /// <summary>
    /// Applies the block to <paramref name="x"/> [N,C,H,W]; in training mode the running stats are updated in place.
    /// <paramref name="pool"/> is the max-pool window and stride (1 = none).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, bool training,
        Activation activation, int pool, double momentum = 0.1, double eps = 1e-5)
    {
        const string op = "BatchNorm2d+activation+MaxPool2d";
        Guard.Compatible(op, x, gamma, beta, runningMean, runningVar);
        Guard.Floating(op, x);
        Guard.Rank(op, x, 4, "input", "[N, C, H, W]");
        int c = x.Dim(1);
        Guard.Shape(op, gamma, [c], "weight (γ)");
        Guard.Shape(op, beta, [c], "bias (β)");
        Guard.Shape(op, runningMean, [c], "running_mean");
        Guard.Shape(op, runningVar, [c], "running_var");
        var s = new BatchNormActPoolShape(x.Dim(0), c, x.Dim(2), x.Dim(3), pool, activation);
        s.Validate(op);
        if (training && (long)s.N * s.H * s.W < 2)
            throw new ArgumentException($"{op}: expected more than 1 value per channel when training, got input {ShapeUtil.Format(x.ShapeArray)}");
        bool needs = NeedsGrad(x, gamma, beta);
        if (!training && needs) return Unfused(x, gamma, beta, runningMean, runningVar, activation, pool, eps);

        var be = x.Device.Backend;
        var y = Tensor.Empty([s.N, s.C, s.OH, s.OW], x.DType, x.Device);
        if (!training)
        {
            be.BatchNormActPoolForwardEval(x.Buffer, gamma.Buffer, beta.Buffer, runningMean.Buffer, runningVar.Buffer, y.Buffer, s, eps);
            return y;
        }
        var mean = Tensor.Empty([c], x.DType, x.Device);
        var invStd = Tensor.Empty([c], x.DType, x.Device);
        var idx = pool > 1 ? Tensor.Empty([s.N, s.C, s.OH, s.OW], DType.Int32, x.Device) : null;
        be.BatchNormActPoolForwardTrain(x.Buffer, gamma.Buffer, beta.Buffer, y.Buffer, idx?.Buffer, mean.Buffer, invStd.Buffer,
            runningMean.Buffer, runningVar.Buffer, s, momentum, eps);
        if (!needs)
        {
            mean.Dispose(); invStd.Dispose(); idx?.Dispose();
            return y;
        }
        var fn = new BatchNormActPoolFunction(s);
        fn.mean = fn.Own(mean);
        fn.invStd = fn.Own(invStd);
        fn.indices = idx is null ? null : fn.Own(idx);
        fn.x = fn.Save(x);
        fn.gamma = fn.Save(gamma);
        fn.beta = fn.Save(beta);
        return fn.Record(y, x, gamma, beta);
    }

    private static Tensor Unfused(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, Activation activation, int pool, double eps)
    {
        using var z = BatchNorm2dFunction.Apply(x, gamma, beta, runningMean, runningVar, training: false, eps: eps);
        var g = activation == Activation.Relu ? ReluFunction.Apply(z) : GeluFunction.Apply(z);
        if (pool == 1) return g;
        using (g) return MaxPool2dFunction.Apply(g, pool);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dx = Tensor.Empty(x!.ShapeArray, g.DType, g.Device);
        var dgamma = Tensor.Empty([shape.C], g.DType, g.Device);
        var dbeta = Tensor.Empty([shape.C], g.DType, g.Device);
        g.Device.Backend.BatchNormActPoolBackward(x.Buffer, g.Buffer, indices?.Buffer, gamma!.Buffer, beta!.Buffer, mean!.Buffer,
            invStd!.Buffer, dx.Buffer, dgamma.Buffer, dbeta.Buffer, shape);
        return [Inputs[0] is null ? Drop(dx) : dx, Inputs[1] is null ? Drop(dgamma) : dgamma, Inputs[2] is null ? Drop(dbeta) : dbeta];
    }

    private static Tensor? Drop(Tensor t) { t.Dispose(); return null; }
}
