using ScratchNet.Kernels;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Apps.Training;

/// <summary>
/// Runs the seed model over a loader's batches in eval mode (no gradients) and collects what the metrics need:
/// validation during training, <c>evaluate</c>, and the final test split share this code.
/// </summary>
internal static class SkyModelRunner
{
    /// <summary>Slots of the sky/AQI targets in a <see cref="Sample"/> (see <see cref="SkyAqiManifest.Schema"/>).</summary>
    public const int IsSkySlot = 0, AqiSlot = 1;

    /// <summary>The batch's labels as tensors: is_sky (int32 [B]) and AQI (float32 [B]).</summary>
    public static (Tensor IsSky, Tensor Aqi) Targets(Batch batch, Device device)
    {
        var isSky = new int[batch.Count];
        var aqi = new float[batch.Count];
        for (int i = 0; i < batch.Count; i++)
        {
            isSky[i] = (int)batch.Target(i, IsSkySlot);
            aqi[i] = (float)batch.Target(i, AqiSlot);
        }
        return (Tensor.FromArray(isSky, [batch.Count], device), Tensor.FromArray(aqi, [batch.Count], device));
    }

    /// <summary>Predictions and mean loss over every batch of epoch 0 of <paramref name="loader"/> (which should not shuffle).</summary>
    public static SkyPredictions Predict(MultiTaskCnn model, DataLoader loader, Device device, MultiDomainLoss loss, CancellationToken cancel = default)
    {
        bool wasTraining = model.Training;
        model.Eval();
        var isSkyTrue = new List<int>();
        var prob = new List<double>();
        var aqiTrue = new List<double>();
        var aqiPred = new List<double>();
        double lossSum = 0;
        int batches = 0;
        try
        {
            foreach (var batch in loader.GetEpoch(0, cancel))
            {
                using var scope = TensorScope.Begin();
                using var noGrad = GradMode.NoGrad();
                var x = batch.ToTensor(device);
                var (isSky, aqi) = Targets(batch, device);
                var (logits, pred) = model.Forward(x);
                lossSum += loss.Forward(logits, pred, isSky, aqi).Item();
                batches++;
                var p = SkyProbabilities(logits);
                var a = pred.ToDoubleArray();
                for (int i = 0; i < batch.Count; i++)
                {
                    isSkyTrue.Add((int)batch.Target(i, IsSkySlot));
                    aqiTrue.Add(batch.Target(i, AqiSlot));
                    prob.Add(p[i]);
                    aqiPred.Add(a[i]);
                }
            }
        }
        finally
        {
            model.Train(wasTraining);
        }
        return new SkyPredictions(isSkyTrue.ToArray(), prob.ToArray(), aqiTrue.ToArray(), aqiPred.ToArray(), batches > 0 ? lossSum / batches : double.NaN);
    }

    /// <summary>softmax(logits)[:, 1] on the host: p(sky) = 1/(1 + e^(z0 − z1)).</summary>
    public static double[] SkyProbabilities(Tensor logits)
    {
        var z = logits.ToDoubleArray();
        int n = logits.Dim(0);
        var p = new double[n];
        for (int i = 0; i < n; i++) p[i] = 1 / (1 + Math.Exp(z[2 * i] - z[2 * i + 1]));
        return p;
    }
}
