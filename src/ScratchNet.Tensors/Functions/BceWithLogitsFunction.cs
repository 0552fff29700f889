using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Elementwise binary cross-entropy on logits (reduction 'none'), in the stable form
/// <c>loss = max(z, 0) − z·y + log(1 + e^(−|z|))</c>; <c>dz = dloss·(σ(z) − y)</c>; no gradient to the target.
/// PyTorch: <c>F.binary_cross_entropy_with_logits(..., reduction='none')</c>.
/// </summary>
public sealed class BceWithLogitsFunction : Function
{
    private Tensor? z, y;

    /// <inheritdoc/>
    public override string Name => "BCEWithLogits";

    /// <summary>Per-element losses of logits <paramref name="logits"/> against 0/1 targets of the same shape.</summary>
    public static Tensor Apply(Tensor logits, Tensor target)
    {
        Guard.Compatible("BCEWithLogits", logits, target);
        Guard.Floating("BCEWithLogits", logits, "logits");
        Guard.Floating("BCEWithLogits", target, "target");
        Guard.Shape("BCEWithLogits", target, logits.ShapeArray, "target");
        var loss = Tensor.Empty(logits.ShapeArray, logits.DType, logits.Device);
        logits.Device.Backend.BceWithLogitsForward(logits.Buffer, target.Buffer, loss.Buffer, logits.Numel);
        if (!NeedsGrad(logits)) return loss;
        var fn = new BceWithLogitsFunction();
        fn.z = fn.Save(logits);
        fn.y = fn.Save(target);
        return fn.Record(loss, logits);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        var dz = Tensor.Empty(z!.ShapeArray, g.DType, g.Device);
        g.Device.Backend.BceWithLogitsBackward(z.Buffer, y!.Buffer, g.Buffer, dz.Buffer, z.Numel);
        return [dz];
    }
}
