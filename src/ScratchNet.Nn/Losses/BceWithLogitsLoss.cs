using ScratchNet.Tensors;

namespace ScratchNet.Nn.Losses;

/// <summary>
/// PyTorch's <c>nn.BCEWithLogitsLoss</c> for multi-label heads:
/// <c>mean(max(z,0) − z·y + log(1 + e^(−|z|)))</c> over samples and classes.
/// </summary>
public sealed class BceWithLogitsLoss
{
    /// <summary>The mean loss of logits against 0/1 targets of the same shape.</summary>
    public Tensor Forward(Tensor logits, Tensor targets) => Functional.BceWithLogits(logits, targets);
}
