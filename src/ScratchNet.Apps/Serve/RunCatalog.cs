using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScratchNet.Apps.Serve;

/// <summary>
/// The run folders under <c>--runs</c>, for the web pages: which exist, their headline metrics, their files. A name
/// from a URL is only ever looked up among the folders that exist (letters, digits, <c>. _ -</c>; never <c>..</c>),
/// and a folder or file that is a symlink pointing outside the runs folder is treated as absent — no path a client
/// sends is ever joined to the file system unchecked.
/// </summary>
public sealed partial class RunCatalog(string root)
{
    /// <summary>The runs folder (absolute).</summary>
    public string Root { get; } = Path.GetFullPath(root);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex SafeName();

    /// <summary>One run as <c>/api/runs</c> lists it.</summary>
    /// <param name="Name">The folder name.</param>
    /// <param name="Modified">When its newest file was written (UTC).</param>
    /// <param name="Model">Its checkpoint for predictions (best, else last), or null.</param>
    /// <param name="Headline">"is_sky accuracy 1.000 · aqi MAE 20.17" from its test metrics, or null before the run finished.</param>
    public sealed record RunSummary(string Name, DateTime Modified, string? Model, string? Headline);

    /// <summary>Every run folder, newest first.</summary>
    public IReadOnlyList<RunSummary> List()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.EnumerateDirectories(Root)
            .Select(d => Find(Path.GetFileName(d)))
            .OfType<string>()
            .Select(Summary)
            .OrderByDescending(r => r.Modified)
            .ToList();
    }

    /// <summary>The folder of run <paramref name="name"/>, or null when there is no such run (or the name is not a plain folder name).</summary>
    public string? Find(string name)
    {
        if (!SafeName().IsMatch(name) || name.Contains("..", StringComparison.Ordinal)) return null;
        string dir = Path.Combine(Root, name);
        return Directory.Exists(dir) && Inside(dir, Root) && File.Exists(Path.Combine(dir, "experiment.json")) ? dir : null;
    }

    /// <summary>File <paramref name="file"/> of run <paramref name="name"/> when it is one of the files the pages show (PNG plots), else null.</summary>
    public string? FindPlot(string name, string file)
    {
        if (Find(name) is not { } dir || !SafeName().IsMatch(file) || !file.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) return null;
        string path = Path.Combine(dir, file);
        return File.Exists(path) && Inside(path, dir) ? path : null;
    }

    /// <summary>
    /// Everything the run page shows: the resolved config, metrics.json as written, the log as columns and rows,
    /// the best epoch and the plots (the curves first). Null when there is no such run.
    /// </summary>
    public JsonObject? Details(string name)
    {
        if (Find(name) is not { } dir) return null;
        var o = new JsonObject
        {
            ["name"] = name,
            ["config"] = ReadJson(Path.Combine(dir, "experiment.json")),
            ["metrics"] = ReadJson(Path.Combine(dir, "metrics.json")),
            ["plots"] = new JsonArray(Directory.EnumerateFiles(dir, "*.png").Select(Path.GetFileName).Where(f => FindPlot(name, f!) is not null)
                .OrderBy(f => f != "curves.png").ThenBy(f => f, StringComparer.Ordinal).Select(f => (JsonNode)f!).ToArray()),
        };
        string log = Path.Combine(dir, "log.csv");
        if (File.Exists(log))
        {
            var lines = File.ReadAllLines(log).Where(l => l.Length > 0).ToList();
            if (lines.Count > 0)
            {
                o["log"] = new JsonObject
                {
                    ["columns"] = new JsonArray(lines[0].Split(',').Select(c => (JsonNode)c).ToArray()),
                    ["rows"] = new JsonArray(lines.Skip(1).Select(l => (JsonNode)new JsonArray(l.Split(',').Select(c => (JsonNode)c).ToArray())).ToArray()),
                };
            }
        }
        string best = Path.Combine(dir, "best.safetensors");
        if (File.Exists(best))
        {
            try { o["best_epoch"] = Nn.Checkpoints.Checkpoint.ReadInfo(best).Epoch; }
            catch (Nn.Checkpoints.CheckpointFormatException) { /* shown without it */ }
        }
        return o;
    }

    /// <summary>metrics.json of run <paramref name="name"/> as written, or null.</summary>
    public string? MetricsJson(string name) =>
        Find(name) is { } dir && File.Exists(Path.Combine(dir, "metrics.json")) ? File.ReadAllText(Path.Combine(dir, "metrics.json")) : null;

    private RunSummary Summary(string dir)
    {
        var files = Directory.EnumerateFiles(dir).Select(f => File.GetLastWriteTimeUtc(f)).DefaultIfEmpty(Directory.GetLastWriteTimeUtc(dir));
        string? model = new[] { "best.safetensors", "last.safetensors" }.Select(f => Path.Combine(dir, f)).FirstOrDefault(File.Exists);
        return new RunSummary(Path.GetFileName(dir), files.Max(), model, Headline(Path.Combine(dir, "metrics.json")));
    }

    // One figure per task from the test split: accuracy, MAE or macro F1.
    private static string? Headline(string metricsPath)
    {
        if (ReadJson(metricsPath)?["test"]?["tasks"] is not JsonArray tasks) return null;
        var parts = new List<string>();
        foreach (var t in tasks.OfType<JsonObject>())
        {
            string task = t["task"]?.GetValue<string>() ?? "?";
            string? part = t["kind"]?.GetValue<string>() switch
            {
                "classification" => Figure(t["accuracy"], v => FormattableString.Invariant($"{task} accuracy {v:F3}")),
                "regression" => Figure(t["regression"]?["mae"], v => FormattableString.Invariant($"{task} MAE {v:G4}")),
                _ => Figure(t["macro_f1"], v => FormattableString.Invariant($"{task} macro F1 {v:F3}")),
            };
            if (part is not null) parts.Add(part);
        }
        return parts.Count > 0 ? string.Join(" · ", parts) : null;
    }

    private static string? Figure(JsonNode? node, Func<double, string> text) =>
        node is JsonValue v && v.TryGetValue(out double d) && double.IsFinite(d) ? text(d) : null;

    private static JsonNode? ReadJson(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException) { return null; }
    }

    // True when path, with every symlink on the way resolved, lies inside folder.
    private static bool Inside(string path, string folder)
    {
        static string Real(string p)
        {
            var info = new FileInfo(p);
            var target = info.Exists ? info.ResolveLinkTarget(returnFinalTarget: true) : new DirectoryInfo(p).ResolveLinkTarget(returnFinalTarget: true);
            return Path.GetFullPath(target?.FullName ?? p);
        }
        string real = Real(path), root = Real(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return real.StartsWith(root, StringComparison.Ordinal);
    }
}
