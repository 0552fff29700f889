using ScratchNet.Nn.Metrics;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Metrics;

/// <summary>EPA AQI bands and seed 000's sky / AQI table.</summary>
public class AqiMetricsTests(ITestOutputHelper output)
{
    private const int Digits = 12;

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(50.0, 0)]
    [InlineData(50.5, 1)]   // no rounding: anything above 50 is Moderate
    [InlineData(51.0, 1)]
    [InlineData(100.0, 1)]
    [InlineData(101.0, 2)]
    [InlineData(150.0, 2)]
    [InlineData(151.0, 3)]
    [InlineData(200.0, 3)]
    [InlineData(201.0, 4)]
    [InlineData(300.0, 4)]
    [InlineData(300.01, 5)]
    [InlineData(301.0, 5)]
    [InlineData(500.0, 5)]
    [InlineData(double.PositiveInfinity, 5)]
    public void BandBoundaries(double aqi, int band)
    {
        Assert.Equal(band, AqiBands.BandOf(aqi));
        Assert.True(AqiBands.TryBandOf(aqi, out int b));
        Assert.Equal(band, b);
    }

    [Fact]
    public void NegativeZeroIsGood() => Assert.Equal(0, AqiBands.BandOf(-0.0));

    [Theory]
    [InlineData(-1.0)]
    [InlineData(-0.001)]
    [InlineData(double.NaN)]
    [InlineData(double.NegativeInfinity)]
    public void NegativeOrNaNIsNotABand(double aqi)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AqiBands.BandOf(aqi));
        Assert.False(AqiBands.TryBandOf(aqi, out int b));
        Assert.Equal(-1, b);
    }

    [Fact]
    public void BandNames()
    {
        Assert.Equal(6, AqiBands.Count);
        Assert.Equal(["Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"], AqiBands.Names);
        Assert.Equal("Unhealthy for Sensitive Groups", AqiBands.NameOf(2));
        Assert.Equal("Hazardous", AqiBands.NameOfAqi(301));
        Assert.Equal("Good", AqiBands.NameOfAqi(50));
        Assert.Throws<ArgumentOutOfRangeException>(() => AqiBands.NameOf(6));
        Assert.Equal([50.0, 100, 150, 200, 300, double.PositiveInfinity], AqiBands.UpperBounds);
    }

    [Fact]
    public void BandConfusion()
    {
        // true bands 0 1 2 3 4 5; predicted 1 1 0 (negative → Good) 3 5 4
        var cm = AqiBands.Confusion([10, 60, 120, 175, 250, 400], [55, 60, -3, 160, 301, 299]);
        Assert.Equal(AqiBands.Names, cm.Labels);
        Assert.Equal(6, cm.Total);
        Assert.Equal(1, cm[0, 1]);
        Assert.Equal(1, cm[1, 1]);
        Assert.Equal(1, cm[2, 0]);
        Assert.Equal(1, cm[3, 3]);
        Assert.Equal(1, cm[4, 5]);
        Assert.Equal(1, cm[5, 4]);
        Assert.Equal(2.0 / 6, cm.Accuracy, Digits);
        Assert.Throws<ArgumentOutOfRangeException>(() => AqiBands.Confusion([-1], [10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => AqiBands.Confusion([10], [double.NaN]));
        Assert.Throws<ArgumentException>(() => AqiBands.Confusion([10, 20], [10]));
    }

    // images 0–3 are sky (AQI 40, 80, 160, 320), 4–5 are not (AQI −1); image 2 is misclassified as not sky and
    // image 4 as sky. Classification: TP 3, FN 1, FP 1, TN 1.
    private static readonly int[] SkyTrue = [1, 1, 1, 1, 0, 0];
    private static readonly int[] SkyPred = [1, 1, 0, 1, 1, 0];
    private static readonly double[] SkyProb = [0.9, 0.8, 0.4, 0.7, 0.6, 0.1];
    private static readonly double[] AqiTrue = [40, 80, 160, 320, -1, -1];
    private static readonly double[] AqiPred = [50, 90, 150, 300, 5, -0.8];

    private static void AssertSeedTable(SkyAqiMetrics m)
    {
        Assert.Equal(6, m.SampleCount);
        Assert.Equal(4, m.TrueSkyCount);
        Assert.Equal("sky", m.IsSky.PositiveClass);
        Assert.Equal((3L, 1L, 1L, 1L), (m.IsSky.TruePositives, m.IsSky.FalsePositives, m.IsSky.TrueNegatives, m.IsSky.FalseNegatives));
        Assert.Equal(4.0 / 6, m.IsSky.Accuracy, Digits);
        Assert.Equal(0.75, m.IsSky.Precision, Digits);
        Assert.Equal(0.75, m.IsSky.Recall, Digits);
        Assert.Equal(0.75, m.IsSky.F1, Digits);

        // regression over the 4 TRUE-sky images, including the one the classifier missed: errors −10, −10, 10, 20
        Assert.NotNull(m.Aqi);
        Assert.Equal(4, m.Aqi.Count);
        Assert.Equal(12.5, m.Aqi.Mae, Digits);
        Assert.Equal(175, m.Aqi.Mse, Digits);
        Assert.Equal(Math.Sqrt(175), m.Aqi.Rmse, Digits);
        Assert.Equal(1 - 700.0 / 46000, m.Aqi.R2, Digits); // ȳ = 150, SS_tot = 46000, SS_res = 700
        Assert.Contains("true-sky", m.AqiSubset);

        // bands: true 0 1 3 5, predicted 0 1 2 4
        var cm = m.AqiBandConfusion;
        Assert.Equal(4, cm.Total);
        Assert.Equal(1, cm[0, 0]);
        Assert.Equal(1, cm[1, 1]);
        Assert.Equal(1, cm[3, 2]);
        Assert.Equal(1, cm[5, 4]);
        Assert.Equal(0.5, cm.Accuracy, Digits);
    }

    [Fact]
    public void SeedTableFromHardPredictions()
    {
        var m = SkyAqiMetrics.Compute(SkyTrue, SkyPred, AqiTrue, AqiPred);
        AssertSeedTable(m);
        Assert.Null(m.IsSkyThreshold);
    }

    [Fact]
    public void SeedTableFromProbabilities()
    {
        var m = SkyAqiMetrics.Compute(SkyTrue, SkyProb, AqiTrue, AqiPred);
        AssertSeedTable(m);
        Assert.Equal(0.5, m.IsSkyThreshold);
    }

    [Fact]
    public void JsonRoundTrip()
    {
        var m = SkyAqiMetrics.Compute(SkyTrue, SkyProb, AqiTrue, AqiPred);
        string json = m.ToJson();
        Assert.Contains("\"is_sky\"", json);
        Assert.Contains("\"aqi_subset\"", json);
        Assert.Contains("\"mae\"", json);
        Assert.Contains("\"r2\"", json);
        Assert.Contains("\"aqi_band_confusion\"", json);
        Assert.Contains("Unhealthy for Sensitive Groups", json);

        var back = SkyAqiMetrics.FromJson(json);
        AssertSeedTable(back);
        Assert.Equal(m.IsSky, back.IsSky);
        Assert.Equal(m.Aqi, back.Aqi);
        Assert.Equal(m.AqiBandConfusion.Counts, back.AqiBandConfusion.Counts);
        Assert.Equal(m.AqiBandConfusion.Labels, back.AqiBandConfusion.Labels);
        Assert.Equal(m.IsSkyThreshold, back.IsSkyThreshold);
        Assert.Equal(json, back.ToJson());

        string dir = Path.Combine(Path.GetTempPath(), "scratchnet-metrics-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(dir, "run", "metrics.json");
            m.Save(path);
            Assert.Equal(json, File.ReadAllText(path));
            AssertSeedTable(SkyAqiMetrics.Load(path));
            Assert.Single(Directory.GetFiles(Path.Combine(dir, "run"))); // no temp file left behind
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void NoTrueSkyImageLeavesRegressionNull()
    {
        var m = SkyAqiMetrics.Compute([0, 0], [0, 1], [-1, -1], [3, 4]);
        Assert.Equal(0, m.TrueSkyCount);
        Assert.Null(m.Aqi);
        Assert.Equal(0, m.AqiBandConfusion.Total);
        var back = SkyAqiMetrics.FromJson(m.ToJson());
        Assert.Null(back.Aqi);
        Assert.Contains("no true-sky image", m.ToText());
    }

    [Fact]
    public void SkyImageWithoutAValidAqiIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SkyAqiMetrics.Compute([1], [1], [-1.0], [10.0]));
        Assert.Throws<ArgumentException>(() => SkyAqiMetrics.Compute([1, 0], [1], [10.0, -1], [10.0, 0]));
    }

    [Fact]
    public void TextTableHasTheSeedRows()
    {
        var m = SkyAqiMetrics.Compute(SkyTrue, SkyPred, AqiTrue, AqiPred);
        string text = m.ToText();
        output.WriteLine(text);
        output.WriteLine(m.ToJson());
        Assert.Contains("Accuracy (is_sky, positive = sky)", text);
        Assert.Matches(@"Mean Absolute Error \(AQI\) \[true-sky, N=4\] +\| 12\.5000", text);
        Assert.Contains("Root Mean Squared Error", text);
        Assert.Contains("R² (AQI)", text);
        Assert.Contains("AQI band confusion", text);
    }
}
