using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Serve;

/// <summary>
/// The models the page offers: the checkpoint of every run under <c>--runs</c> (best, else last) and each
/// <c>--model</c> given. Each is loaded once, on first use, and kept (reloaded when its checkpoint is rewritten); its predictions are serialised by a lock on
/// that model (one forward pass at a time per model: the model's buffers are not shared between threads, and on a
/// CPU one pass already uses every core, so a pool would only add memory).
/// </summary>
public sealed class ModelCatalog : IDisposable
{
    private readonly RunCatalog runs;
    private readonly Device device;
    private readonly IReadOnlyList<(string Id, string Path)> given;
    private readonly Dictionary<string, Entry> loaded = new(StringComparer.Ordinal);

    // A loaded model and the checkpoint's write time it was loaded from: a run that is still training rewrites its
    // best.safetensors (by rename, so a reader sees the old file or the new one), and the next request loads the new one.
    private sealed class Entry(TaskPredictor predictor, DateTime written)
    {
        public TaskPredictor Predictor { get; } = predictor;
        public DateTime Written { get; } = written;

        /// <summary>Replaced by a newer load and disposed (under the entry's lock): a request that finds it so loads again.</summary>
        public bool Retired { get; set; }
    }

    /// <summary>Models from <paramref name="runs"/> and the checkpoints in <paramref name="models"/> (files or run folders).</summary>
    public ModelCatalog(RunCatalog runs, IEnumerable<string> models, Device device)
    {
        this.runs = runs;
        this.device = device;
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<(string, string)>();
        foreach (var m in models)
        {
            string path = Path.GetFullPath(RunDirectoryModel(m));
            string id = Path.GetFileNameWithoutExtension(path) is "best" or "last" ? Path.GetFileName(Path.GetDirectoryName(path)!) : Path.GetFileNameWithoutExtension(path);
            string unique = id;
            for (int i = 2; !ids.Add(unique); i++) unique = $"{id}-{i}";
            list.Add((unique, path));
        }
        given = list;
    }

    private static string RunDirectoryModel(string m) => Nn.Experiments.RunDirectory.ModelIn(m);

    /// <summary>One model as <c>/api/models</c> lists it: its id, checkpoint and tasks (read from the checkpoint's header).</summary>
    public sealed record ModelInfo(string Id, string Checkpoint, IReadOnlyList<TaskInfo>? Tasks, string? Error);

    /// <summary>A task as the page draws it.</summary>
    /// <param name="Name">The task's name (the key in a prediction's <c>tasks</c>).</param>
    /// <param name="Kind">classification, regression or multilabel.</param>
    /// <param name="Labels">Its classes or labels (empty for a regression).</param>
    /// <param name="Bands">A regression's band names, lowest first, or null.</param>
    /// <param name="BandUpper">Each band's upper edge (the last is open), or null.</param>
    /// <param name="Thresholds">A multi-label task's per-label thresholds, or null.</param>
    /// <param name="When">"is_sky = sky" when the task only answers for some images, or null.</param>
    public sealed record TaskInfo(string Name, string Kind, IReadOnlyList<string> Labels, IReadOnlyList<string>? Bands, IReadOnlyList<double>? BandUpper,
        IReadOnlyList<double>? Thresholds, string? When);

    /// <summary>Every model: those given first, then the runs' newest first. Without --model and --runs, none.</summary>
    public IReadOnlyList<(string Id, string Path)> All() =>
        given.Concat(runs.List().Where(r => r.Model is not null && given.All(g => g.Id != r.Name)).Select(r => (r.Name, r.Model!))).ToList();

    /// <summary>The listing with each model's tasks (or why its checkpoint cannot be read).</summary>
    public IReadOnlyList<ModelInfo> Describe() => All().Select(m =>
    {
        try
        {
            var info = Nn.Checkpoints.Checkpoint.ReadInfo(m.Path);
            var config = ExperimentModel.ConfigOf(info, m.Path, BuiltinConfigs.LegacyModel);
            var thresholds = TaskPredictor.ThresholdsOf(config, info);
            return new ModelInfo(m.Id, m.Path, config.Tasks.Select(t => new TaskInfo(t.Name, ExperimentMetrics.KindName(t.Kind), t.OutputNames,
                t.Bands?.Names, t.Bands?.Upper, thresholds.GetValueOrDefault(t.Name),
                t.When?.LabelTask is { } other ? $"{other} = {string.Join(" or ", t.When.LabelIn)}" : null)).ToList(), null);
        }
        catch (Exception e) when (e is Nn.Checkpoints.CheckpointFormatException or IOException)
        {
            return new ModelInfo(m.Id, m.Path, null, e.Message);
        }
    }).ToList();

    /// <summary>
    /// Answers for one uploaded image with model <paramref name="id"/> (null = the first model). Returns null when
    /// there is no such model; a checkpoint that cannot be loaded throws <see cref="Nn.Checkpoints.CheckpointFormatException"/>.
    /// </summary>
    public ImagePrediction? Predict(string? id, byte[] encoded, string name)
    {
        var all = All();
        var match = id is null ? all.FirstOrDefault() : all.FirstOrDefault(m => m.Id == id);
        if (match.Id is null) return null;
        while (true)
        {
            var entry = Current(match.Id, match.Path);
            lock (entry)
                if (!entry.Retired) return entry.Predictor.Predict(encoded, name);
        }
    }

    // The loaded model for a checkpoint, loading it on first use and again when the file has been rewritten.
    private Entry Current(string id, string path)
    {
        lock (loaded)
        {
            DateTime written = File.GetLastWriteTimeUtc(path);
            if (loaded.TryGetValue(id, out var entry) && entry.Written == written) return entry;
            var fresh = new Entry(new TaskPredictor(path, device, BuiltinConfigs.LegacyModel), written);
            if (entry is not null)
                lock (entry)   // after the pass in flight on it, if any
                {
                    entry.Retired = true;
                    entry.Predictor.Dispose();
                }
            return loaded[id] = fresh;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (loaded)
        {
            foreach (var e in loaded.Values) e.Predictor.Dispose();
            loaded.Clear();
        }
    }
}
