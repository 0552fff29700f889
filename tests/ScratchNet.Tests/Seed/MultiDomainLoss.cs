using ScratchNet.Kernels;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Tests.Seed;

/// <summary>
/// Test oracle (the product computes this through MultiTaskObjective and the sky-seed config): seed 000's masked, weighted multi-task loss:
/// <c>L = α·CE(logits, is_sky) + β·R</c>, <c>R = Σ mask·(ŷ − y)² / Σ mask</c> (0 when no sample is correct),
/// where <c>mask[i] = [argmax(logits[i]) = is_sky[i]]</c> is a constant (no gradient flows through argmax).
/// Defaults α = 0.1, β = 0.9. Negatives carry AQI −1 and count in R when classified correctly, as the seed does.
/// </summary>
/// <remarks>
/// <paramref name="regressionScale"/> s (default 1, the seed exactly) measures the regression error in units of s:
/// <c>R = Σ mask·((ŷ − y)/s)² / Σ mask</c>. With raw AQI (errors of ~50) R is ~10⁴ times the cross-entropy, so
/// the shared encoder's gradient is almost all regression; s = 100 puts both terms on the same scale. The model
/// still predicts raw AQI either way.
/// </remarks>
public sealed class MultiDomainLoss(double alpha = 0.1, double beta = 0.9, double regressionScale = 1.0)
{
    /// <summary>Unit of the regression error (1 = the seed's loss).</summary>
    public double RegressionScale { get; } = regressionScale > 0 ? regressionScale : throw new ArgumentOutOfRangeException(nameof(regressionScale), "must be positive");

    /// <summary>Weight of the classification loss.</summary>
    public double Alpha { get; } = alpha;
    /// <summary>Weight of the masked regression loss.</summary>
    public double Beta { get; } = beta;

    /// <summary>The loss, plus its two parts (detached scalars) for logging.</summary>
    public (Tensor Loss, double Classification, double Regression) ForwardWithParts(Tensor logits, Tensor aqiPred, Tensor isSky, Tensor aqi)
    {
        var loss = Forward(logits, aqiPred, isSky, aqi, out var ce, out var r);
        using (ce) using (r) return (loss, ce.Item(), r.Item());
    }

    /// <summary>The scalar loss. <paramref name="isSky"/> is int32 [N]; <paramref name="aqi"/> is [N] in the logits' dtype.</summary>
    public Tensor Forward(Tensor logits, Tensor aqiPred, Tensor isSky, Tensor aqi)
    {
        var loss = Forward(logits, aqiPred, isSky, aqi, out var ce, out var r);
        ce.Dispose();
        r.Dispose();
        return loss;
    }

    private Tensor Forward(Tensor logits, Tensor aqiPred, Tensor isSky, Tensor aqi, out Tensor classification, out Tensor regression)
    {
        if (aqiPred.Rank != 1 || aqi.Rank != 1 || aqiPred.Dim(0) != logits.Dim(0) || aqi.Dim(0) != logits.Dim(0))
            throw new ArgumentException($"MultiDomainLoss: expected logits [N, 2], AQI prediction [N], AQI target [N]; got {logits}, {aqiPred}, {aqi}");
        classification = F.CrossEntropy(logits, isSky);
        using var predicted = F.ArgMax(logits);
        using var mask = F.EqualMask(predicted, isSky, logits.DType);
        using var se = RegressionScale == 1 ? F.MseLoss(aqiPred, aqi, "none") : ScaledSquaredError(aqiPred, aqi, 1 / RegressionScale);
        using var masked = se * mask;
        using var num = F.Sum(masked);
        using var count = F.Sum(mask);
        // mask is 0/1, so Σmask is 0 or ≥ 1: clamping at 1 turns 0/0 into 0/1 = 0 and changes nothing else.
        using var den = F.ClampMin(count, 1);
        regression = num / den;
        using var a = classification * Alpha;
        using var b = regression * Beta;
        return a + b;
    }

    // ((ŷ − y)·k)² per sample.
    private static Tensor ScaledSquaredError(Tensor prediction, Tensor target, double k)
    {
        using var diff = F.Sub(prediction, target);
        using var scaled = F.Scale(diff, k);
        return F.Mul(scaled, scaled);
    }
}
