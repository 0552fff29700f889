namespace ScratchNet.Nn.Metrics;

/// <summary>
/// Named ranges of a regression target, by inclusive upper bound: value v is in band
/// <c>b = min { i : v ≤ upper[i] }</c>, the last band is open (upper = +∞), and anything below the first bound is in
/// the first band. The US EPA Air Quality Index is one such table — Good ≤ 50, Moderate ≤ 100, Unhealthy for
/// Sensitive Groups ≤ 150, Unhealthy ≤ 200, Very Unhealthy ≤ 300, Hazardous above — given as a regression task's
/// <c>bands:</c> in a config (examples/sky.yml); any other grading (price tiers, age groups) works the same way.
/// </summary>
/// <remarks>
/// Non-integer values are compared with the bounds directly, without rounding (as seed 000's AQI repository does):
/// with the EPA table 50 → Good, 50.5 → Moderate, 300.01 → Hazardous. NaN is in no band.
/// </remarks>
public sealed class ValueBands
{
    private readonly string[] names;
    private readonly double[] upper;

    /// <summary>
    /// <paramref name="names"/>.Length bands; <paramref name="upperBounds"/> holds the inclusive upper bound of every
    /// band but the last, strictly increasing and finite.
    /// </summary>
    public ValueBands(IReadOnlyList<string> names, IReadOnlyList<double> upperBounds)
    {
        if (names.Count < 2) throw new ArgumentException($"bands: need at least 2 names, got {names.Count}");
        if (upperBounds.Count != names.Count - 1)
            throw new ArgumentException($"bands: {names.Count} names need {names.Count - 1} upper bounds (the last band is open), got {upperBounds.Count}");
        for (int i = 0; i < upperBounds.Count; i++)
        {
            if (!double.IsFinite(upperBounds[i])) throw new ArgumentException($"bands: upper bound {upperBounds[i]} is not a finite number");
            if (i > 0 && upperBounds[i] <= upperBounds[i - 1])
                throw new ArgumentException($"bands: upper bounds must increase; {upperBounds[i]} follows {upperBounds[i - 1]}");
        }
        if (names.Distinct().Count() != names.Count) throw new ArgumentException($"bands: names must be distinct: {string.Join(", ", names)}");
        this.names = names.ToArray();
        upper = [.. upperBounds, double.PositiveInfinity];
    }

    /// <summary>The number of bands.</summary>
    public int Count => names.Length;

    /// <summary>Band names, lowest first.</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>Inclusive upper bound of each band; the last is +∞.</summary>
    public IReadOnlyList<double> UpperBounds => upper;

    /// <summary>The band index of <paramref name="value"/>, or −1 for NaN.</summary>
    public int BandOf(double value)
    {
        if (double.IsNaN(value)) return -1;
        int b = 0;
        while (value > upper[b]) b++;
        return b;
    }

    /// <summary>The band name of <paramref name="value"/> (null for NaN).</summary>
    public string? NameOf(double value) => BandOf(value) is >= 0 and var b ? names[b] : null;

    /// <summary>
    /// The band confusion matrix of predicted against true values (rows = true band, columns = predicted band,
    /// labelled with <see cref="Names"/>). NaN in either is an error: a metric must not drop rows silently.
    /// </summary>
    public ConfusionMatrix Confusion(ReadOnlySpan<double> truth, ReadOnlySpan<double> predicted)
    {
        if (truth.Length != predicted.Length)
            throw new ArgumentException($"{truth.Length} true values but {predicted.Length} predictions");
        var cm = new ConfusionMatrix(Count, names);
        for (int i = 0; i < truth.Length; i++)
        {
            if (double.IsNaN(truth[i]) || double.IsNaN(predicted[i]))
                throw new ArgumentOutOfRangeException(nameof(truth), $"row {i}: NaN has no band (true {truth[i]}, predicted {predicted[i]})");
            cm.Add(BandOf(truth[i]), BandOf(predicted[i]));
        }
        return cm;
    }
}
