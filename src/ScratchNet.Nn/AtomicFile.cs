using System.Diagnostics;

namespace ScratchNet.Nn;

/// <summary>
/// Writes a file so that readers see either the old contents or the complete new ones, never a half-written
/// file: write a temp file in the same folder, flush it to disk, rename it over the target (atomic on one file
/// system). Every file a run writes goes through here: checkpoints, logs, metrics and plots.
/// </summary>
/// <remarks>
/// A kill between the temp file and the rename leaves a temp file behind; <see cref="DeleteTemporaryFiles"/>
/// (called when a run directory is opened) removes them. Temp names are <c>.NAME.RANDOM.tmp.EXT</c>: hidden, in the
/// target's folder, and keeping the extension for writers that choose the format by it (image encoders).
/// <para>
/// Crash testing: the environment variable <see cref="KillAfterEnvironmentVariable"/>=N makes the process kill
/// itself (SIGKILL, no clean-up) at the N-th file step counted from start-up, and
/// <see cref="FailAtEnvironmentVariable"/>=N makes that step throw "no space left on device" instead. The steps
/// are, per file: temp created, temp written and flushed, renamed into place. The crash tests of the run
/// directory use them to stop a real training process between every pair of file operations.
/// </para>
/// </remarks>
public static class AtomicFile
{
    /// <summary>Environment variable: kill the process at this file step (crash tests).</summary>
    public const string KillAfterEnvironmentVariable = "SCRATCHNET_TEST_KILL_AT_FILE_STEP";

    /// <summary>Environment variable: fail this file step with a disk-full error (crash tests).</summary>
    public const string FailAtEnvironmentVariable = "SCRATCHNET_TEST_FAIL_AT_FILE_STEP";

    private const string TempMarker = ".tmp";
    private static readonly long KillAt = ReadStep(KillAfterEnvironmentVariable);
    private static readonly long FailAt = ReadStep(FailAtEnvironmentVariable);
    private static long steps;

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        WriteStream(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// Lets <paramref name="write"/> fill a temp file's stream, flushes it to disk and moves it over
    /// <paramref name="path"/>. On any exception the temp file is removed and the target is untouched.
    /// </summary>
    public static void WriteStream(string path, Action<Stream> write) => Write(path, temp =>
    {
        using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        Step();
        write(fs);
        fs.Flush(flushToDisk: true);
    });

    /// <summary>
    /// Lets <paramref name="writeTemp"/> write a temp file (the path it is given), then moves it over
    /// <paramref name="path"/>. On any exception the temp file is removed and the target is untouched.
    /// </summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string temp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(full) + "." + Guid.NewGuid().ToString("N")[..12] + TempMarker + Path.GetExtension(full));
        try
        {
            writeTemp(temp);
            if (!File.Exists(temp)) throw new IOException($"writing {full}: nothing was written");
            Step();
            File.Move(temp, full, overwrite: true);
            Step();
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>True for a name <see cref="Write(string, Action{string})"/> gives its temp files.</summary>
    public static bool IsTemporaryFile(string name) =>
        name.StartsWith('.') && System.Text.RegularExpressions.Regex.IsMatch(name, @"\.[0-9a-f]{12}\.tmp(\.[^.]*)?$");

    /// <summary>Deletes the temp files a killed writer left in <paramref name="directory"/>; returns how many.</summary>
    public static int DeleteTemporaryFiles(string directory)
    {
        if (!Directory.Exists(directory)) return 0;
        int n = 0;
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (!IsTemporaryFile(Path.GetFileName(file))) continue;
            File.Delete(file);
            n++;
        }
        return n;
    }

    /// <summary>Counts one file step and applies the crash-test settings.</summary>
    private static void Step()
    {
        if (KillAt == 0 && FailAt == 0) return;
        long n = Interlocked.Increment(ref steps);
        if (n == KillAt) Process.GetCurrentProcess().Kill(); // SIGKILL on Unix: nothing after this line runs
        if (n == FailAt) throw new IOException("No space left on device (injected by " + FailAtEnvironmentVariable + ")");
    }

    private static long ReadStep(string variable) =>
        long.TryParse(Environment.GetEnvironmentVariable(variable), out long n) && n > 0 ? n : 0;
}
