using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// The multi-task loss of a config: <c>L = Σ_t w_t · L_t</c> with, for each task t,
/// <c>L_t = Σ_i m_i·l_i / max(Σ_i m_i, 1)</c>, where <c>l_i</c> is sample i's loss for the task
/// (softmax cross-entropy; <c>(z − y/scale)²</c> for a regression head z that predicts <c>ŷ = scale·z</c>; the mean
/// over labels of binary cross-entropy with logits) and
/// <c>m_i ∈ {0, 1}</c> says whether the sample counts: it has a label for t, meets <c>when.label</c> (another task's
/// true label is in a list) and <c>when.correct</c> (another task's argmax equals its label). The mask is a
/// constant, so no gradient flows through the argmax; a batch where nothing counts gives <c>L_t = 0</c>, not NaN.
/// </summary>
/// <remarks>
/// With every label present and no condition, <c>L_t</c> is the plain mean loss (PyTorch's default reduction).
/// Seed 000's <c>MultiDomainLoss(α, β, s)</c> on a prediction ŷ is the config <c>is_sky</c> (classification, weight α) +
/// <c>aqi</c> (regression, weight β, scale s, <c>when: {correct: is_sky}</c>) on a head output z = ŷ/s; a test checks
/// that they agree.
/// </remarks>
public sealed class MultiTaskObjective(IReadOnlyList<TaskConfig> tasks, TargetLayout layout)
{
    // Task with a when.label condition → for each class index of the named task, whether that label counts
    // (looked up per row in the hot path, so resolved from names once here).
    private readonly Dictionary<string, bool[]> allowed = tasks.Where(t => t.When?.LabelTask is not null).ToDictionary(t => t.Name,
        t => tasks.First(o => o.Name == t.When!.LabelTask).Labels.Select(l => t.When!.LabelIn.Contains(l)).ToArray());

    /// <summary>The tasks, in config order.</summary>
    public IReadOnlyList<TaskConfig> Tasks { get; } = tasks;

    /// <summary>
    /// The weighted total and each task's <c>L_t</c> (the caller owns all of them; dispose or use a scope).
    /// <paramref name="outputs"/> maps task name → head output [B, outputs]; <paramref name="batch"/> supplies the labels.
    /// </summary>
    public (Tensor Total, Dictionary<string, Tensor> PerTask) Forward(IReadOnlyDictionary<string, Tensor> outputs, Batch batch)
    {
        var perTask = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        Tensor? total = null;
        foreach (var task in Tasks)
        {
            var output = outputs[task.Name];
            using var mask = Mask(task, outputs, batch);
            using var perSample = SampleLosses(task, output, batch);
            using var weighted = perSample * mask;
            using var numerator = F.Sum(weighted);
            using var count = F.Sum(mask);
            // Σm is 0 or ≥ 1: clamping at 1 turns 0/0 into 0 and changes nothing else.
            using var denominator = F.ClampMin(count, 1);
            var loss = numerator / denominator;
            perTask[task.Name] = loss;
            var term = F.Scale(loss, task.Weight);
            if (total is null) { total = term; continue; }
            var sum = total + term;
            total.Dispose();
            term.Dispose();
            total = sum;
        }
        return (total!, perTask);
    }

    /// <summary>l_i for every sample of the batch, [B], in the output's dtype (0 where the label is missing).</summary>
    private Tensor SampleLosses(TaskConfig task, Tensor output, Batch batch)
    {
        var (offset, count) = layout[task.Name];
        int n = batch.Count;
        var device = output.Device;
        switch (task.Kind)
        {
            case TaskKind.Classification:
            {
                using var targets = ClassTargets(batch, offset, device);
                return F.CrossEntropy(output, targets, reduction: "none");
            }
            case TaskKind.Regression:
            {
                // The head predicts in units of the scale: l = (z − y/scale)² = ((ŷ − y)/scale)² with ŷ = scale·z.
                var y = new double[n];
                for (int i = 0; i < n; i++) y[i] = Finite(batch.Target(i, offset)) / task.Scale;
                using var target = Tensor.FromDoubles(y, [n], output.DType, device);
                using var z = F.Reshape(output, n);
                using var diff = F.Sub(z, target);
                return F.Mul(diff, diff);
            }
            default:
            {
                var y = new double[n * count];
                for (int i = 0; i < n; i++)
                    for (int k = 0; k < count; k++) y[i * count + k] = Finite(batch.Target(i, offset + k));
                using var target = Tensor.FromDoubles(y, [n, count], output.DType, device);
                using var elementwise = F.BceWithLogits(output, target, "none");
                return F.Mean(elementwise, [1]);
            }
        }
    }

    /// <summary>m_i as a [B] tensor of 0/1 in the output's dtype.</summary>
    private Tensor Mask(TaskConfig task, IReadOnlyDictionary<string, Tensor> outputs, Batch batch)
    {
        var output = outputs[task.Name];
        var host = HostMask(task, batch);
        var mask = Tensor.FromDoubles(host, [batch.Count], output.DType, output.Device);
        if (task.When?.CorrectTask is not string other) return mask;
        using (mask)
        {
            var logits = outputs[other];
            using var predicted = F.ArgMax(logits);
            using var truth = ClassTargets(batch, layout[other].Offset, logits.Device);
            using var correct = F.EqualMask(predicted, truth, output.DType);
            return mask * correct;
        }
    }

    /// <summary>
    /// The part of the mask known from labels alone: the row has this task's label and meets <c>when.label</c>.
    /// Metrics use the same rule (see <see cref="TaskPredictions"/>).
    /// </summary>
    public double[] HostMask(TaskConfig task, Batch batch)
    {
        var m = new double[batch.Count];
        for (int i = 0; i < batch.Count; i++)
            m[i] = Counts(task, batch.Targets.AsSpan(i * batch.TargetCount, batch.TargetCount)) ? 1 : 0;
        return m;
    }

    /// <summary>True when a sample with <paramref name="targets"/> has a label for <paramref name="task"/> and meets its <c>when.label</c>.</summary>
    public bool Counts(TaskConfig task, ReadOnlySpan<double> targets)
    {
        if (double.IsNaN(targets[layout[task.Name].Offset])) return false;
        if (task.When?.LabelTask is not string other) return true;
        double label = targets[layout[other].Offset];
        return !double.IsNaN(label) && allowed[task.Name][(int)label];
    }

    // Class indices as int32 [B]; −1 (ignored by the cross-entropy, never equal to an argmax) where missing.
    private static Tensor ClassTargets(Batch batch, int slot, Device device)
    {
        var t = new int[batch.Count];
        for (int i = 0; i < t.Length; i++)
        {
            double v = batch.Target(i, slot);
            t[i] = double.IsNaN(v) ? -1 : (int)v;
        }
        return Tensor.FromArray(t, [t.Length], device);
    }

    private static double Finite(double v) => double.IsNaN(v) ? 0 : v;
}
