using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Tests.Data;

/// <summary>Builds IDX files byte by byte for tests (valid ones and deliberately broken ones), plain or gzipped.</summary>
internal static class IdxBytes
{
    /// <summary>The header (00 00 type rank, big-endian dims) followed by <paramref name="data"/>.</summary>
    public static byte[] Make(byte type, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    /// <summary>A valid unsigned-byte IDX file.</summary>
    public static byte[] Make(int[] dims, byte[] data) => Make(0x08, dims, data);

    public static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(bytes);
        return ms.ToArray();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, gzipped when asked; returns the path.</summary>
    public static string Write(string path, byte[] bytes, bool gzip = false)
    {
        File.WriteAllBytes(path, gzip ? Gzip(bytes) : bytes);
        return path;
    }
}
