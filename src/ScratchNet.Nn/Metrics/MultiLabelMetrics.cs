using System.Globalization;
using System.Text;

namespace ScratchNet.Nn.Metrics;

/// <summary>
/// Multi-label classification scores (seed 004: independent sigmoid outputs, one per class). Inputs are N samples × K
/// classes, flattened row-major (sample i, class c at index i·K + c). A true label is positive when non-zero; a
/// probability p is predicted positive when p ≥ the class's threshold.
/// </summary>
/// <remarks>
/// With Y the true and Ŷ the predicted 0/1 matrices:
/// <list type="bullet">
/// <item>Hamming loss = (1/(N·K)) Σ_i Σ_c [Y_ic ≠ Ŷ_ic] (fraction of wrong label bits)</item>
/// <item>exact-match ratio (subset accuracy) = (1/N) Σ_i [Y_i = Ŷ_i for every c]</item>
/// <item>per class c: precision, recall, F1 and Matthews correlation of column c, as
/// <see cref="BinaryClassificationMetrics"/> (zero division → 0)</item>
/// <item>macro F1 = (1/K) Σ_c F1(c)</item>
/// </list>
/// Per-class thresholds (<see cref="TuneThresholds"/>) are chosen on a validation set by Matthews correlation over a
/// grid (default 0.10, 0.15, …, 0.90).
/// </remarks>
public sealed record MultiLabelMetrics
{
    /// <summary>N, the number of samples.</summary>
    public int SampleCount { get; init; }

    /// <summary>K, the number of classes.</summary>
    public int ClassCount { get; init; }

    /// <summary>Class names (K).</summary>
    public string[] ClassNames { get; init; } = [];

    /// <summary>The decision threshold used for each class (K); empty when computed from 0/1 predictions.</summary>
    public double[] Thresholds { get; init; } = [];

    /// <summary>Fraction of wrong label bits.</summary>
    public double HammingLoss { get; init; }

    /// <summary>Fraction of samples whose whole label vector is right.</summary>
    public double ExactMatchRatio { get; init; }

    /// <summary>Per-class scores (K), each with its 2×2 counts.</summary>
    public BinaryClassificationMetrics[] PerClass { get; init; } = [];

    /// <summary>(1/K) Σ_c F1(c).</summary>
    public double MacroF1 { get; init; }

    /// <summary>Scores of 0/1 predictions (non-zero = positive).</summary>
    public static MultiLabelMetrics FromPredictions(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, int classCount,
        IReadOnlyList<string>? classNames = null)
    {
        CheckShape(yTrue.Length, yPred.Length, classCount);
        var pred = new bool[yPred.Length];
        for (int i = 0; i < pred.Length; i++) pred[i] = yPred[i] != 0;
        return Build(yTrue, pred, classCount, classNames, []);
    }

    /// <summary>Scores of probabilities cut at one threshold for every class (seed 004: 0.5).</summary>
    public static MultiLabelMetrics Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<double> probabilities, int classCount,
        double threshold = 0.5, IReadOnlyList<string>? classNames = null)
    {
        var t = new double[classCount];
        Array.Fill(t, threshold);
        return Compute(yTrue, probabilities, classCount, t, classNames);
    }

    /// <summary>Scores of probabilities cut at a threshold per class (e.g. from <see cref="TuneThresholds"/>).</summary>
    public static MultiLabelMetrics Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<double> probabilities, int classCount,
        ReadOnlySpan<double> thresholds, IReadOnlyList<string>? classNames = null)
    {
        CheckShape(yTrue.Length, probabilities.Length, classCount);
        if (thresholds.Length != classCount)
            throw new ArgumentException($"{thresholds.Length} thresholds for {classCount} classes", nameof(thresholds));
        var pred = new bool[probabilities.Length];
        for (int i = 0; i < pred.Length; i++) pred[i] = probabilities[i] >= thresholds[i % classCount];
        return Build(yTrue, pred, classCount, classNames, thresholds.ToArray());
    }

    /// <summary>Hamming loss (1/(N·K)) Σ [Y_ic ≠ Ŷ_ic] of 0/1 matrices (non-zero = positive); 0 for N = 0.</summary>
    public static double ComputeHammingLoss(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, int classCount)
    {
        CheckShape(yTrue.Length, yPred.Length, classCount);
        long wrong = 0;
        for (int i = 0; i < yTrue.Length; i++)
            if ((yTrue[i] != 0) != (yPred[i] != 0)) wrong++;
        return ConfusionMatrix.Ratio(wrong, yTrue.Length);
    }

    /// <summary>Exact-match ratio (1/N) Σ_i [Y_i = Ŷ_i] of 0/1 matrices (non-zero = positive); 0 for N = 0.</summary>
    public static double ComputeExactMatchRatio(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, int classCount)
    {
        CheckShape(yTrue.Length, yPred.Length, classCount);
        int n = yTrue.Length / classCount;
        long exact = 0;
        for (int i = 0; i < n; i++)
        {
            bool all = true;
            for (int c = 0; c < classCount && all; c++)
                all = (yTrue[i * classCount + c] != 0) == (yPred[i * classCount + c] != 0);
            if (all) exact++;
        }
        return ConfusionMatrix.Ratio(exact, n);
    }

    /// <summary>
    /// Matthews correlation coefficient MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)), in [−1, 1]:
    /// 1 perfect, 0 no better than chance, −1 always wrong. 0 when any factor under the root is 0 (scikit-learn's
    /// <c>matthews_corrcoef</c>). Products are taken in double, so large counts do not overflow.
    /// </summary>
    public static double MatthewsCorrelation(long truePositives, long falsePositives, long trueNegatives, long falseNegatives)
    {
        double tp = truePositives, fp = falsePositives, tn = trueNegatives, fn = falseNegatives;
        double den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
        if (den == 0) return 0.0;
        double mcc = (tp * tn - fp * fn) / Math.Sqrt(den);
        return Math.Clamp(mcc, -1.0, 1.0);
    }

    /// <summary>MCC of paired binary labels (non-zero = positive).</summary>
    public static double MatthewsCorrelation(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"{yTrue.Length} true labels but {yPred.Length} predictions");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < yTrue.Length; i++)
            Tally(yTrue[i] != 0, yPred[i] != 0, ref tp, ref fp, ref tn, ref fn);
        return MatthewsCorrelation(tp, fp, tn, fn);
    }

    /// <summary>
    /// Per-class thresholds tuned on validation data: for each class c, the threshold t on the grid
    /// <paramref name="min"/>, <paramref name="min"/> + <paramref name="step"/>, … ≤ <paramref name="max"/>
    /// (default 0.10 … 0.90 in steps of 0.05; grid point j is min + j·step, so no drift) that maximises the MCC of
    /// column c with p ≥ t as positive. Ties (within 1e-12) go to the threshold nearest 0.5, then to the lower one — so a
    /// class whose MCC is 0 everywhere (e.g. no positive in the validation set) keeps 0.5.
    /// </summary>
    /// <returns>K thresholds.</returns>
    public static double[] TuneThresholds(ReadOnlySpan<int> yTrue, ReadOnlySpan<double> probabilities, int classCount,
        double min = 0.1, double max = 0.9, double step = 0.05)
    {
        CheckShape(yTrue.Length, probabilities.Length, classCount);
        if (!(step > 0) || !(min <= max)) throw new ArgumentException("need step > 0 and min ≤ max");
        int points = (int)Math.Floor((max - min) / step + 1e-9) + 1;
        int n = yTrue.Length / classCount;
        var best = new double[classCount];
        for (int c = 0; c < classCount; c++)
        {
            double bestMcc = double.NegativeInfinity, bestT = 0.5;
            for (int j = 0; j < points; j++)
            {
                double t = Math.Round(min + j * step, 10);
                long tp = 0, fp = 0, tn = 0, fn = 0;
                for (int i = 0; i < n; i++)
                    Tally(yTrue[i * classCount + c] != 0, probabilities[i * classCount + c] >= t, ref tp, ref fp, ref tn, ref fn);
                double mcc = MatthewsCorrelation(tp, fp, tn, fn);
                bool better = mcc > bestMcc + 1e-12
                    || (Math.Abs(mcc - bestMcc) <= 1e-12 && Math.Abs(t - 0.5) < Math.Abs(bestT - 0.5) - 1e-12);
                if (better) { bestMcc = mcc; bestT = t; }
            }
            best[c] = bestT;
        }
        return best;
    }

    /// <summary>Hamming loss, exact match, macro F1, then one line per class.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("N = ").Append(SampleCount.ToString(inv)).Append(", K = ").Append(ClassCount.ToString(inv)).AppendLine();
        sb.Append("Hamming loss ").Append(HammingLoss.ToString("F4", inv))
          .Append("   exact match ").Append(ExactMatchRatio.ToString("F4", inv))
          .Append("   macro F1 ").Append(MacroF1.ToString("F4", inv)).AppendLine();
        int w = Math.Max(5, ClassNames.Length == 0 ? 5 : ClassNames.Max(s => s.Length)) + 2;
        sb.Append("class".PadRight(w)).Append("threshold".PadLeft(10)).Append("precision".PadLeft(11))
          .Append("recall".PadLeft(9)).Append("f1".PadLeft(9)).Append("mcc".PadLeft(9)).Append("support".PadLeft(9)).AppendLine();
        for (int c = 0; c < ClassCount; c++)
        {
            var m = PerClass[c];
            sb.Append(ClassNames[c].PadRight(w))
              .Append((Thresholds.Length == 0 ? "-" : Thresholds[c].ToString("F2", inv)).PadLeft(10))
              .Append(m.Precision.ToString("F4", inv).PadLeft(11))
              .Append(m.Recall.ToString("F4", inv).PadLeft(9))
              .Append(m.F1.ToString("F4", inv).PadLeft(9))
              .Append(m.MatthewsCorrelation.ToString("F4", inv).PadLeft(9))
              .Append((m.TruePositives + m.FalseNegatives).ToString(inv).PadLeft(9)).AppendLine();
        }
        return sb.ToString();
    }

    private static MultiLabelMetrics Build(ReadOnlySpan<int> yTrue, bool[] pred, int classCount,
        IReadOnlyList<string>? classNames, double[] thresholds)
    {
        if (classNames is not null && classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names for {classCount} classes", nameof(classNames));
        int n = yTrue.Length / classCount;
        var names = classNames?.ToArray()
            ?? Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var tp = new long[classCount];
        var fp = new long[classCount];
        var tn = new long[classCount];
        var fn = new long[classCount];
        long wrong = 0, exact = 0;
        for (int i = 0; i < n; i++)
        {
            bool all = true;
            for (int c = 0; c < classCount; c++)
            {
                bool t = yTrue[i * classCount + c] != 0, p = pred[i * classCount + c];
                Tally(t, p, ref tp[c], ref fp[c], ref tn[c], ref fn[c]);
                if (t != p) { wrong++; all = false; }
            }
            if (all) exact++;
        }
        var perClass = new BinaryClassificationMetrics[classCount];
        for (int c = 0; c < classCount; c++)
            perClass[c] = BinaryClassificationMetrics.FromCounts(tp[c], fp[c], tn[c], fn[c], names[c], "not " + names[c]);
        return new MultiLabelMetrics
        {
            SampleCount = n,
            ClassCount = classCount,
            ClassNames = names,
            Thresholds = thresholds,
            HammingLoss = ConfusionMatrix.Ratio(wrong, (long)n * classCount),
            ExactMatchRatio = ConfusionMatrix.Ratio(exact, n),
            PerClass = perClass,
            MacroF1 = perClass.Average(m => m.F1),
        };
    }

    private static void Tally(bool t, bool p, ref long tp, ref long fp, ref long tn, ref long fn)
    {
        if (t && p) tp++;
        else if (!t && p) fp++;
        else if (!t) tn++;
        else fn++;
    }

    private static void CheckShape(int trueLength, int otherLength, int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (trueLength != otherLength)
            throw new ArgumentException($"{trueLength} true labels but {otherLength} predictions");
        if (trueLength % classCount != 0)
            throw new ArgumentException($"length {trueLength} is not a multiple of the class count {classCount}");
    }
}
