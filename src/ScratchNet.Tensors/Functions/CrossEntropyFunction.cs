using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Per-sample softmax cross-entropy (reduction 'none'): <c>loss[i] = w[t_i]·(logsumexp(z_i) − z_i[t_i])</c>,
/// the max subtracted inside logsumexp; targets &lt; 0 are ignored (loss 0, weight 0).
/// Backward: <c>dz[i,k] = dloss[i]·w[t_i]·(softmax(z_i)[k] − [k = t_i])</c>.
/// The mean reduction (Σ loss / Σ w[t_i], PyTorch's weighted mean) is built on top in <see cref="Functional"/>.
/// </summary>
public sealed class CrossEntropyFunction : Function
{
    private Tensor? probs, targets, weights;

    /// <inheritdoc/>
    public override string Name => "CrossEntropy";

    /// <summary>
    /// Returns the per-sample losses [N] and, through <paramref name="sampleWeights"/>, the weight of each sample
    /// ([N], no gradient; 0 for ignored targets).
    /// </summary>
    public static Tensor Apply(Tensor logits, Tensor targets, Tensor? classWeights, out Tensor sampleWeights)
    {
        Guard.Compatible("CrossEntropy", logits, targets, classWeights);
        Guard.Floating("CrossEntropy", logits, "logits");
        Guard.Rank("CrossEntropy", logits, 2, "logits", "[N, C]");
        Guard.Int("CrossEntropy", targets, "targets");
        int n = logits.Dim(0), c = logits.Dim(1);
        Guard.Shape("CrossEntropy", targets, [n], "targets");
        if (classWeights is not null) Guard.Shape("CrossEntropy", classWeights, [c], "class weights");
        CheckTargets(targets, c);
        var loss = Tensor.Empty([n], logits.DType, logits.Device);
        sampleWeights = Tensor.Empty([n], logits.DType, logits.Device);
        var probs = Tensor.Empty([n, c], logits.DType, logits.Device);
        logits.Device.Backend.CrossEntropyForward(logits.Buffer, targets.Buffer, classWeights?.Buffer, loss.Buffer, sampleWeights.Buffer, probs.Buffer, n, c);
        if (!NeedsGrad(logits)) { probs.Dispose(); return loss; }
        var fn = new CrossEntropyFunction();
        fn.probs = fn.Own(probs);
        fn.targets = fn.Save(targets);
        fn.weights = classWeights is null ? null : fn.Save(classWeights);
        return fn.Record(loss, logits);
    }

    // A target ≥ C would index outside the logits row inside the kernel: refuse it here, naming the row.
    // (One small download of N ints; targets come from the host anyway.)
    private static void CheckTargets(Tensor targets, int c)
    {
        var t = targets.ToArray<int>();
        for (int i = 0; i < t.Length; i++)
            if (t[i] >= c)
                throw new ArgumentException($"CrossEntropy: target {t[i]} at row {i} is out of range for {c} classes (expected 0..{c - 1}, or < 0 to ignore)");
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        int n = probs!.Dim(0), c = probs.Dim(1);
        var dz = Tensor.Empty([n, c], g.DType, g.Device);
        g.Device.Backend.CrossEntropyBackward(probs.Buffer, targets!.Buffer, weights?.Buffer, g.Buffer, dz.Buffer, n, c);
        return [dz];
    }
}
