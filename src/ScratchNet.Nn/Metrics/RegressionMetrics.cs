using System.Globalization;

namespace ScratchNet.Nn.Metrics;

/// <summary>
/// Regression errors of predictions ŷ against targets y over N ≥ 1 samples.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>MAE = (1/N) Σ |y_i − ŷ_i|</item>
/// <item>MSE = (1/N) Σ (y_i − ŷ_i)²</item>
/// <item>RMSE = √MSE</item>
/// <item>R² = 1 − SS_res / SS_tot, with SS_res = Σ (y_i − ŷ_i)², SS_tot = Σ (y_i − ȳ)², ȳ = (1/N) Σ y_i.</item>
/// </list>
/// Constant targets (SS_tot = 0): R² = 1 if the predictions are perfect (SS_res = 0), else 0 — scikit-learn's
/// <c>r2_score</c> with its default <c>force_finite=True</c>. R² may be negative (worse than predicting ȳ). Sums are
/// accumulated in double; ȳ is computed first (two passes) so SS_tot does not suffer the cancellation of Σy² − Nȳ².
/// </remarks>
public sealed record RegressionMetrics
{
    /// <summary>N, the number of samples the errors are over.</summary>
    public long Count { get; init; }

    /// <summary>Mean absolute error.</summary>
    public double Mae { get; init; }

    /// <summary>Mean squared error.</summary>
    public double Mse { get; init; }

    /// <summary>Root mean squared error.</summary>
    public double Rmse { get; init; }

    /// <summary>Coefficient of determination 1 − SS_res/SS_tot (see the remarks for SS_tot = 0).</summary>
    public double R2 { get; init; }

    /// <summary>ȳ, the mean of the targets.</summary>
    public double TargetMean { get; init; }

    /// <summary>Errors of <paramref name="predicted"/> against <paramref name="targets"/> (equal lengths, at least one).</summary>
    public static RegressionMetrics Compute(ReadOnlySpan<double> targets, ReadOnlySpan<double> predicted)
    {
        if (targets.Length != predicted.Length)
            throw new ArgumentException($"{targets.Length} targets but {predicted.Length} predictions");
        if (targets.Length == 0) throw new ArgumentException("regression metrics need at least one sample");
        int n = targets.Length;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += targets[i];
        mean /= n;
        double absSum = 0, ssRes = 0, ssTot = 0;
        for (int i = 0; i < n; i++)
        {
            double e = targets[i] - predicted[i];
            absSum += Math.Abs(e);
            ssRes += e * e;
            double d = targets[i] - mean;
            ssTot += d * d;
        }
        double mse = ssRes / n;
        double r2 = ssTot == 0 ? (ssRes == 0 ? 1.0 : 0.0) : 1.0 - ssRes / ssTot;
        return new RegressionMetrics
        {
            Count = n,
            Mae = absSum / n,
            Mse = mse,
            Rmse = Math.Sqrt(mse),
            R2 = r2,
            TargetMean = mean,
        };
    }

    /// <inheritdoc cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    public static RegressionMetrics Compute(ReadOnlySpan<float> targets, ReadOnlySpan<float> predicted)
    {
        var t = new double[targets.Length];
        var p = new double[predicted.Length];
        for (int i = 0; i < t.Length; i++) t[i] = targets[i];
        for (int i = 0; i < p.Length; i++) p[i] = predicted[i];
        return Compute(t, p);
    }

    /// <summary>
    /// The errors of always predicting <paramref name="constant"/> (e.g. the training-set mean of the targets): the
    /// baseline a model must beat. Predicting the mean of these same targets gives R² = 0; a constant taken from
    /// another set (the training mean scored on validation) gives R² ≤ 0.
    /// </summary>
    public static RegressionMetrics Baseline(ReadOnlySpan<double> targets, double constant)
    {
        var p = new double[targets.Length];
        Array.Fill(p, constant);
        return Compute(targets, p);
    }

    /// <summary>The arithmetic mean (1/N) Σ x_i, for <see cref="Baseline"/>'s constant; throws on an empty span.</summary>
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) throw new ArgumentException("mean of an empty set");
        double s = 0;
        foreach (double v in values) s += v;
        return s / values.Length;
    }

    /// <summary>"MAE 26.2747  MSE 1216.0543  RMSE 34.8720  R² 0.8826  (N = 1836)".</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        return $"MAE {Mae.ToString("F4", inv)}  MSE {Mse.ToString("F4", inv)}  RMSE {Rmse.ToString("F4", inv)}  " +
               $"R² {R2.ToString("F4", inv)}  (N = {Count.ToString(inv)})";
    }
}
