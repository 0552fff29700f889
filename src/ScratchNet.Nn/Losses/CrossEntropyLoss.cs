using ScratchNet.Tensors;

namespace ScratchNet.Nn.Losses;

/// <summary>
/// PyTorch's <c>nn.CrossEntropyLoss</c>: mean over samples of <c>logsumexp(z) − z[target]</c>, optionally weighted
/// per class (Σ w[t]·l / Σ w[t]); targets &lt; 0 are ignored (PyTorch's ignore_index, for partly labelled data).
/// </summary>
public sealed class CrossEntropyLoss(Tensor? classWeights = null)
{
    /// <summary>Optional per-class weights [C].</summary>
    public Tensor? ClassWeights { get; } = classWeights;

    /// <summary>The mean loss of logits [N, C] against int32 targets [N].</summary>
    public Tensor Forward(Tensor logits, Tensor targets) => Functional.CrossEntropy(logits, targets, ClassWeights);
}
