using System.Globalization;
using ScottPlot;
using ScratchNet.Nn.Metrics;

namespace ScratchNet.Nn.Experiments.Plots;

/// <summary>
/// Predicted-versus-true scatter (e.g. AQI over the true-sky test images) with the y = x line: points above the line
/// are over-predictions. Both axes share one range, so the line is the diagonal of a square plot; the legend carries
/// N, MAE, RMSE and R² (<see cref="RegressionMetrics"/>).
/// </summary>
public static class ScatterPlot
{
    /// <summary>Writes the scatter to <paramref name="path"/> (PNG, atomically).</summary>
    /// <param name="path">Output .png.</param>
    /// <param name="trueValues">Targets (x); pairs with a non-finite value are left out.</param>
    /// <param name="predicted">Predictions (y), same length.</param>
    /// <param name="title">Plot title.</param>
    /// <param name="xLabel">x-axis label.</param>
    /// <param name="yLabel">y-axis label.</param>
    /// <param name="size">Width and height in pixels.</param>
    public static void Save(string path, IReadOnlyList<double> trueValues, IReadOnlyList<double> predicted,
        string title = "Predicted vs true", string xLabel = "true", string yLabel = "predicted", int size = 800)
    {
        ArgumentNullException.ThrowIfNull(trueValues);
        ArgumentNullException.ThrowIfNull(predicted);
        if (trueValues.Count != predicted.Count)
            throw new ArgumentException($"{trueValues.Count} true values but {predicted.Count} predictions");
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 200);
        PlotOutput.EnsureFont();

        var xs = new List<double>();
        var ys = new List<double>();
        for (int i = 0; i < trueValues.Count; i++)
        {
            if (double.IsFinite(trueValues[i]) && double.IsFinite(predicted[i])) { xs.Add(trueValues[i]); ys.Add(predicted[i]); }
        }

        var plot = new Plot();
        PlotOutput.Style(plot);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);

        double lo = 0, hi = 1;
        if (xs.Count > 0)
        {
            lo = Math.Min(xs.Min(), ys.Min());
            hi = Math.Max(xs.Max(), ys.Max());
            if (hi <= lo) { lo -= 1; hi += 1; }
        }
        double pad = (hi - lo) * 0.04;
        lo -= pad;
        hi += pad;

        var line = plot.Add.Line(lo, lo, hi, hi);
        line.LineColor = Colors.Black.WithAlpha(0.7);
        line.LineWidth = 1.5f;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = "y = x";

        if (xs.Count > 0)
        {
            var inv = CultureInfo.InvariantCulture;
            var m = RegressionMetrics.Compute(xs.ToArray(), ys.ToArray());
            var pts = plot.Add.Scatter(xs.ToArray(), ys.ToArray(), new Color(31, 119, 180).WithAlpha(xs.Count > 500 ? 0.35 : 0.7));
            pts.LineWidth = 0;
            pts.MarkerSize = xs.Count > 2000 ? 4 : 6;
            pts.MarkerShape = MarkerShape.FilledCircle;
            pts.LegendText = $"N = {m.Count.ToString(inv)}, MAE {m.Mae.ToString("F2", inv)}, RMSE {m.Rmse.ToString("F2", inv)}, R² {m.R2.ToString("F3", inv)}";
        }

        plot.Axes.SetLimits(lo, hi, lo, hi);
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Legend.FontSize = 13;
        PlotOutput.SaveAtomically(path, tmp => plot.SavePng(tmp, size, size));
    }
}
