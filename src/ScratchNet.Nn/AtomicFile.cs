namespace ScratchNet.Nn;

/// <summary>
/// Writes a file so that readers see either the old contents or the complete new ones, never a half-written
/// file: write a temp file in the same folder, flush it, rename it over the target (atomic on one file system).
/// Used for checkpoints' sidecars, logs, metrics and plots.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, temp =>
        {
            using var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
            fs.Write(copy);
            fs.Flush(flushToDisk: true);
        });
    }

    /// <summary>
    /// Lets <paramref name="writeTemp"/> write a temp file (the path it is given), then moves it over
    /// <paramref name="path"/>. On any exception the temp file is removed and the target is untouched.
    /// </summary>
    public static void Write(string path, Action<string> writeTemp)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Same folder (so the rename stays on one file system), hidden, and keeping the extension for writers
        // that choose the format by it (image encoders).
        string temp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(full) + "." + Guid.NewGuid().ToString("N")[..12] + ".tmp" + Path.GetExtension(full));
        try
        {
            writeTemp(temp);
            if (!File.Exists(temp)) throw new IOException($"writing {full}: nothing was written");
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
