using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Batch normalisation over (N, H, W) per channel, NCHW. Training: <c>μ, σ²</c> = batch mean and biased
/// variance; <c>y = γ·(x − μ)/√(σ² + ε) + β</c>; running stats updated with momentum m and the unbiased
/// variance. Eval: the running stats instead, and the op is affine in x.
/// Backward (training), x̂ = (x − μ)/√(σ²+ε), n = N·H·W:
/// <c>dx = (γ/(n·√(σ²+ε)))·(n·dy − Σdy − x̂·Σ(dy·x̂))</c>, <c>dγ = Σ dy·x̂</c>, <c>dβ = Σ dy</c>.
/// PyTorch: <c>F.batch_norm</c>.
/// </summary>
public sealed class BatchNorm2dFunction : Function
{
    private readonly int n, c, hw;
    private readonly bool training;
    private readonly double eps;
    private Tensor? x, gamma, mean, invStd, runningVar;

    private BatchNorm2dFunction(int n, int c, int hw, bool training, double eps)
    {
        this.n = n; this.c = c; this.hw = hw; this.training = training; this.eps = eps;
    }

    /// <inheritdoc/>
    public override string Name => "BatchNorm2d";

    /// <summary>
    /// Normalises <paramref name="x"/> [N,C,H,W]. In training mode the running stats are updated in place
    /// (they never require gradients).
    /// </summary>
    public static Tensor Apply(Tensor x, Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar,
        bool training, double momentum = 0.1, double eps = 1e-5)
    {
        Guard.Compatible("BatchNorm2d", x, gamma, beta, runningMean, runningVar);
        Guard.Floating("BatchNorm2d", x);
        Guard.Rank("BatchNorm2d", x, 4, "input", "[N, C, H, W]");
        int n = x.Dim(0), c = x.Dim(1), hw = x.Dim(2) * x.Dim(3);
        Guard.Shape("BatchNorm2d", gamma, [c], "weight (γ)");
        Guard.Shape("BatchNorm2d", beta, [c], "bias (β)");
        Guard.Shape("BatchNorm2d", runningMean, [c], "running_mean");
        Guard.Shape("BatchNorm2d", runningVar, [c], "running_var");
        if (training && (long)n * hw < 2)
            throw new ArgumentException($"BatchNorm2d: expected more than 1 value per channel when training, got input {ShapeUtil.Format(x.ShapeArray)}");
        var be = x.Device.Backend;
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        bool needs = NeedsGrad(x, gamma, beta);
        var fn = needs ? new BatchNorm2dFunction(n, c, hw, training, eps) : null;
        if (training)
        {
            var mean = Tensor.Empty([c], x.DType, x.Device);
            var invStd = Tensor.Empty([c], x.DType, x.Device);
            be.BatchNormForwardTrain(x.Buffer, gamma.Buffer, beta.Buffer, y.Buffer, mean.Buffer, invStd.Buffer,
                runningMean.Buffer, runningVar.Buffer, n, c, hw, momentum, eps);
            if (fn is null) { mean.Dispose(); invStd.Dispose(); return y; }
            fn.mean = fn.Own(mean);
            fn.invStd = fn.Own(invStd);
        }
        else
        {
            be.BatchNormForwardEval(x.Buffer, gamma.Buffer, beta.Buffer, runningMean.Buffer, runningVar.Buffer, y.Buffer, n, c, hw, eps);
            if (fn is null) return y;
            // Eval mode is affine: keep the stats it used (a snapshot, since training may update them later).
            fn.mean = fn.Own(runningMean.CloneDetached());
            fn.runningVar = fn.Own(runningVar.CloneDetached());
        }
        fn.x = fn.Save(x);
        fn.gamma = fn.Save(gamma);
        return fn.Record(y, x, gamma, beta);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var be = g.Device.Backend;
        if (training)
        {
            var dx = Tensor.Empty(x!.ShapeArray, g.DType, g.Device);
            var dgamma = Tensor.Empty([c], g.DType, g.Device);
            var dbeta = Tensor.Empty([c], g.DType, g.Device);
            be.BatchNormBackward(x.Buffer, g.Buffer, gamma!.Buffer, mean!.Buffer, invStd!.Buffer, dx.Buffer, dgamma.Buffer, dbeta.Buffer, n, c, hw);
            return [Inputs[0] is null ? Drop(dx) : dx, Inputs[1] is null ? Drop(dgamma) : dgamma, Inputs[2] is null ? Drop(dbeta) : dbeta];
        }
        // Eval: y = γ·s·(x − μ) + β with s = 1/√(var + ε) per channel.
        // dx = dy·γ·s; dγ = Σ dy·(x − μ)·s; dβ = Σ dy.
        using var var4 = runningVar!.AliasAs([1, c, 1, 1]);
        using var mean4 = mean!.AliasAs([1, c, 1, 1]);
        using var gamma4 = gamma!.AliasAs([1, c, 1, 1]);
        using var ve = Tensor.Empty([1, c, 1, 1], g.DType, g.Device);
        be.Scale(var4.Buffer, ve.Buffer, c, 1.0);
        using var epsT = Tensor.Full([1], eps, g.DType, g.Device);
        be.Binary(Kernels.BinaryOp.Add, ve.Buffer, epsT.Buffer, ve.Buffer, Kernels.Broadcast4.Of([1, c, 1, 1], [1], "BatchNorm2d"));
        using var std = Sqrt(ve);
        Tensor? dxe = null, dge = null, dbe = null;
        if (Inputs[0] is not null)
        {
            using var gs = Elementwise.Binary(Kernels.BinaryOp.Div, gamma4, std);
            dxe = Elementwise.Binary(Kernels.BinaryOp.Mul, g, gs);
        }
        if (Inputs[1] is not null)
        {
            using var centered = Elementwise.Binary(Kernels.BinaryOp.Sub, x!, mean4);
            using var xhat = Elementwise.Binary(Kernels.BinaryOp.Div, centered, std);
            using var prod = Elementwise.Binary(Kernels.BinaryOp.Mul, g, xhat);
            using var s = Reduce.SumTo(prod, [1, c, 1, 1]);
            dge = s.CloneDetachedAs([c]);
        }
        if (Inputs[2] is not null)
        {
            using var s = Reduce.SumTo(g, [1, c, 1, 1]);
            dbe = s.CloneDetachedAs([c]);
        }
        return [dxe, dge, dbe];
    }

    private static Tensor? Drop(Tensor t) { t.Dispose(); return null; }

    // √v on the host: eval-mode backward touches only C values, not worth a kernel.
    private static Tensor Sqrt(Tensor v)
    {
        var host = v.ToDoubleArray();
        for (int i = 0; i < host.Length; i++) host[i] = System.Math.Sqrt(host[i]);
        return Tensor.FromDoubles(host, v.ShapeArray, v.DType, v.Device);
    }
}
