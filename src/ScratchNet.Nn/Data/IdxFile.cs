using System.Buffers.Binary;
using System.IO.Compression;

namespace ScratchNet.Nn.Data;

/// <summary>
/// Reads IDX files, the container of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, an element-type
/// byte, a dimension-count byte, then one int32 per dimension) followed by the elements, row-major.
/// </summary>
/// <remarks>
/// <para>Files may be plain or gzip-compressed; gzip is recognised by its magic bytes (1f 8b), not by the file name,
/// because copies get renamed and decompressed in place.</para>
/// <para>Only unsigned bytes (type 0x08), the type of every (Fashion-)MNIST file, are supported; other types are
/// named in the error. Every size is computed with checked arithmetic and the data is read in growing chunks, so a
/// lying header can neither overflow nor make the reader allocate far more than the file really holds.</para>
/// </remarks>
public static class IdxFile
{
    /// <summary>The element-type byte for unsigned bytes, the only type supported.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>Reads the IDX file at <paramref name="path"/> (plain or gzip).</summary>
    /// <exception cref="IdxFormatException">The contents are not a valid unsigned-byte IDX array.</exception>
    public static IdxArray Read(string path)
    {
        using var file = File.OpenRead(path);
        bool gzip = IsGzip(file);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        try
        {
            return ReadArray(stream, path);
        }
        catch (InvalidDataException e) when (gzip)
        {
            throw new IdxFormatException(path, $"corrupt gzip data: {e.Message}", e);
        }
    }

    /// <summary>Reads an images file: dimensions must be [n, rows, cols].</summary>
    /// <exception cref="IdxFormatException">Invalid file, or not three dimensions.</exception>
    public static IdxArray ReadImages(string path) => RequireRank(Read(path), 3, "[n, rows, cols]", path);

    /// <summary>Reads a labels file: dimensions must be [n].</summary>
    /// <exception cref="IdxFormatException">Invalid file, or not one dimension.</exception>
    public static IdxArray ReadLabels(string path) => RequireRank(Read(path), 1, "[n]", path);

    /// <summary>Reads an images file and its labels file and checks that they hold the same number of items.</summary>
    /// <exception cref="IdxFormatException">Either file is invalid, or the counts differ (the message names both files).</exception>
    public static IdxImageSet ReadImageSet(string imagesPath, string labelsPath)
    {
        var images = ReadImages(imagesPath);
        var labels = ReadLabels(labelsPath);
        if (images.Count != labels.Count)
            throw new IdxFormatException(labelsPath, $"has {labels.Count} labels but {imagesPath} has {images.Count} images; they must match one to one");
        return new IdxImageSet(images, labels, imagesPath, labelsPath);
    }

    /// <summary>True when the stream starts with the gzip magic; the position is restored.</summary>
    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static IdxArray ReadArray(Stream stream, string path)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4) throw new IdxFormatException(path, $"too short for an IDX header: {got} bytes, the magic alone needs 4");
        if (magic[0] != 0 || magic[1] != 0)
            throw new IdxFormatException(path, $"bad magic {Convert.ToHexString(magic)}: an IDX file starts with two zero bytes (00 00), then a type byte and a dimension count");
        if (magic[2] != UnsignedByteType)
            throw new IdxFormatException(path, $"element type 0x{magic[2]:X2} ({TypeName(magic[2])}) is not supported; only 0x08 (unsigned byte) is");
        int rank = magic[3];
        if (rank == 0) throw new IdxFormatException(path, "has 0 dimensions; at least one is needed");

        var header = new byte[checked(4 * rank)];
        got = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length) throw new IdxFormatException(path, $"truncated header: {rank} dimension sizes need {header.Length} bytes, got {got}");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 * i));
            if (dims[i] <= 0) throw new IdxFormatException(path, $"dimension {i} is {dims[i]}; sizes must be positive");
        }
        long expected = ElementCount(dims, path);

        var data = ReadUpTo(stream, (int)expected);
        if (data.Length < expected)
            throw new IdxFormatException(path, $"truncated data: dimensions [{string.Join(", ", dims)}] need {expected} bytes, got {data.Length}");
        long trailing = CountRemaining(stream);
        if (trailing > 0)
            throw new IdxFormatException(path, $"{trailing} trailing bytes after the {expected} data bytes of dimensions [{string.Join(", ", dims)}]");
        return new IdxArray(dims, data);
    }

    /// <summary>The product of the dimensions, refusing anything that overflows or exceeds the largest byte array.</summary>
    private static long ElementCount(int[] dims, string path)
    {
        try
        {
            long n = 1;
            foreach (int d in dims) n = checked(n * d);
            if (n <= Array.MaxLength) return n;
        }
        catch (OverflowException)
        {
            // Reported below with the same message as a product that merely exceeds the array limit.
        }
        throw new IdxFormatException(path, $"dimensions [{string.Join(", ", dims)}] are too large: more than {Array.MaxLength} bytes");
    }

    /// <summary>
    /// Reads up to <paramref name="count"/> bytes, growing the buffer as data arrives, so a header that promises
    /// gigabytes costs memory only for the bytes that actually exist.
    /// </summary>
    private static byte[] ReadUpTo(Stream stream, int count)
    {
        var buffer = new byte[Math.Min(count, 1 << 24)];
        int filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (filled == count) return buffer;
                Array.Resize(ref buffer, (int)Math.Min(count, 2L * buffer.Length));
            }
            int n = stream.Read(buffer, filled, buffer.Length - filled);
            if (n == 0) return buffer[..filled];
            filled += n;
        }
    }

    private static long CountRemaining(Stream stream)
    {
        var scratch = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = stream.Read(scratch)) > 0) total += n;
        return total;
    }

    private static IdxArray RequireRank(IdxArray array, int rank, string shape, string path) =>
        array.Dimensions.Length == rank ? array
        : throw new IdxFormatException(path, $"expected {rank} dimension(s) {shape}, found {array.Dimensions.Length}: [{string.Join(", ", array.Dimensions)}]");

    private static string TypeName(byte type) => type switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };
}
