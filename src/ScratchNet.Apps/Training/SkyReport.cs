using ScratchNet.Apps.Plots;
using ScratchNet.Nn.Metrics;

namespace ScratchNet.Apps.Training;

/// <summary>Writes a finished run's test results: <c>metrics.json</c> and the four PNG plots.</summary>
internal static class SkyReport
{
    /// <summary>Writes metrics.json and plots into <paramref name="run"/>; returns the metrics.</summary>
    public static SkyAqiMetrics Write(RunDirectory run, SkyPredictions test)
    {
        var metrics = test.Metrics();
        metrics.Save(run.File("metrics.json"));
        var log = run.File("log.csv");
        if (File.Exists(log)) TrainingCurves.Save(run.File("curves.png"), EpochValues.ReadCsv(log), "Sky/AQI training");
        var sky = Enumerable.Range(0, test.IsSkyTrue.Length).Where(i => test.IsSkyTrue[i] == 1).ToArray();
        if (sky.Length > 0)
            ScatterPlot.Save(run.File("aqi_scatter.png"), sky.Select(i => test.AqiTrue[i]).ToList(), sky.Select(i => test.AqiPredicted[i]).ToList(),
                "AQI on true-sky test images", "true AQI", "predicted AQI");
        ConfusionMatrixPlot.Save(run.File("is_sky_confusion.png"), metrics.IsSky.ToConfusionMatrix(), "is_sky (test split)");
        ConfusionMatrixPlot.Save(run.File("aqi_band_confusion.png"), metrics.AqiBandConfusion, "AQI band (true-sky test images)");
        return metrics;
    }
}
