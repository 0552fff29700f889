using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace ScratchNet.Nn.Metrics;

/// <summary>
/// A K×K confusion matrix for single-label classification: <c>C[t, p]</c> counts the samples whose true class is
/// <c>t</c> and whose predicted class is <c>p</c> (rows = true, columns = predicted, as scikit-learn's
/// <c>confusion_matrix</c>).
/// </summary>
/// <remarks>
/// Per class c, with TP = C[c,c], FP = Σ_t C[t,c] − TP (column sum minus diagonal), FN = Σ_p C[c,p] − TP (row sum minus
/// diagonal):
/// <list type="bullet">
/// <item>precision(c) = TP / (TP + FP), recall(c) = TP / (TP + FN), F1(c) = 2·TP / (2·TP + FP + FN)
/// (equal to the harmonic mean 2PR/(P+R) whenever that is defined);</item>
/// <item>every ratio with a zero denominator is 0, as scikit-learn's <c>zero_division=0</c>;</item>
/// <item>accuracy = Σ_c C[c,c] / N (0 for an empty matrix);</item>
/// <item>macro F1 = (1/K) Σ_c F1(c) over all K classes, including classes with no true and no predicted sample
/// (their F1 is 0 by the rule above; scikit-learn's <c>f1_score(average="macro", labels=range(K))</c>).</item>
/// </list>
/// Serialises to JSON as <c>{"labels": [...], "counts": [[...], ...]}</c> plus the derived read-only scores.
/// </remarks>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;
    private readonly string[] _labels;

    /// <summary>An empty matrix over <paramref name="classCount"/> classes.</summary>
    /// <param name="classCount">K ≥ 1.</param>
    /// <param name="labels">Optional class names (K of them); defaults to "0", "1", ….</param>
    public ConfusionMatrix(int classCount, IReadOnlyList<string>? labels = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 1);
        if (labels is not null && labels.Count != classCount)
            throw new ArgumentException($"{labels.Count} labels for {classCount} classes", nameof(labels));
        _counts = new long[classCount, classCount];
        _labels = labels is null
            ? Enumerable.Range(0, classCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray()
            : labels.ToArray();
    }

    /// <summary>A matrix with the given counts (rows = true class, columns = predicted class); the JSON constructor.</summary>
    /// <param name="labels">K class names.</param>
    /// <param name="counts">K rows of K non-negative counts.</param>
    [JsonConstructor]
    public ConfusionMatrix(IReadOnlyList<string> labels, long[][] counts)
        : this(labels?.Count ?? throw new ArgumentNullException(nameof(labels)), labels)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = ClassCount;
        if (counts.Length != k) throw new ArgumentException($"{counts.Length} rows for {k} classes", nameof(counts));
        for (int t = 0; t < k; t++)
        {
            if (counts[t] is null || counts[t].Length != k)
                throw new ArgumentException($"row {t} must have {k} counts", nameof(counts));
            for (int p = 0; p < k; p++)
            {
                if (counts[t][p] < 0) throw new ArgumentException($"negative count at [{t}, {p}]", nameof(counts));
                _counts[t, p] = counts[t][p];
                Total += counts[t][p];
            }
        }
    }

    /// <summary>Builds a matrix from paired true / predicted class indices.</summary>
    public static ConfusionMatrix From(ReadOnlySpan<int> trueClasses, ReadOnlySpan<int> predictedClasses, int classCount,
        IReadOnlyList<string>? labels = null)
    {
        var cm = new ConfusionMatrix(classCount, labels);
        cm.AddRange(trueClasses, predictedClasses);
        return cm;
    }

    /// <summary>K, the number of classes.</summary>
    [JsonIgnore]
    public int ClassCount => _labels.Length;

    /// <summary>The class names, in class-index order.</summary>
    public IReadOnlyList<string> Labels => _labels;

    /// <summary>N, the number of samples added.</summary>
    [JsonIgnore]
    public long Total { get; private set; }

    /// <summary>A copy of the counts as K rows (true class) of K columns (predicted class).</summary>
    public long[][] Counts
    {
        get
        {
            int k = ClassCount;
            var rows = new long[k][];
            for (int t = 0; t < k; t++)
            {
                rows[t] = new long[k];
                for (int p = 0; p < k; p++) rows[t][p] = _counts[t, p];
            }
            return rows;
        }
    }

    /// <summary>C[t, p]: samples of true class <paramref name="trueClass"/> predicted as <paramref name="predictedClass"/>.</summary>
    public long this[int trueClass, int predictedClass]
    {
        get
        {
            CheckClass(trueClass, nameof(trueClass));
            CheckClass(predictedClass, nameof(predictedClass));
            return _counts[trueClass, predictedClass];
        }
    }

    /// <summary>Counts one sample.</summary>
    public void Add(int trueClass, int predictedClass)
    {
        CheckClass(trueClass, nameof(trueClass));
        CheckClass(predictedClass, nameof(predictedClass));
        _counts[trueClass, predictedClass]++;
        Total++;
    }

    /// <summary>Counts paired samples (the spans must have equal lengths).</summary>
    public void AddRange(ReadOnlySpan<int> trueClasses, ReadOnlySpan<int> predictedClasses)
    {
        if (trueClasses.Length != predictedClasses.Length)
            throw new ArgumentException($"{trueClasses.Length} true labels but {predictedClasses.Length} predictions");
        for (int i = 0; i < trueClasses.Length; i++) Add(trueClasses[i], predictedClasses[i]);
    }

    /// <summary>Row sum Σ_p C[c, p]: samples whose true class is c (scikit-learn's "support").</summary>
    public long Support(int c)
    {
        CheckClass(c, nameof(c));
        long s = 0;
        for (int p = 0; p < ClassCount; p++) s += _counts[c, p];
        return s;
    }

    /// <summary>Column sum Σ_t C[t, c]: samples predicted as class c.</summary>
    public long PredictedCount(int c)
    {
        CheckClass(c, nameof(c));
        long s = 0;
        for (int t = 0; t < ClassCount; t++) s += _counts[t, c];
        return s;
    }

    /// <summary>precision(c) = TP / (TP + FP) = C[c,c] / Σ_t C[t,c]; 0 when class c was never predicted.</summary>
    public double Precision(int c) => Ratio(Diagonal(c), PredictedCount(c));

    /// <summary>recall(c) = TP / (TP + FN) = C[c,c] / Σ_p C[c,p]; 0 when class c never occurs.</summary>
    public double Recall(int c) => Ratio(Diagonal(c), Support(c));

    /// <summary>F1(c) = 2·TP / (2·TP + FP + FN) = 2·C[c,c] / (row sum + column sum); 0 when both sums are 0.</summary>
    public double F1(int c) => Ratio(2 * Diagonal(c), Support(c) + PredictedCount(c));

    /// <summary>accuracy = Σ_c C[c,c] / N; 0 for an empty matrix.</summary>
    public double Accuracy
    {
        get
        {
            long diag = 0;
            for (int c = 0; c < ClassCount; c++) diag += _counts[c, c];
            return Ratio(diag, Total);
        }
    }

    /// <summary>macro precision = (1/K) Σ_c precision(c).</summary>
    public double MacroPrecision => Enumerable.Range(0, ClassCount).Average(Precision);

    /// <summary>macro recall = (1/K) Σ_c recall(c).</summary>
    public double MacroRecall => Enumerable.Range(0, ClassCount).Average(Recall);

    /// <summary>macro F1 = (1/K) Σ_c F1(c), over all K classes.</summary>
    public double MacroF1 => Enumerable.Range(0, ClassCount).Average(F1);

    /// <summary>
    /// A plain-text rendering: the count table (rows = true, columns = predicted, with row and column totals; long
    /// labels are shown by index in the columns and named in a legend), then precision / recall / F1 / support per class,
    /// then accuracy and macro F1.
    /// </summary>
    public string ToText()
    {
        var inv = CultureInfo.InvariantCulture;
        int k = ClassCount;
        var sb = new StringBuilder();
        int nameWidth = Math.Max("true \\ pred".Length, _labels.Max(l => l.Length) + 5);
        int cellWidth = Math.Max(6, Math.Max(Total.ToString(inv).Length, k.ToString(inv).Length + 1) + 1);

        sb.Append("true \\ pred".PadRight(nameWidth));
        for (int p = 0; p < k; p++) sb.Append(("[" + p.ToString(inv) + "]").PadLeft(cellWidth));
        sb.Append("total".PadLeft(cellWidth)).AppendLine();
        for (int t = 0; t < k; t++)
        {
            sb.Append(("[" + t.ToString(inv) + "] " + _labels[t]).PadRight(nameWidth));
            for (int p = 0; p < k; p++) sb.Append(_counts[t, p].ToString(inv).PadLeft(cellWidth));
            sb.Append(Support(t).ToString(inv).PadLeft(cellWidth)).AppendLine();
        }
        sb.Append("total".PadRight(nameWidth));
        for (int p = 0; p < k; p++) sb.Append(PredictedCount(p).ToString(inv).PadLeft(cellWidth));
        sb.Append(Total.ToString(inv).PadLeft(cellWidth)).AppendLine().AppendLine();

        sb.Append("class".PadRight(nameWidth)).Append("precision".PadLeft(11)).Append("recall".PadLeft(11))
          .Append("f1".PadLeft(11)).Append("support".PadLeft(10)).AppendLine();
        for (int c = 0; c < k; c++)
        {
            sb.Append(("[" + c.ToString(inv) + "] " + _labels[c]).PadRight(nameWidth))
              .Append(Precision(c).ToString("F4", inv).PadLeft(11))
              .Append(Recall(c).ToString("F4", inv).PadLeft(11))
              .Append(F1(c).ToString("F4", inv).PadLeft(11))
              .Append(Support(c).ToString(inv).PadLeft(10)).AppendLine();
        }
        sb.AppendLine();
        sb.Append("accuracy ").Append(Accuracy.ToString("F4", inv))
          .Append("   macro F1 ").Append(MacroF1.ToString("F4", inv))
          .Append("   N ").Append(Total.ToString(inv)).AppendLine();
        return sb.ToString();
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();

    internal static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? 0.0 : (double)numerator / denominator;

    private long Diagonal(int c)
    {
        CheckClass(c, nameof(c));
        return _counts[c, c];
    }

    private void CheckClass(int c, string name)
    {
        if ((uint)c >= (uint)ClassCount)
            throw new ArgumentOutOfRangeException(name, c, $"class index must be in [0, {ClassCount})");
    }
}
