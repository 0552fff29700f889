using ScratchNet.Nn;
using System.Text.Json;

namespace ScratchNet.Apps.Training;

/// <summary>
/// A training run's folder: <c>config.json</c> (the resolved settings), <c>log.csv</c> (one row per epoch),
/// <c>best.safetensors</c> / <c>last.safetensors</c> (+ sidecars), <c>metrics.json</c>, <c>skipped.csv</c> and the
/// plots. Everything is written so that a crash mid-run loses at most the current epoch.
/// </summary>
public sealed class RunDirectory
{
    /// <summary>Uses (creating if needed) <paramref name="path"/>.</summary>
    public RunDirectory(string path)
    {
        Root = Path.GetFullPath(path);
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the run directory {Root}: {e.Message}", e);
        }
    }

    /// <summary>Absolute path.</summary>
    public string Root { get; }

    /// <summary>A file inside the run directory.</summary>
    public string File(string name) => Path.Combine(Root, name);

    /// <summary>Best checkpoint (by validation sky-MAE).</summary>
    public string BestCheckpoint => File("best.safetensors");

    /// <summary>Last checkpoint, with optimizer state, for <c>--resume</c>.</summary>
    public string LastCheckpoint => File("last.safetensors");

    /// <summary>Writes <paramref name="value"/> as indented JSON, atomically.</summary>
    public void WriteJson(string name, object value) =>
        AtomicFile.WriteAllBytes(File(name), JsonSerializer.SerializeToUtf8Bytes(value, new JsonSerializerOptions { WriteIndented = true }));

    /// <summary>Rewrites log.csv with these rows (atomic: the log always matches a saved <c>last</c>).</summary>
    public void WriteLog(IEnumerable<EpochRecord> rows) =>
        AtomicFile.WriteAllBytes(File("log.csv"), System.Text.Encoding.UTF8.GetBytes(EpochRecord.Header + "\n" + string.Concat(rows.Select(r => r.ToCsv() + "\n"))));

    /// <summary>Reads log.csv (empty if absent).</summary>
    public List<EpochRecord> ReadLog()
    {
        var path = File("log.csv");
        if (!System.IO.File.Exists(path)) return new();
        return System.IO.File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0).Select(EpochRecord.Parse).ToList();
    }
}
