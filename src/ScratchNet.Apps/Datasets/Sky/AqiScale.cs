using ScratchNet.Nn.Metrics;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// US EPA air-quality index for PM2.5, in both directions, and its category bands.
/// </summary>
/// <remarks>
/// <para>
/// The EPA index is piecewise linear: inside a breakpoint row
/// <c>AQI = (I_hi − I_lo)/(C_hi − C_lo)·(C − C_lo) + I_lo</c>, with rows
/// 0–12.0 → 0–50, 12.1–35.4 → 51–100, 35.5–55.4 → 101–150, 55.5–150.4 → 151–200,
/// 150.5–250.4 → 201–300, 250.5–350.4 → 301–400, 350.5–500.4 → 401–500 (µg/m³ → index).
/// </para>
/// <para>
/// The official table leaves gaps (12.0…12.1 µg/m³, 50…51 AQI) because it works on truncated
/// concentrations and rounded indices. A generator needs a continuous, strictly increasing map whose
/// inverse is exact, so the gaps are bridged linearly between the end of one row and the start of the
/// next: the knots are (0,0), (12.0,50), (12.1,51), (35.4,100), (35.5,101), … (500.4,500), and both
/// directions interpolate between the same knots. Beyond 500.4 µg/m³ the last row's slope is extended,
/// since real Delhi winter readings do exceed the table.
/// </para>
/// </remarks>
public static class AqiScale
{
    private static readonly AqiBreakpoint[] Rows =
    [
        new(0.0, 12.0, 0, 50, AqiBand.Good),
        new(12.1, 35.4, 51, 100, AqiBand.Moderate),
        new(35.5, 55.4, 101, 150, AqiBand.UnhealthyForSensitiveGroups),
        new(55.5, 150.4, 151, 200, AqiBand.Unhealthy),
        new(150.5, 250.4, 201, 300, AqiBand.VeryUnhealthy),
        new(250.5, 350.4, 301, 400, AqiBand.Hazardous),
        new(350.5, 500.4, 401, 500, AqiBand.Hazardous),
    ];

    // Knots (pm, aqi) of the continuous piecewise-linear map: every row contributes its two ends.
    private static readonly double[] KnotPm = Rows.SelectMany(r => new[] { r.PmLow, r.PmHigh }).ToArray();
    private static readonly double[] KnotAqi = Rows.SelectMany(r => new[] { (double)r.AqiLow, r.AqiHigh }).ToArray();

    /// <summary>The EPA PM2.5 breakpoint rows, lowest first.</summary>
    public static IReadOnlyList<AqiBreakpoint> Breakpoints => Rows;

    /// <summary>All bands, from <see cref="AqiBand.Good"/> to <see cref="AqiBand.Hazardous"/>.</summary>
    public static IReadOnlyList<AqiBand> Bands { get; } = Enum.GetValues<AqiBand>();

    /// <summary>AQI (continuous, not rounded) of a PM2.5 concentration in µg/m³. Negative input is an error.</summary>
    public static double Pm25ToAqi(double pm25)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pm25);
        return Interpolate(pm25, KnotPm, KnotAqi);
    }

    /// <summary>PM2.5 concentration in µg/m³ whose AQI is <paramref name="aqi"/>: the exact inverse of <see cref="Pm25ToAqi"/>.</summary>
    public static double AqiToPm25(double aqi)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(aqi);
        return Interpolate(aqi, KnotAqi, KnotPm);
    }

    /// <summary>
    /// The US EPA bands as a <see cref="ScratchNet.Nn.Metrics.ValueBands"/> table, for rendering the data; a model's
    /// metrics use the <c>bands:</c> of its config (examples/sky.yml lists the same table). AqiBand's values are its indices.
    /// </summary>
    public static ScratchNet.Nn.Metrics.ValueBands EpaBands { get; } =
        new(["Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"], [50, 100, 150, 200, 300]);

    /// <summary>The band an AQI value falls in (upper bounds inclusive: 50, 100, 150, 200, 300); negative values count as Good.</summary>
    public static AqiBand BandOf(double aqi) => (AqiBand)EpaBands.BandOf(Math.Max(0, aqi));

    /// <summary>Highest AQI of a band (inclusive); <see cref="double.PositiveInfinity"/> for <see cref="AqiBand.Hazardous"/>.</summary>
    public static double UpperBound(AqiBand band) => EpaBands.UpperBounds[Index(band)];

    /// <summary>EPA name of a band: "Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous".</summary>
    public static string BandName(AqiBand band) => EpaBands.Names[Index(band)];

    private static int Index(AqiBand band) =>
        Enum.IsDefined(band) ? (int)band : throw new ArgumentOutOfRangeException(nameof(band));

    /// <summary>
    /// The <c>AQI_Class</c> label the India/Nepal image dataset writes for a band: "a_Good", "b_Moderate",
    /// "c_Unhealthy_for_Sensitive_Groups", "d_Unhealthy", "e_Very_Unhealthy", "f_Severe".
    /// The letter prefix makes the labels sort in severity order.
    /// </summary>
    public static string DatasetClassLabel(AqiBand band) => band switch
    {
        AqiBand.Good => "a_Good",
        AqiBand.Moderate => "b_Moderate",
        AqiBand.UnhealthyForSensitiveGroups => "c_Unhealthy_for_Sensitive_Groups",
        AqiBand.Unhealthy => "d_Unhealthy",
        AqiBand.VeryUnhealthy => "e_Very_Unhealthy",
        AqiBand.Hazardous => "f_Severe",
        _ => throw new ArgumentOutOfRangeException(nameof(band)),
    };

    /// <summary>Parses either an EPA band name or a dataset <c>AQI_Class</c> label (case-insensitive); false if neither.</summary>
    public static bool TryParseBand(string text, out AqiBand band)
    {
        foreach (var b in Bands)
        {
            if (string.Equals(text, BandName(b), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text, DatasetClassLabel(b), StringComparison.OrdinalIgnoreCase))
            {
                band = b;
                return true;
            }
        }
        band = default;
        return false;
    }

    private static double Interpolate(double v, double[] from, double[] to)
    {
        int last = from.Length - 1;
        if (v >= from[last])
        {
            // Extend the last row's slope past the end of the table.
            double slope = (to[last] - to[last - 1]) / (from[last] - from[last - 1]);
            return to[last] + (v - from[last]) * slope;
        }
        int i = Array.BinarySearch(from, v);
        if (i >= 0) return to[i];
        int hi = ~i, lo = hi - 1;
        double f = (v - from[lo]) / (from[hi] - from[lo]);
        return to[lo] + f * (to[hi] - to[lo]);
    }
}
