using System.Globalization;
using System.Text;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// Predictions as a CSV a spreadsheet or pandas reads: one row per image, columns fixed by the experiment's tasks.
/// <list type="bullet">
/// <item><c>image</c>, <c>error</c> (why the image could not be used; blank when it could);</item>
/// <item>classification <c>T</c>: <c>T</c> (the label), <c>T_p</c> (its probability), <c>T_p_LABEL</c> per label;</item>
/// <item>regression <c>T</c>: <c>T</c> (the value), and <c>T_band</c> when the task has bands;</item>
/// <item>multi-label <c>T</c>: <c>T</c> (the tags over threshold, joined by <c>|</c>), <c>T_p_LABEL</c> per label;</item>
/// <item>a task withheld by its <c>when</c> rule has blank cells and the reason in <c>T_note</c> (every task has one).</item>
/// </list>
/// </summary>
public static class PredictionCsv
{
    /// <summary>The header row's column names, in order.</summary>
    public static IReadOnlyList<string> Columns(ExperimentConfig config)
    {
        var columns = new List<string> { "image", "error" };
        foreach (var t in config.Tasks)
        {
            columns.Add(t.Name);
            switch (t.Kind)
            {
                case TaskKind.Classification:
                    columns.Add(t.Name + "_p");
                    columns.AddRange(t.Labels.Select(l => $"{t.Name}_p_{l}"));
                    break;
                case TaskKind.Regression:
                    if (t.Bands is not null) columns.Add(t.Name + "_band");
                    break;
                default:
                    columns.AddRange(t.OutputNames.Select(l => $"{t.Name}_p_{l}"));
                    break;
            }
            columns.Add(t.Name + "_note");
        }
        return columns;
    }

    /// <summary>Writes <paramref name="predictions"/> to <paramref name="path"/> (UTF-8, RFC 4180 quoting), atomically.</summary>
    public static void Write(string path, ExperimentConfig config, IEnumerable<ImagePrediction> predictions)
    {
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns(config).Select(CsvField.Quote))).Append('\n');
        foreach (var p in predictions) sb.Append(string.Join(',', Row(config, p).Select(CsvField.Quote))).Append('\n');
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }

    // One row's cells, in Columns' order.
    private static List<string> Row(ExperimentConfig config, ImagePrediction p)
    {
        static string Num(double? v) => v is double d ? d.ToString("G6", CultureInfo.InvariantCulture) : "";
        var cells = new List<string> { p.Image, p.Error ?? "" };
        foreach (var t in config.Tasks)
        {
            var a = p.Tasks?.GetValueOrDefault(t.Name);
            bool shown = a is not null && a.NotApplicable is null;
            cells.Add(!shown ? "" : t.Kind switch
            {
                TaskKind.Classification => a!.Label!,
                TaskKind.Regression => Num(a!.Value),
                _ => string.Join('|', a!.Tags!),
            });
            switch (t.Kind)
            {
                case TaskKind.Classification:
                    cells.Add(shown ? Num(a!.Probability) : "");
                    cells.AddRange(t.Labels.Select(l => shown ? Num(a!.Probabilities![l]) : ""));
                    break;
                case TaskKind.Regression:
                    if (t.Bands is not null) cells.Add(shown ? a!.Band ?? "" : "");
                    break;
                default:
                    cells.AddRange(t.OutputNames.Select(l => shown ? Num(a!.Probabilities![l]) : ""));
                    break;
            }
            cells.Add(a?.NotApplicable is string why ? $"not applicable: {why}" : "");
        }
        return cells;
    }
}
