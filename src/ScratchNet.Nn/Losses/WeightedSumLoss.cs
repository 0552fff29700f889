using ScratchNet.Tensors;

namespace ScratchNet.Nn.Losses;

/// <summary>
/// Seed 001's multi-head objective: <c>L = Σ_t w_t · L_t</c> over the tasks' scalar losses (weights default to 1).
/// </summary>
public sealed class WeightedSumLoss(IReadOnlyDictionary<string, double>? weights = null)
{
    /// <summary>Per-task weights; a task not listed has weight 1.</summary>
    public IReadOnlyDictionary<string, double> Weights { get; } = weights ?? new Dictionary<string, double>();

    /// <summary>Sums the weighted task losses (each a scalar tensor).</summary>
    public Tensor Forward(IReadOnlyDictionary<string, Tensor> taskLosses)
    {
        if (taskLosses.Count == 0) throw new ArgumentException("WeightedSumLoss: no task losses");
        Tensor? total = null;
        foreach (var (name, loss) in taskLosses)
        {
            if (loss.Numel != 1) throw new ArgumentException($"WeightedSumLoss: task '{name}' loss must be a scalar, got {loss}");
            var weighted = Functional.Scale(loss, Weights.TryGetValue(name, out var w) ? w : 1.0);
            if (total is null) { total = weighted; continue; }
            var sum = total + weighted;
            total.Dispose();
            weighted.Dispose();
            total = sum;
        }
        return total!;
    }
}
