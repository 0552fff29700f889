using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// A model's outputs over a whole split, on the host: for each task the probabilities (softmax for
/// classification, sigmoid per label for multi-label) or values (regression), row-major [N, outputs]; the samples'
/// target rows; and the mean loss (total and per task). Validation, <c>evaluate</c>, the final test and
/// <c>compare</c> all go through <see cref="Run"/>.
/// </summary>
public sealed class TaskPredictions
{
    /// <summary>Creates predictions from collected arrays.</summary>
    public TaskPredictions(IReadOnlyList<double[]> targets, IReadOnlyDictionary<string, double[]> outputs, double meanLoss, IReadOnlyDictionary<string, double> taskLosses)
    {
        Targets = targets;
        Outputs = outputs;
        MeanLoss = meanLoss;
        TaskLosses = taskLosses;
    }

    /// <summary>Target row of each sample, in loader order.</summary>
    public IReadOnlyList<double[]> Targets { get; }

    /// <summary>Task → [N, outputs] probabilities or values.</summary>
    public IReadOnlyDictionary<string, double[]> Outputs { get; }

    /// <summary>Mean of the batches' total loss (NaN when there was no batch).</summary>
    public double MeanLoss { get; }

    /// <summary>Task → mean of the batches' <c>L_t</c>.</summary>
    public IReadOnlyDictionary<string, double> TaskLosses { get; }

    /// <summary>N.</summary>
    public int Count => Targets.Count;

    /// <summary>Runs <paramref name="model"/> in eval mode without gradients over epoch 0 of <paramref name="loader"/> (which should not shuffle).</summary>
    public static TaskPredictions Run(MultiHeadCnn model, DataLoader loader, Device device, InputConfig input, MultiTaskObjective objective, CancellationToken cancel = default)
    {
        bool wasTraining = model.Training;
        model.Eval();
        var targets = new List<double[]>();
        var outputs = objective.Tasks.ToDictionary(t => t.Name, _ => new List<double>());
        var taskLoss = objective.Tasks.ToDictionary(t => t.Name, _ => 0.0);
        double lossSum = 0;
        int batches = 0;
        try
        {
            foreach (var batch in loader.GetEpoch(0, cancel))
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                using var x = InputTransform.ToTensor(batch, input, device);
                var heads = model.Forward(x);
                var (total, perTask) = objective.Forward(heads, batch);
                lossSum += total.Item();
                foreach (var (name, l) in perTask) taskLoss[name] += l.Item();
                batches++;
                foreach (var task in objective.Tasks)
                    outputs[task.Name].AddRange(Activate(task, heads[task.Name].ToDoubleArray()));
                for (int i = 0; i < batch.Count; i++) targets.Add(batch.TargetRow(i));
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return new TaskPredictions(targets, outputs.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()),
            batches > 0 ? lossSum / batches : double.NaN, taskLoss.ToDictionary(kv => kv.Key, kv => batches > 0 ? kv.Value / batches : double.NaN));
    }

    /// <summary>
    /// Head outputs → what a user reads: softmax rows for classification (max subtracted first, for stability),
    /// σ(z) = 1/(1 + e^(−z)) per label for multi-label, <c>scale·z</c> (the column's units) for regression.
    /// </summary>
    public static double[] Activate(TaskConfig task, double[] z)
    {
        int k = task.Outputs;
        var p = new double[z.Length];
        switch (task.Kind)
        {
            case TaskKind.Classification:
                for (int r = 0; r < z.Length / k; r++)
                {
                    var row = z.AsSpan(r * k, k);
                    double max = double.NegativeInfinity, sum = 0;
                    foreach (var v in row) max = Math.Max(max, v);
                    for (int c = 0; c < k; c++) sum += p[r * k + c] = Math.Exp(row[c] - max);
                    for (int c = 0; c < k; c++) p[r * k + c] /= sum;
                }
                return p;
            case TaskKind.MultiLabel:
                for (int i = 0; i < z.Length; i++) p[i] = 1 / (1 + Math.Exp(-z[i]));
                return p;
            default:
                for (int i = 0; i < z.Length; i++) p[i] = z[i] * task.Scale;
                return p;
        }
    }
}
