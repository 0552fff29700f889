namespace ScratchNet.Nn.Metrics;

/// <summary>
/// The six US EPA Air Quality Index categories, by upper bound:
/// 0 Good ≤ 50, 1 Moderate ≤ 100, 2 Unhealthy for Sensitive Groups ≤ 150, 3 Unhealthy ≤ 200,
/// 4 Very Unhealthy ≤ 300, 5 Hazardous &gt; 300.
/// </summary>
/// <remarks>
/// Semantics for non-integer values: the EPA publishes integer AQIs in the ranges 0–50, 51–100, 101–150, 151–200,
/// 201–300, 301+; a model predicts a real number. We compare the value with the upper bounds directly, without
/// rounding, as the seed's AQI repo does (<c>≤50, ≤100, …</c>): band = the first band whose upper bound is ≥ aqi. So
/// 50 → Good, 50.5 → Moderate, 51 → Moderate, 300 → Very Unhealthy, 300.01 → Hazardous. Integer inputs land exactly
/// where the EPA table puts them.
/// AQI is non-negative: a negative value (the dataset marks non-sky images with aqi = −1) or NaN is not a band —
/// <see cref="BandOf"/> throws, <see cref="TryBandOf"/> returns false. +∞ is Hazardous.
/// </remarks>
public static class AqiBands
{
    /// <summary>The number of bands (6).</summary>
    public const int Count = 6;

    private static readonly string[] NamesArray =
    [
        "Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous",
    ];

    private static readonly double[] UpperBoundsArray = [50, 100, 150, 200, 300, double.PositiveInfinity];

    /// <summary>Band names in band order, from "Good" to "Hazardous".</summary>
    public static IReadOnlyList<string> Names => NamesArray;

    /// <summary>Inclusive upper bound of each band: 50, 100, 150, 200, 300, +∞.</summary>
    public static IReadOnlyList<double> UpperBounds => UpperBoundsArray;

    /// <summary>The band index (0 = Good … 5 = Hazardous) of a non-negative AQI; see the remarks for non-integers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">aqi is negative or NaN (e.g. the −1 of a non-sky image).</exception>
    public static int BandOf(double aqi) =>
        TryBandOf(aqi, out int band)
            ? band
            : throw new ArgumentOutOfRangeException(nameof(aqi), aqi, "AQI must be a non-negative number (−1 marks a non-sky image, which has no band)");

    /// <summary>The band of <paramref name="aqi"/>, or false for a negative or NaN value.</summary>
    public static bool TryBandOf(double aqi, out int band)
    {
        band = -1;
        if (double.IsNaN(aqi) || aqi < 0) return false;
        for (int b = 0; b < Count; b++)
        {
            if (aqi <= UpperBoundsArray[b]) { band = b; return true; }
        }
        return false; // unreachable: the last bound is +∞
    }

    /// <summary>The name of band <paramref name="band"/> (0 … 5).</summary>
    public static string NameOf(int band)
    {
        if ((uint)band >= Count) throw new ArgumentOutOfRangeException(nameof(band), band, "band must be in [0, 6)");
        return NamesArray[band];
    }

    /// <summary>The name of the band an AQI falls in: <c>NameOf(BandOf(aqi))</c>.</summary>
    public static string NameOfAqi(double aqi) => NamesArray[BandOf(aqi)];

    /// <summary>
    /// The 6×6 band confusion matrix of predicted against true AQI (rows = true band, columns = predicted band,
    /// labelled with <see cref="Names"/>). Every true value must be a valid AQI (filter out the −1 non-sky rows first);
    /// a negative prediction counts as Good (a regressor can undershoot 0; it is still a "clean air" call); a NaN
    /// prediction throws.
    /// </summary>
    public static ConfusionMatrix Confusion(ReadOnlySpan<double> aqiTrue, ReadOnlySpan<double> aqiPredicted)
    {
        if (aqiTrue.Length != aqiPredicted.Length)
            throw new ArgumentException($"{aqiTrue.Length} true AQIs but {aqiPredicted.Length} predictions");
        var cm = new ConfusionMatrix(Count, NamesArray);
        for (int i = 0; i < aqiTrue.Length; i++)
        {
            if (!TryBandOf(aqiTrue[i], out int t))
                throw new ArgumentOutOfRangeException(nameof(aqiTrue), aqiTrue[i], $"true AQI at {i} is not a valid AQI (non-sky rows must be filtered out)");
            double p = aqiPredicted[i];
            if (double.IsNaN(p))
                throw new ArgumentOutOfRangeException(nameof(aqiPredicted), p, $"predicted AQI at {i} is NaN");
            cm.Add(t, BandOf(Math.Max(p, 0.0)));
        }
        return cm;
    }
}
