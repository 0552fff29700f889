using System.Globalization;
using System.Text;
using ScottPlot;
using ScratchNet.Nn.Metrics;

namespace ScratchNet.Nn.Experiments.Plots;

/// <summary>
/// A confusion-matrix heatmap: rows = true class (top to bottom in class order), columns = predicted class (left to
/// right), class names on both axes (long names wrapped onto several lines). Each non-zero cell shows its count and, below it,
/// the share of its row (the per-class recall on the diagonal). The colour is the row share, so rare classes (e.g.
/// Hazardous AQI) are as readable as common ones.
/// </summary>
public static class ConfusionMatrixPlot
{
    /// <summary>Writes the heatmap to <paramref name="path"/> (PNG, atomically).</summary>
    /// <param name="path">Output .png.</param>
    /// <param name="matrix">The counts and class names.</param>
    /// <param name="title">Plot title (accuracy and N are appended).</param>
    /// <param name="cellPixels">Approximate cell size; the image is about (K·cell + margins) square.</param>
    /// <returns>The (width, height) of the written image.</returns>
    public static (int Width, int Height) Save(string path, ConfusionMatrix matrix, string title = "Confusion matrix",
        int cellPixels = 120)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        ArgumentOutOfRangeException.ThrowIfLessThan(cellPixels, 40);
        PlotOutput.EnsureFont();
        var inv = CultureInfo.InvariantCulture;
        int k = matrix.ClassCount;
        var counts = matrix.Counts;
        var colormap = new ScottPlot.Colormaps.Blues();

        var plot = new Plot();
        PlotOutput.Style(plot);
        plot.Title($"{title}  (accuracy {matrix.Accuracy.ToString("F3", inv)}, N = {matrix.Total.ToString(inv)})");
        plot.XLabel("predicted");
        plot.YLabel("true");

        float fontSize = Math.Clamp(cellPixels / 6.5f, 10f, 22f);
        for (int t = 0; t < k; t++)
        {
            long rowSum = counts[t].Sum();
            double y = k - 1 - t;
            for (int p = 0; p < k; p++)
            {
                long c = counts[t][p];
                double share = rowSum == 0 ? 0 : (double)c / rowSum;
                var rect = plot.Add.Rectangle(p - 0.5, p + 0.5, y - 0.5, y + 0.5);
                rect.FillColor = colormap.GetColor(0.97 - 0.87 * share); // ScottPlot's Blues: 0 = dark, 1 = light
                rect.LineColor = Colors.White;
                rect.LineWidth = 1;

                string label = rowSum == 0 || c == 0
                    ? c.ToString(inv)
                    : c.ToString(inv) + "\n" + (100 * share).ToString("F1", inv) + "%";
                var text = plot.Add.Text(label, p, y);
                text.Alignment = Alignment.MiddleCenter;
                text.LabelFontSize = fontSize;
                text.LabelBold = p == t;
                text.LabelFontColor = share > 0.55 ? Colors.White : Colors.Black;
            }
        }

        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        int wrapAt = Math.Max(8, cellPixels / 7);
        for (int c = 0; c < k; c++)
        {
            xTicks.AddMajor(c, Wrap(matrix.Labels[c], wrapAt));
            yTicks.AddMajor(k - 1 - c, Wrap(matrix.Labels[c], 18));
        }
        plot.Axes.Bottom.TickGenerator = xTicks;
        plot.Axes.Left.TickGenerator = yTicks;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.MinorTickStyle.Length = 0;
        plot.Axes.Left.MinorTickStyle.Length = 0;
        plot.Grid.IsVisible = false;
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);

        int longestLine = matrix.Labels.SelectMany(l => Wrap(l, 18).Split('\n')).Max(s => s.Length);
        int leftMargin = 80 + longestLine * 8;
        int width = leftMargin + k * cellPixels + 40;
        int height = 140 + k * cellPixels + 40 * Wrap(matrix.Labels.OrderByDescending(l => l.Length).First(), wrapAt).Split('\n').Length;
        PlotOutput.SaveAtomically(path, tmp => plot.SavePng(tmp, width, height));
        return (width, height);
    }

    /// <summary>Greedy word wrap at spaces onto lines of at most <paramref name="max"/> characters (a longer word stays whole).</summary>
    internal static string Wrap(string text, int max)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return text;
        var sb = new StringBuilder();
        int lineLength = 0;
        foreach (string w in words)
        {
            if (lineLength > 0 && lineLength + 1 + w.Length > max) { sb.Append('\n'); lineLength = 0; }
            else if (lineLength > 0) { sb.Append(' '); lineLength++; }
            sb.Append(w);
            lineLength += w.Length;
        }
        return sb.ToString();
    }
}
