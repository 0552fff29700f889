using ScratchNet.Nn.Metrics;

namespace ScratchNet.Apps.Training;

/// <summary>The model's outputs over a set of images, on the host, with their labels.</summary>
/// <param name="IsSkyTrue">True labels (1 = sky).</param>
/// <param name="SkyProbability">softmax(logits)[1].</param>
/// <param name="AqiTrue">True AQI (−1 for negatives).</param>
/// <param name="AqiPredicted">Regressor output.</param>
/// <param name="MeanLoss">Mean MultiDomainLoss over the batches.</param>
public sealed record SkyPredictions(int[] IsSkyTrue, double[] SkyProbability, double[] AqiTrue, double[] AqiPredicted, double MeanLoss)
{
    /// <summary>Seed 000's table (classification over all images, regression over true-sky images).</summary>
    public SkyAqiMetrics Metrics() => SkyAqiMetrics.Compute(IsSkyTrue, SkyProbability, AqiTrue, AqiPredicted);
}
