using System.Globalization;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// A config's CSV turned into samples: every row checked against the tasks (labels in their lists, numbers that
/// parse, images that exist) and encoded into <see cref="Sample.Targets"/> by the <see cref="TargetLayout"/>, then
/// split into train / validation / test. Any bad row stops everything before training, naming the CSV line: a
/// model must never train on a label that was silently mapped to something else.
/// </summary>
public sealed class TaskDataset
{
    private TaskDataset(ExperimentConfig config, TargetLayout layout, IReadOnlyList<Sample> samples, DatasetSplit split)
    {
        Config = config;
        Layout = layout;
        Samples = samples;
        Split = split;
    }

    /// <summary>The experiment.</summary>
    public ExperimentConfig Config { get; }

    /// <summary>Slot positions of the tasks' labels.</summary>
    public TargetLayout Layout { get; }

    /// <summary>Every usable row, in CSV order.</summary>
    public IReadOnlyList<Sample> Samples { get; }

    /// <summary>Train / validation / test.</summary>
    public DatasetSplit Split { get; }

    /// <summary>This dataset without <paramref name="drop"/> (compared by reference), each split otherwise as it was.</summary>
    public TaskDataset Without(IReadOnlySet<Sample> drop)
    {
        List<Sample> Keep(IReadOnlyList<Sample> list) => list.Where(s => !drop.Contains(s)).ToList();
        return new TaskDataset(Config, Layout, Keep(Samples), new DatasetSplit(Keep(Split.Train), Keep(Split.Validation), Keep(Split.Test)));
    }

    /// <summary>
    /// Reads and checks <see cref="DataConfig.Csv"/>. Throws <see cref="ConfigException"/> when the config names a
    /// column the CSV lacks, <see cref="DataValidationException"/> listing bad rows, and
    /// <see cref="CsvFormatException"/> for a malformed CSV.
    /// </summary>
    public static TaskDataset Load(ExperimentConfig config, bool checkImages = true)
    {
        var data = config.Data;
        var table = CsvTable.Load(data.Csv);
        RequireColumns(config, table);
        var layout = new TargetLayout(config.Tasks);
        var problems = new List<DataProblem>();
        var samples = new List<Sample>();
        var splitOf = new List<int>();
        int pathCol = table.ColumnIndex(data.PathColumn);
        int groupCol = data.GroupColumn is null ? -1 : table.ColumnIndex(data.GroupColumn);
        int splitCol = data.SplitColumn is null ? -1 : table.ColumnIndex(data.SplitColumn);
        var readers = config.Tasks.Select(t => TaskColumnReader.Create(t, table, layout)).ToArray();
        // data.limit keeps the first N rows, or with a split column the first N rows of each split value, so a
        // quick trial still has test rows.
        int limit = data.Limit ?? int.MaxValue;
        var taken = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        string csvName = data.Csv;
        for (int r = 0; r < table.RowCount; r++)
        {
            string limitKey = splitCol >= 0 ? table[r, splitCol].Trim() : "";
            int already = taken.GetValueOrDefault(limitKey);
            if (already >= limit) { if (splitCol < 0) break; continue; }
            taken[limitKey] = already + 1;
            int line = table.LineOf(r);
            int before = problems.Count;
            void Problem(string what) => problems.Add(new DataProblem(line, what));
            string rel = table[r, pathCol].Trim();
            string path = rel.Length == 0 ? "" : Path.GetFullPath(Path.Combine(data.Images, rel));
            if (rel.Length == 0) Problem($"column '{data.PathColumn}' is blank (data.path_column)");
            else if (checkImages && !File.Exists(path)) Problem($"column '{data.PathColumn}' points to {path}, which does not exist (data.images is {data.Images})");
            int split = -1;
            if (splitCol >= 0)
            {
                string s = table[r, splitCol].Trim().ToLowerInvariant();
                split = s switch { "train" => 0, "validation" or "val" or "valid" => 1, "test" => 2, _ => -2 };
                if (split == -2) Problem($"column '{data.SplitColumn}' is '{table[r, splitCol]}'; expected train, validation (or val) or test (data.split_column)");
            }
            var targets = new double[layout.Width];
            foreach (var reader in readers)
                reader.Read(table, r, targets, Problem);
            if (problems.Count > before) continue;
            string group = groupCol >= 0 && table[r, groupCol].Trim().Length > 0 ? table[r, groupCol].Trim() : path;
            samples.Add(new Sample(path, group, targets) { SourceLine = line });
            splitOf.Add(split);
        }
        if (problems.Count > 0) throw new DataValidationException(csvName, problems);
        if (samples.Count == 0) throw new DataValidationException(csvName, [new DataProblem(0, "no data rows")]);
        return new TaskDataset(config, layout, samples, SplitSamples(data, samples, splitOf));
    }

    private static void RequireColumns(ExperimentConfig config, CsvTable table)
    {
        string found = string.Join(", ", table.Header);
        void Need(string? column, string field, int line)
        {
            if (column is not null && !table.HasColumn(column))
                throw new ConfigException(config.SourceFile, line, $"{field}: column '{column}' is not in {config.Data.Csv}; its columns are: {found}");
        }
        Need(config.Data.PathColumn, "data.path_column", config.Data.Line);
        Need(config.Data.GroupColumn, "data.group_column", config.Data.Line);
        Need(config.Data.SplitColumn, "data.split_column", config.Data.Line);
        for (int i = 0; i < config.Tasks.Count; i++)
        {
            var t = config.Tasks[i];
            Need(t.Column, $"tasks[{i}] ({t.Name}).column", t.Line);
            foreach (var c in t.Columns) Need(c, $"tasks[{i}] ({t.Name}).columns", t.Line);
        }
    }

    private static DatasetSplit SplitSamples(DataConfig data, List<Sample> samples, List<int> splitOf)
    {
        var r = data.SplitRatios;
        if (data.SplitColumn is null)
            return DatasetSplitter.Split(samples, r[0], r[1], r[2], data.Seed);
        List<Sample> Where(int s) => samples.Where((_, i) => splitOf[i] == s).ToList();
        var train = Where(0);
        var validation = Where(1);
        var test = Where(2);
        if (validation.Count == 0 && train.Count > 0 && r[1] > 0)
        {
            // No row says "validation": hold out part of the train rows, in the train:validation proportion of the ratios.
            var inner = DatasetSplitter.Split(train, r[0] / (r[0] + r[1]), r[1] / (r[0] + r[1]), 0, data.Seed);
            train = inner.Train.ToList();
            validation = inner.Validation.ToList();
        }
        return new DatasetSplit(train, validation, test);
    }

    /// <summary>Labelled rows per task in <paramref name="samples"/> (a task's row counts when its first slot is not NaN).</summary>
    public Dictionary<string, int> LabelledCounts(IReadOnlyList<Sample> samples) =>
        Config.Tasks.ToDictionary(t => t.Name, t => samples.Count(s => s.HasTarget(Layout[t.Name].Offset)));
}

/// <summary>Reads one task's cell(s) of a CSV row into its target slots, reporting bad values.</summary>
internal abstract class TaskColumnReader
{
    protected TaskColumnReader(TaskConfig task, int offset)
    {
        Task = task;
        Offset = offset;
    }

    protected TaskConfig Task { get; }

    protected int Offset { get; }

    public static TaskColumnReader Create(TaskConfig task, CsvTable table, TargetLayout layout)
    {
        int offset = layout[task.Name].Offset;
        return task.Kind switch
        {
            TaskKind.Classification => new ClassReader(task, offset, table.ColumnIndex(task.Column!)),
            TaskKind.Regression => new ValueReader(task, offset, table.ColumnIndex(task.Column!)),
            _ when task.Columns.Count > 0 => new BinaryColumnsReader(task, offset, task.Columns.Select(table.ColumnIndex).ToArray()),
            _ => new TagReader(task, offset, table.ColumnIndex(task.Column!)),
        };
    }

    /// <summary>Fills this task's slots of <paramref name="targets"/> from row <paramref name="row"/> (NaN when blank).</summary>
    public abstract void Read(CsvTable table, int row, double[] targets, Action<string> problem);

    private sealed class ClassReader(TaskConfig task, int offset, int column) : TaskColumnReader(task, offset)
    {
        private readonly Dictionary<string, int> index = task.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);

        public override void Read(CsvTable table, int row, double[] targets, Action<string> problem)
        {
            string v = table[row, column].Trim();
            if (v.Length == 0) { targets[Offset] = double.NaN; return; }
            if (index.TryGetValue(v, out int c)) targets[Offset] = c;
            else problem($"task '{Task.Name}': column '{Task.Column}' is '{v}', which is not one of its labels [{string.Join(", ", Task.Labels)}]");
        }
    }

    private sealed class ValueReader(TaskConfig task, int offset, int column) : TaskColumnReader(task, offset)
    {
        public override void Read(CsvTable table, int row, double[] targets, Action<string> problem)
        {
            string v = table[row, column].Trim();
            if (v.Length == 0) { targets[Offset] = double.NaN; return; }
            if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)) targets[Offset] = x;
            else problem($"task '{Task.Name}': column '{Task.Column}' is '{v}', not a finite number (a regression target)");
        }
    }

    private sealed class BinaryColumnsReader(TaskConfig task, int offset, int[] columns) : TaskColumnReader(task, offset)
    {
        public override void Read(CsvTable table, int row, double[] targets, Action<string> problem)
        {
            var cells = columns.Select(c => table[row, c].Trim()).ToArray();
            if (cells.All(c => c.Length == 0)) { Array.Fill(targets, double.NaN, Offset, columns.Length); return; }
            for (int k = 0; k < columns.Length; k++)
            {
                targets[Offset + k] = cells[k] switch { "1" or "1.0" => 1, "0" or "0.0" => 0, _ => double.NaN };
                if (double.IsNaN(targets[Offset + k]))
                    problem($"task '{Task.Name}': column '{Task.Columns[k]}' is '{cells[k]}'; a multi-label column holds 0 or 1 (all blank = no label)");
            }
        }
    }

    private sealed class TagReader(TaskConfig task, int offset, int column) : TaskColumnReader(task, offset)
    {
        private readonly Dictionary<string, int> index = task.Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);

        public override void Read(CsvTable table, int row, double[] targets, Action<string> problem)
        {
            string v = table[row, column].Trim();
            int k = Task.Labels.Count;
            if (v.Length == 0) { Array.Fill(targets, double.NaN, Offset, k); return; }
            Array.Fill(targets, 0.0, Offset, k);
            if (v == Task.NoneValue) return;
            foreach (var raw in v.Split(Task.Separator))
            {
                string tag = raw.Trim();
                if (index.TryGetValue(tag, out int c)) targets[Offset + c] = 1;
                else problem($"task '{Task.Name}': column '{Task.Column}' has tag '{tag}', which is not one of its labels [{string.Join(", ", Task.Labels)}] (separator '{Task.Separator}', none = '{Task.NoneValue}')");
            }
        }
    }
}
