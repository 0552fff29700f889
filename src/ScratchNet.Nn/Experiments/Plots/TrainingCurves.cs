using ScottPlot;

namespace ScratchNet.Nn.Experiments.Plots;

/// <summary>
/// Training curves as one PNG with up to three stacked panels sharing the epoch axis:
/// <list type="number">
/// <item><b>Loss</b>: every series whose name contains "loss" (train_loss, val_loss, …);</item>
/// <item><b>Scores</b> (higher is better, y from 0 to 1): accuracy, precision, recall, F1, MCC, R², exact match — by name
/// token, or any other series whose values all lie in [0, 1];</item>
/// <item><b>Errors</b> (lower is better): MAE, MSE, RMSE, Hamming loss and anything else.</item>
/// </list>
/// Series named like a learning rate or a time (lr, learning_rate, *time*, *seconds*, throughput *per_second*) are left out. Series sharing a
/// base name (train_x / val_x) share a colour; train is solid, validation dashed. Empty panels are not drawn.
/// </summary>
public static class TrainingCurves
{
    private enum Panel { Loss, Scores, Errors, Skip }

    private static readonly string[] ScoreTokens = ["acc", "precision", "recall", "f1", "mcc", "r2", "exact", "auc"];
    private static readonly string[] ErrorTokens = ["mae", "mse", "rmse", "hamming", "error"];
    private static readonly string[] SplitPrefixes = ["train_", "training_", "val_", "valid_", "validation_", "test_"];

    /// <summary>Writes the curves to <paramref name="path"/> (PNG, atomically).</summary>
    /// <param name="path">Output .png.</param>
    /// <param name="rows">One row per epoch, in any order.</param>
    /// <param name="title">Title over the first panel.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="panelHeight">Height of each panel in pixels (the image is panels × this).</param>
    /// <returns>The number of panels drawn (0 if no series had a finite value — then a single empty panel is written).</returns>
    public static int Save(string path, IReadOnlyList<EpochValues> rows, string title = "Training curves",
        int width = 1000, int panelHeight = 340)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(panelHeight, 150);
        PlotOutput.EnsureFont();

        var ordered = rows.OrderBy(r => r.Epoch).ToArray();
        var names = new List<string>();
        foreach (var r in ordered)
            foreach (var k in r.Values.Keys)
                if (!names.Contains(k)) names.Add(k);

        var series = new Dictionary<Panel, List<(string Name, double[] X, double[] Y)>>();
        foreach (string name in names)
        {
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var r in ordered)
            {
                if (r.Values.TryGetValue(name, out double v) && double.IsFinite(v)) { xs.Add(r.Epoch); ys.Add(v); }
            }
            if (xs.Count == 0) continue;
            var panel = Classify(name, ys);
            if (panel == Panel.Skip) continue;
            if (!series.TryGetValue(panel, out var list)) series[panel] = list = [];
            list.Add((name, xs.ToArray(), ys.ToArray()));
        }

        var panels = new[] { Panel.Loss, Panel.Scores, Panel.Errors }.Where(series.ContainsKey).ToArray();
        var plots = new List<Plot>();
        var palette = new ScottPlot.Palettes.Category10();
        var colorOf = new Dictionary<string, int>(StringComparer.Ordinal);
        double minEpoch = ordered.Length == 0 ? 0 : ordered[0].Epoch;
        double maxEpoch = ordered.Length == 0 ? 1 : ordered[^1].Epoch;
        if (maxEpoch <= minEpoch) maxEpoch = minEpoch + 1;

        if (panels.Length == 0)
        {
            var empty = new Plot();
            PlotOutput.Style(empty);
            empty.Title(title + " (no data)");
            empty.XLabel("epoch");
            plots.Add(empty);
        }

        for (int i = 0; i < panels.Length; i++)
        {
            var plot = new Plot();
            PlotOutput.Style(plot);
            var panel = panels[i];
            string panelName = panel switch { Panel.Loss => "loss", Panel.Scores => "scores", _ => "errors" };
            plot.Title(i == 0 ? $"{title}: {panelName}" : panelName);
            plot.XLabel("epoch");
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
            plot.YLabel(panel switch { Panel.Loss => "loss", Panel.Scores => "score (higher is better)", _ => "error (lower is better)" });
            foreach (var (name, xs, ys) in series[panel])
            {
                string baseName = BaseName(name);
                if (!colorOf.TryGetValue(baseName, out int ci)) colorOf[baseName] = ci = colorOf.Count;
                var sc = plot.Add.Scatter(xs, ys, palette.GetColor(ci));
                sc.LegendText = name;
                sc.LineWidth = 2;
                sc.MarkerSize = xs.Length <= 40 ? 5 : 0;
                if (IsValidation(name)) sc.LinePattern = LinePattern.Dashed;
            }
            plot.ShowLegend(Alignment.UpperRight);
            plot.Legend.FontSize = 12;
            double pad = Math.Max(0.5, (maxEpoch - minEpoch) * 0.02);
            plot.Axes.SetLimitsX(minEpoch - pad, maxEpoch + pad);
            if (panel == Panel.Scores)
            {
                plot.Axes.SetLimitsY(0, 1.02);
                plot.Legend.Alignment = Alignment.LowerRight;
            }
            plots.Add(plot);
        }

        // new Multiplot() starts with one blank plot of its own: start from ours instead
        var multiplot = new Multiplot(plots[0]) { Layout = new ScottPlot.MultiplotLayouts.Rows() };
        for (int i = 1; i < plots.Count; i++) multiplot.AddPlot(plots[i]);

        int count = Math.Max(1, panels.Length);
        PlotOutput.SaveAtomically(path, tmp => multiplot.SavePng(tmp, width, panelHeight * count));
        return panels.Length;
    }

    private static Panel Classify(string name, List<double> values)
    {
        string n = name.ToLowerInvariant();
        if (n is "lr" or "learning_rate" || n.EndsWith("_lr", StringComparison.Ordinal) || n.Contains("time") || n.Contains("seconds") || n.Contains("per_second"))
            return Panel.Skip;
        if (n.Contains("hamming")) return Panel.Errors; // "hamming_loss" is a metric, not an objective
        if (n.Contains("loss")) return Panel.Loss;
        string b = BaseName(n);
        if (ErrorTokens.Any(t => Tokens(b).Contains(t))) return Panel.Errors;
        if (ScoreTokens.Any(t => Tokens(b).Any(x => x.StartsWith(t, StringComparison.Ordinal)))) return Panel.Scores;
        return values.All(v => v is >= 0 and <= 1) ? Panel.Scores : Panel.Errors;
    }

    private static string[] Tokens(string s) => s.Split(['_', '-', ' ', '/', '.'], StringSplitOptions.RemoveEmptyEntries);

    private static string BaseName(string name)
    {
        string n = name.ToLowerInvariant();
        foreach (string p in SplitPrefixes)
            if (n.StartsWith(p, StringComparison.Ordinal)) return n[p.Length..];
        return n;
    }

    private static bool IsValidation(string name)
    {
        string n = name.ToLowerInvariant();
        return n.StartsWith("val", StringComparison.Ordinal) || n.StartsWith("test_", StringComparison.Ordinal);
    }
}
