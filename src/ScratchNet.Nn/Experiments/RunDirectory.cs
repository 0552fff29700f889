using System.Globalization;
using ScratchNet.Nn;
using System.Text.Json;

namespace ScratchNet.Nn.Experiments;

/// <summary>How a training process opens its run directory.</summary>
public enum RunStart
{
    /// <summary>A new run: the folder must not hold one already.</summary>
    New,
    /// <summary>A new run over an existing one (<c>--overwrite</c>): the old run's files are deleted first.</summary>
    Overwrite,
    /// <summary>Continue the run in the folder (<c>--resume</c>).</summary>
    Resume,
}

/// <summary>
/// A training run's folder: <c>experiment.json</c> or <c>config.json</c> (the resolved settings), <c>log.csv</c>
/// (one row per epoch), <c>best.safetensors</c> / <c>last.safetensors</c>, <c>metrics.json</c>,
/// <c>skipped.csv</c> and the plots.
/// </summary>
/// <remarks>
/// Crash consistency: every file is written atomically (<see cref="AtomicFile"/>); <c>last.safetensors</c> holds the
/// weights, the optimizer state and the log in one file, so <c>log.csv</c> is a copy that a resume rebuilds.
/// A training process <see cref="Open"/>s the folder, which takes <c>train.lock</c> (an OS file lock, released
/// when the process ends however it ends, so a killed run leaves no stale lock) and deletes temp files a killed
/// writer left. A second process on the same folder is refused while the first runs.
/// </remarks>
public sealed class RunDirectory : IDisposable
{
    /// <summary>The lock file a training process holds.</summary>
    public const string LockFile = "train.lock";

    /// <summary>Beside the lock: who holds it (pid and start time), for the refusal message.</summary>
    public const string OwnerFile = "train.owner";

    /// <summary>Files that mark a folder as a run, or that a run writes and a new run must not inherit.</summary>
    private static readonly string[] RunFiles =
    [
        "experiment.json", "config.json", "config.yml", "log.csv", "best.safetensors", "last.safetensors", "metrics.json", "skipped.csv", "split.csv",
        "best.json", "last.json", "best.optimizer.safetensors", "last.optimizer.safetensors", // the earlier three-file checkpoints
    ];

    private FileStream? lockStream;

    /// <summary>Uses (creating if needed) <paramref name="path"/>, without taking the lock (readers, tests).</summary>
    public RunDirectory(string path)
    {
        Root = Path.GetFullPath(path);
        if (System.IO.File.Exists(Root)) throw new IOException($"the run directory {Root} is a file, not a folder");
        try
        {
            Directory.CreateDirectory(Root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot create the run directory {Root}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens <paramref name="path"/> for a training process: takes the lock (refusing while another process holds
    /// it), then checks <paramref name="start"/> against what the folder holds and deletes leftover temp files.
    /// Problems are <see cref="RunDirectoryException"/>s with the message to show.
    /// </summary>
    public static RunDirectory Open(string path, RunStart start)
    {
        var run = new RunDirectory(path);
        try
        {
            run.TakeLock();
            bool exists = run.HoldsRun;
            if (start == RunStart.New && exists)
                throw new RunDirectoryException($"{run.Root} already holds a run ({string.Join(", ", run.ExistingRunFiles())}); " +
                    "continue it with --resume, choose another --out, or pass --overwrite to replace it");
            if (start == RunStart.Resume && !System.IO.File.Exists(run.LastCheckpoint))
                throw new RunDirectoryException($"{run.Root} has no last.safetensors to resume from" + (exists ? "" : " (it is not a run directory)"));
            if (start == RunStart.Overwrite)
                foreach (var f in run.ExistingRunFiles()) System.IO.File.Delete(run.File(f));
            AtomicFile.DeleteTemporaryFiles(run.Root);
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>Absolute path.</summary>
    public string Root { get; }

    /// <summary>True when the folder holds a run's settings, checkpoints or log.</summary>
    public bool HoldsRun => ExistingRunFiles().Any();

    /// <summary>A file inside the run directory.</summary>
    public string File(string name) => Path.Combine(Root, name);

    /// <summary>
    /// What <c>--model PATH</c> means: a checkpoint file as is, or a run folder's <c>best.safetensors</c> (its
    /// <c>last.safetensors</c> when no epoch was ranked best). A folder with neither is a clear error.
    /// </summary>
    public static string ModelIn(string path)
    {
        if (!Directory.Exists(path)) return path;
        foreach (var name in new[] { "best.safetensors", "last.safetensors" })
        {
            string candidate = Path.Combine(path, name);
            if (System.IO.File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"{path} is a folder without best.safetensors or last.safetensors: pass a run folder of scratchnet train or a checkpoint file", path);
    }

    /// <summary>Best checkpoint (by the monitored validation figure).</summary>
    public string BestCheckpoint => File("best.safetensors");

    /// <summary>Last checkpoint: weights, optimizer state and log, for <c>--resume</c>.</summary>
    public string LastCheckpoint => File("last.safetensors");

    /// <summary>Releases the lock (if this process holds it).</summary>
    public void Dispose()
    {
        if (lockStream is null) return;
        try { System.IO.File.Delete(File(OwnerFile)); }
        catch (IOException) { /* best effort: the lock itself is what counts */ }
        lockStream.Dispose();
        lockStream = null;
    }

    private IEnumerable<string> ExistingRunFiles() => RunFiles.Where(f => System.IO.File.Exists(File(f)));

    private void TakeLock()
    {
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix and a sharing lock on Windows: the OS drops it when the
            // process dies, even by SIGKILL.
            lockStream = new FileStream(File(LockFile), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            string owner = System.IO.File.Exists(File(OwnerFile)) ? " (" + System.IO.File.ReadAllText(File(OwnerFile)).Trim() + ")" : "";
            throw new RunDirectoryException($"another scratchnet process is training in {Root}{owner}; wait for it to finish or stop it (Ctrl-C saves and stops it)");
        }
        var inv = CultureInfo.InvariantCulture;
        AtomicFile.WriteAllBytes(File(OwnerFile), System.Text.Encoding.UTF8.GetBytes(
            string.Create(inv, $"pid {Environment.ProcessId}, started {DateTime.Now:yyyy-MM-dd HH:mm:ss}\n")));
    }
}

/// <summary>A run directory cannot be used as asked (locked, already a run, nothing to resume); the message says why.</summary>
public sealed class RunDirectoryException(string message) : Exception(message);
