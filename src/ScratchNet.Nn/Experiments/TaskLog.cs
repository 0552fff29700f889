using System.Globalization;
using System.Text;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// <c>log.csv</c> of a config run: one row per epoch with <c>epoch, train_loss, train_TASK_loss…, val_loss,
/// val_TASK_METRIC…, lr, seconds, images_per_second</c>. The columns follow from the tasks, so the file reads like
/// Keras' CSVLogger output and <see cref="Plots.TrainingCurves"/> can draw it without knowing the experiment.
/// </summary>
public sealed class TaskLog
{
    private readonly List<double[]> rows = new();

    /// <summary>The columns for <paramref name="tasks"/>.</summary>
    public TaskLog(IReadOnlyList<TaskConfig> tasks)
    {
        var columns = new List<string> { "epoch", "train_loss" };
        columns.AddRange(tasks.Select(t => $"train_{t.Name}_loss"));
        columns.Add("val_loss");
        foreach (var t in tasks)
            columns.AddRange(MetricsOf(t.Kind, t.Bands is not null).Select(m => $"val_{t.Name}_{m}"));
        columns.AddRange(["lr", "seconds", "images_per_second"]);
        Columns = columns;
    }

    /// <summary>The validation figures logged for a kind of task: its loss, then the metrics a <c>monitor</c> may name.</summary>
    public static string[] MetricsOf(TaskKind kind, bool bands = false) => ["loss", .. Monitors.MetricsOf(kind, bands).Where(m => m != "loss")];

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows so far.</summary>
    public IReadOnlyList<double[]> Rows => rows;

    /// <summary>Appends an epoch: training losses, validation metrics, learning rate and timing.</summary>
    public void Add(int epoch, double trainLoss, IReadOnlyDictionary<string, double> trainTaskLoss, ExperimentMetrics val, double lr, double seconds, double imagesPerSecond)
    {
        var row = new List<double> { epoch, trainLoss };
        row.AddRange(val.Tasks.Select(t => trainTaskLoss[t.Task]));
        row.Add(val.Loss);
        foreach (var t in val.Tasks)
            row.AddRange(MetricsOf(Enum.Parse<TaskKind>(t.Kind, ignoreCase: true), t.BandConfusion is not null).Select(m => t.Value(m) ?? double.NaN));
        row.AddRange([lr, seconds, imagesPerSecond]);
        rows.Add(row.ToArray());
    }

    /// <summary>Value of <paramref name="column"/> in the last row.</summary>
    public double Last(string column) => rows[^1][Columns.ToList().IndexOf(column)];

    /// <summary>The log as CSV text (header, then one line per epoch).</summary>
    public string ToCsv()
    {
        var sb = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var r in rows)
            sb.Append(string.Join(',', r.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        return sb.ToString();
    }

    /// <summary>Writes the file atomically (a copy of the log the <c>last</c> checkpoint holds).</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToCsv()));

    /// <summary>Reads the rows of epochs ≤ <paramref name="upToEpoch"/> back from a file (for runs saved before checkpoints held their log).</summary>
    public void Load(string path, int upToEpoch)
    {
        rows.Clear();
        if (File.Exists(path)) LoadCsv(File.ReadAllText(path), upToEpoch, path);
    }

    /// <summary>Reads the rows of epochs ≤ <paramref name="upToEpoch"/> from CSV text; the header must match.</summary>
    public void LoadCsv(string text, int upToEpoch, string source)
    {
        rows.Clear();
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
        if (lines.Length == 0) return;
        if (lines[0] != string.Join(',', Columns))
            throw new FormatException($"{source}: the log's columns do not match this experiment's tasks; was the config changed?");
        foreach (var line in lines.Skip(1))
        {
            var row = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (row[0] <= upToEpoch) rows.Add(row);
        }
    }
}
