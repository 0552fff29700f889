using System.Globalization;
using System.Text;

namespace ScratchNet.Nn.Metrics;

/// <summary>
/// Binary classification scores with a named positive class (for seed 000: positive = "sky").
/// </summary>
/// <remarks>
/// A sample is positive when its label equals the positive label, negative otherwise. With TP, FP, TN, FN the
/// four cells of the 2×2 confusion matrix and N = TP + FP + TN + FN:
/// <list type="bullet">
/// <item>accuracy = (TP + TN) / N</item>
/// <item>precision = TP / (TP + FP)</item>
/// <item>recall = TP / (TP + FN)</item>
/// <item>F1 = 2·TP / (2·TP + FP + FN) (= 2PR/(P+R) when defined)</item>
/// <item>MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN))</item>
/// </list>
/// Zero division gives 0, as scikit-learn with <c>zero_division=0</c>: no positive predicted → precision 0; no positive
/// present → recall 0; neither → F1 0; any zero factor under MCC's root → MCC 0; N = 0 → accuracy 0.
/// A record with init-only properties, so it round-trips through System.Text.Json.
/// </remarks>
public sealed record BinaryClassificationMetrics
{
    /// <summary>Name of the positive class ("sky").</summary>
    public string PositiveClass { get; init; } = "positive";

    /// <summary>Name of the negative class ("not sky").</summary>
    public string NegativeClass { get; init; } = "negative";

    /// <summary>N, the number of samples.</summary>
    public long Count { get; init; }

    /// <summary>TP: positive samples predicted positive.</summary>
    public long TruePositives { get; init; }

    /// <summary>FP: negative samples predicted positive.</summary>
    public long FalsePositives { get; init; }

    /// <summary>TN: negative samples predicted negative.</summary>
    public long TrueNegatives { get; init; }

    /// <summary>FN: positive samples predicted negative.</summary>
    public long FalseNegatives { get; init; }

    /// <summary>(TP + TN) / N.</summary>
    public double Accuracy { get; init; }

    /// <summary>TP / (TP + FP); 0 when nothing is predicted positive.</summary>
    public double Precision { get; init; }

    /// <summary>TP / (TP + FN); 0 when there is no positive sample.</summary>
    public double Recall { get; init; }

    /// <summary>2·TP / (2·TP + FP + FN); 0 when TP + FP + FN = 0.</summary>
    public double F1 { get; init; }

    /// <summary>Matthews correlation coefficient; 0 when its denominator is 0.</summary>
    public double MatthewsCorrelation { get; init; }

    /// <summary>Scores from the four confusion counts.</summary>
    public static BinaryClassificationMetrics FromCounts(long truePositives, long falsePositives, long trueNegatives,
        long falseNegatives, string positiveClass = "positive", string negativeClass = "negative")
    {
        if (truePositives < 0 || falsePositives < 0 || trueNegatives < 0 || falseNegatives < 0)
            throw new ArgumentException("confusion counts must be non-negative");
        long n = truePositives + falsePositives + trueNegatives + falseNegatives;
        return new BinaryClassificationMetrics
        {
            PositiveClass = positiveClass,
            NegativeClass = negativeClass,
            Count = n,
            TruePositives = truePositives,
            FalsePositives = falsePositives,
            TrueNegatives = trueNegatives,
            FalseNegatives = falseNegatives,
            Accuracy = ConfusionMatrix.Ratio(truePositives + trueNegatives, n),
            Precision = ConfusionMatrix.Ratio(truePositives, truePositives + falsePositives),
            Recall = ConfusionMatrix.Ratio(truePositives, truePositives + falseNegatives),
            F1 = ConfusionMatrix.Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives),
            MatthewsCorrelation = MultiLabelMetrics.MatthewsCorrelation(truePositives, falsePositives, trueNegatives, falseNegatives),
        };
    }

    /// <summary>Scores from paired true / predicted labels; a label equal to <paramref name="positiveLabel"/> is positive.</summary>
    public static BinaryClassificationMetrics Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, int positiveLabel = 1,
        string positiveClass = "positive", string negativeClass = "negative")
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"{yTrue.Length} true labels but {yPred.Length} predictions");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            bool t = yTrue[i] == positiveLabel, p = yPred[i] == positiveLabel;
            if (t && p) tp++;
            else if (!t && p) fp++;
            else if (!t) tn++;
            else fn++;
        }
        return FromCounts(tp, fp, tn, fn, positiveClass, negativeClass);
    }

    /// <summary>
    /// Scores from true labels and the predicted probability of the positive class: predicted positive when
    /// p ≥ <paramref name="threshold"/>.
    /// </summary>
    public static BinaryClassificationMetrics FromProbabilities(ReadOnlySpan<int> yTrue, ReadOnlySpan<double> positiveProbability,
        double threshold = 0.5, int positiveLabel = 1, string positiveClass = "positive", string negativeClass = "negative")
    {
        if (yTrue.Length != positiveProbability.Length)
            throw new ArgumentException($"{yTrue.Length} true labels but {positiveProbability.Length} probabilities");
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            bool t = yTrue[i] == positiveLabel, p = positiveProbability[i] >= threshold;
            if (t && p) tp++;
            else if (!t && p) fp++;
            else if (!t) tn++;
            else fn++;
        }
        return FromCounts(tp, fp, tn, fn, positiveClass, negativeClass);
    }

    /// <summary>The 2×2 matrix with class 0 = negative, class 1 = positive: [[TN, FP], [FN, TP]] (scikit-learn's layout for labels [0, 1]).</summary>
    public ConfusionMatrix ToConfusionMatrix() =>
        new([NegativeClass, PositiveClass], [[TrueNegatives, FalsePositives], [FalseNegatives, TruePositives]]);

    /// <summary>"accuracy 0.9841  precision …" then the 2×2 table.</summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("positive = ").Append(PositiveClass).Append(", N = ").Append(Count.ToString(inv)).AppendLine();
        sb.Append("accuracy  ").AppendLine(Accuracy.ToString("F4", inv));
        sb.Append("precision ").AppendLine(Precision.ToString("F4", inv));
        sb.Append("recall    ").AppendLine(Recall.ToString("F4", inv));
        sb.Append("F1        ").AppendLine(F1.ToString("F4", inv));
        sb.Append("MCC       ").AppendLine(MatthewsCorrelation.ToString("F4", inv));
        sb.Append(ToConfusionMatrix().ToText());
        return sb.ToString();
    }
}
