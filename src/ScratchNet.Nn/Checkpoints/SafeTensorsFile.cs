using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// Reads and writes <a href="https://github.com/huggingface/safetensors">safetensors</a> files, ScratchNet's
/// checkpoint format, so that a PyTorch user can <c>model.load_state_dict(safetensors.torch.load_file(path))</c>
/// and ScratchNet can load what PyTorch saved.
/// </summary>
/// <remarks>
/// <para>Layout: an 8-byte little-endian <c>u64</c> N, then N bytes of UTF-8 JSON (an object mapping each tensor
/// name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c>, plus an optional <c>"__metadata__"</c> object of
/// strings), padded with spaces; then the data buffer, in which the tensors' little-endian row-major bytes tile the
/// buffer exactly (offsets relative to the buffer's start).</para>
/// <para>Writing is atomic: a temp file in the same directory is written, flushed to disk and then renamed over the
/// target, so a crash or an error never leaves a half-written checkpoint (and never harms the previous one).</para>
/// <para>Reading trusts nothing: the header length, the JSON, every field, the arithmetic (checked 64-bit) and the
/// tiling of the buffer are validated against the file's real size before any data is allocated or read; every
/// problem is a <see cref="CheckpointFormatException"/> naming the file and the problem.</para>
/// </remarks>
public static class SafeTensorsFile
{
    /// <summary>The reserved header key holding the string→string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted (100 MB, the limit the reference implementation uses too).</summary>
    public const long MaxHeaderLength = 100_000_000;

    // ================================================================== writing

    /// <summary>
    /// Writes <paramref name="entries"/> (sorted by name, ordinal) and optional <paramref name="metadata"/> to
    /// <paramref name="path"/> atomically (<see cref="AtomicFile.WriteStream"/>: a temp file in the same directory, flushed
    /// to disk, then moved over <paramref name="path"/>). On any exception the temp file is deleted, the exception
    /// propagates and an existing file at <paramref name="path"/> is untouched.
    /// Throws <see cref="ArgumentException"/> for a duplicate name (named in the message), a null entry or
    /// metadata key/value, and for an entry whose data length disagrees with its dtype and shape.
    /// </summary>
    public static void Write(string path, IEnumerable<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(entries);
        AtomicFile.WriteStream(path, stream => Write(stream, entries, metadata));
    }

    /// <summary>
    /// Writes the safetensors bytes to <paramref name="stream"/> (not atomic; <see cref="Write(string, IEnumerable{SafeTensorEntry}, IReadOnlyDictionary{string, string}?)"/>
    /// builds on this). The header is computed from each entry's dtype and shape; each entry's data length is
    /// checked as it is written, so a mismatch throws <see cref="ArgumentException"/> part-way through.
    /// </summary>
    public static void Write(Stream stream, IEnumerable<SafeTensorEntry> entries, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(entries);

        var sorted = new List<SafeTensorEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            if (e is null) throw new ArgumentException("entries contains a null entry", nameof(entries));
            if (!names.Add(e.Name)) throw new ArgumentException($"duplicate tensor name '{e.Name}'", nameof(entries));
            sorted.Add(e);
        }
        sorted.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));

        byte[] header = BuildHeader(sorted, metadata);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var e in sorted)
        {
            long expected = e.ExpectedByteLength; // cannot overflow: BuildHeader computed it already
            if (e.Data.Length != expected)
                throw new ArgumentException(
                    $"entry '{e.Name}': {e.DType.ToHeaderString()} {SafeTensorEntry.FormatShape(e.ShapeArray)} needs {expected} bytes but its data holds {e.Data.Length}",
                    nameof(entries));
            stream.Write(e.Data.Span);
        }
    }

    /// <summary>The JSON header, space-padded so that 8 + its length is a multiple of 8 (aligned data).</summary>
    private static byte[] BuildHeader(List<SafeTensorEntry> sorted, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // Relaxed escaping: the header is not HTML, and non-ASCII names should stay readable. Still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var kv in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (kv.Key is null || kv.Value is null)
                        throw new ArgumentException($"metadata key '{kv.Key}' has a null key or value", nameof(metadata));
                    json.WriteString(kv.Key, kv.Value);
                }
                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var e in sorted)
            {
                long size;
                try { size = e.ExpectedByteLength; }
                catch (OverflowException)
                {
                    throw new ArgumentException($"entry '{e.Name}': shape {SafeTensorEntry.FormatShape(e.ShapeArray)} is too large to store");
                }
                long end = checked(offset + size);
                json.WriteStartObject(e.Name);
                json.WriteString("dtype", e.DType.ToHeaderString());
                json.WriteStartArray("shape");
                foreach (int d in e.Shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
                offset = end;
            }
            json.WriteEndObject();
        }

        int padded = checked((buffer.WrittenCount + 7) / 8 * 8);
        var header = new byte[padded];
        buffer.WrittenSpan.CopyTo(header);
        header.AsSpan(buffer.WrittenCount).Fill((byte)' ');
        return header;
    }

    // ================================================================== reading

    /// <summary>
    /// Reads and validates the safetensors file at <paramref name="path"/>. Throws
    /// <see cref="CheckpointFormatException"/> (naming the path and the problem) for any malformed content;
    /// I/O errors such as a missing file keep their usual exception types.
    /// </summary>
    public static SafeTensorsContents Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(fs, path);
    }

    /// <summary>
    /// Reads and validates safetensors bytes from a readable, seekable <paramref name="stream"/>, from its current
    /// position to its end. <paramref name="sourceName"/> names the source in error messages.
    /// </summary>
    public static SafeTensorsContents Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        if (!stream.CanRead || !stream.CanSeek)
            throw new ArgumentException("the stream must be readable and seekable (its length is checked against the header)", nameof(stream));
        try
        {
            return new Reader(stream, sourceName).Run();
        }
        catch (EndOfStreamException ex)
        {
            throw new CheckpointFormatException(sourceName, "the file ended before the length it reported at the start of reading (was it modified while being read?)", ex);
        }
    }

    /// <summary>
    /// The <c>__metadata__</c> strings of the safetensors file at <paramref name="path"/>, after validating its
    /// header against the file's size as <see cref="Read(string)"/> does, without reading the tensors' data.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return new Reader(fs, path).Run(headerOnly: true).Metadata;
        }
        catch (EndOfStreamException ex)
        {
            throw new CheckpointFormatException(path, "the file ended before the length it reported at the start of reading (was it modified while being read?)", ex);
        }
    }

    /// <summary>One parsed, not yet range-checked header entry.</summary>
    private readonly record struct HeaderEntry(string Name, SafeTensorDType DType, int[] Shape, long Begin, long End);

    private sealed class Reader(Stream stream, string source)
    {
        private CheckpointFormatException Fail(string problem, Exception? inner = null) => new(source, problem, inner);

        public SafeTensorsContents Run(bool headerOnly = false)
        {
            long fileLength = stream.Length - stream.Position;
            if (fileLength < 8)
                throw Fail($"not a safetensors file: it is {fileLength} bytes long, shorter than the 8-byte header-length prefix");

            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong rawHeaderLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (rawHeaderLength > (ulong)(fileLength - 8))
                throw Fail($"not a safetensors file: header length {Approx(rawHeaderLength)} (the first 8 bytes, little-endian) exceeds the file size {fileLength} bytes");
            if (rawHeaderLength > MaxHeaderLength)
                throw Fail($"header length {rawHeaderLength} is absurd: larger than the {MaxHeaderLength}-byte limit");
            if (rawHeaderLength < 2)
                throw Fail($"not a safetensors file: header length {rawHeaderLength} is too small to hold a JSON object");

            int headerLength = (int)rawHeaderLength;                 // ≤ 100 MB and ≤ the file: safe to allocate
            long dataLength = fileLength - 8 - headerLength;
            var header = new byte[headerLength];
            stream.ReadExactly(header);

            var (entries, metadata) = ParseHeader(header);
            CheckRanges(entries, dataLength, headerLength, fileLength);
            if (headerOnly) return new SafeTensorsContents(source, new Dictionary<string, SafeTensorEntry>(), metadata.AsReadOnly());

            // Ranges tile [0, dataLength) exactly, so reading in begin order is one sequential pass.
            var tensors = new SortedDictionary<string, SafeTensorEntry>(StringComparer.Ordinal);
            foreach (var h in entries.OrderBy(h => h.Begin).ThenBy(h => h.End))
            {
                long size = h.End - h.Begin;
                if (size > Array.MaxLength)
                    throw Fail($"entry '{h.Name}' holds {size} bytes, more than one .NET array can hold");
                var data = new byte[size];
                stream.ReadExactly(data);
                tensors.Add(h.Name, new SafeTensorEntry(h.Name, h.DType, h.Shape, data));
            }
            return new SafeTensorsContents(source, tensors.AsReadOnly(), metadata.AsReadOnly());
        }

        private (List<HeaderEntry> Entries, Dictionary<string, string> Metadata) ParseHeader(byte[] header)
        {
            if (header[0] != (byte)'{')
                throw Fail($"not a safetensors file: the header does not start with '{{' (first byte 0x{header[0]:X2})");

            int bad = FirstInvalidUtf8(header);
            if (bad >= 0)
                throw Fail($"header is not valid UTF-8 (bad byte 0x{header[bad]:X2} at header offset {bad})");

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 16 });
            }
            catch (JsonException ex)
            {
                throw Fail($"header is not valid JSON: {ex.Message}", ex);
            }

            using (doc)
            {
                try
                {
                    return WalkHeader(doc.RootElement);
                }
                catch (InvalidOperationException ex)
                {
                    // JsonDocument accepts escapes such as a lone "\ud800" and only fails when the string is read.
                    throw Fail($"header contains an invalid string (such as a lone UTF-16 surrogate escape): {ex.Message}", ex);
                }
            }
        }

        private (List<HeaderEntry> Entries, Dictionary<string, string> Metadata) WalkHeader(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
                throw Fail($"header must be a JSON object, got {root.ValueKind}");

            var entries = new List<HeaderEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var prop in root.EnumerateObject())
            {
                if (!seen.Add(prop.Name))
                    throw Fail($"header names '{prop.Name}' twice");
                if (prop.Name == MetadataKey)
                    ParseMetadata(prop.Value, metadata);
                else
                    entries.Add(ParseEntry(prop.Name, prop.Value));
            }
            return (entries, metadata);
        }

        private void ParseMetadata(JsonElement value, Dictionary<string, string> metadata)
        {
            if (value.ValueKind == JsonValueKind.Null) return; // the reference implementation writes Option<...>
            if (value.ValueKind != JsonValueKind.Object)
                throw Fail($"'{MetadataKey}' must be an object of strings, got {value.ValueKind}");
            foreach (var kv in value.EnumerateObject())
            {
                if (kv.Value.ValueKind != JsonValueKind.String)
                    throw Fail($"'{MetadataKey}' key '{kv.Name}' has a {kv.Value.ValueKind} value, expected a string");
                if (!metadata.TryAdd(kv.Name, kv.Value.GetString()!))
                    throw Fail($"'{MetadataKey}' names key '{kv.Name}' twice");
            }
        }

        private HeaderEntry ParseEntry(string name, JsonElement value)
        {
            if (name.Length == 0)
                throw Fail("an entry has an empty name");
            if (value.ValueKind != JsonValueKind.Object)
                throw Fail($"entry '{name}' must be an object with dtype, shape and data_offsets, got {value.ValueKind}");

            JsonElement? dtypeEl = null, shapeEl = null, offsetsEl = null;
            foreach (var f in value.EnumerateObject())
            {
                switch (f.Name)
                {
                    case "dtype": dtypeEl = dtypeEl is null ? f.Value : throw Duplicate(name, f.Name); break;
                    case "shape": shapeEl = shapeEl is null ? f.Value : throw Duplicate(name, f.Name); break;
                    case "data_offsets": offsetsEl = offsetsEl is null ? f.Value : throw Duplicate(name, f.Name); break;
                    default: break; // unknown fields are ignored (forward compatibility); they are never trusted
                }
            }
            if (dtypeEl is null) throw Fail($"entry '{name}' is missing field 'dtype'");
            if (shapeEl is null) throw Fail($"entry '{name}' is missing field 'shape'");
            if (offsetsEl is null) throw Fail($"entry '{name}' is missing field 'data_offsets'");

            // dtype
            var d = dtypeEl.Value;
            if (d.ValueKind != JsonValueKind.String)
                throw Fail($"entry '{name}' field 'dtype' must be a string, got {d.ValueKind}");
            string dtypeText = d.GetString()!;
            if (!SafeTensorDTypes.TryParse(dtypeText, out var dtype))
                throw Fail($"entry '{name}' has unknown dtype \"{dtypeText}\" (known: {SafeTensorDTypes.KnownHeaderStrings})");

            // shape
            var s = shapeEl.Value;
            if (s.ValueKind != JsonValueKind.Array)
                throw Fail($"entry '{name}' field 'shape' must be an array of integers, got {s.ValueKind}");
            var shape = new int[s.GetArrayLength()];
            int i = 0;
            foreach (var dim in s.EnumerateArray())
            {
                if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out long v) || v < 0)
                    throw Fail($"entry '{name}' field 'shape' element {i} is {Raw(dim)}, expected a non-negative integer");
                if (v > int.MaxValue)
                    throw Fail($"entry '{name}' field 'shape' element {i} is {v}, larger than this reader's limit {int.MaxValue}");
                shape[i++] = (int)v;
            }

            // data_offsets
            var o = offsetsEl.Value;
            if (o.ValueKind != JsonValueKind.Array || o.GetArrayLength() != 2)
                throw Fail($"entry '{name}' field 'data_offsets' must be an array [begin, end] of two integers, got {Raw(o)}");
            var offs = new long[2];
            i = 0;
            foreach (var x in o.EnumerateArray())
            {
                if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt64(out long v) || v < 0)
                    throw Fail($"entry '{name}' field 'data_offsets' element {i} is {Raw(x)}, expected a non-negative integer");
                offs[i++] = v;
            }
            long begin = offs[0], end = offs[1];
            if (begin > end)
                throw Fail($"entry '{name}' field 'data_offsets' [{begin}, {end}]: begin is after end");

            // shape × dtype size must equal the byte range (checked arithmetic: no silent wrap-around)
            long count, bytes;
            try
            {
                count = SafeTensorEntry.ComputeElementCount(shape);
                bytes = checked(count * dtype.Value.ElementSize());
            }
            catch (OverflowException)
            {
                throw Fail($"entry '{name}' shape {SafeTensorEntry.FormatShape(shape)} has more bytes than fit in 64 bits");
            }
            if (bytes != end - begin)
                throw Fail($"entry '{name}': dtype {dtypeText} shape {SafeTensorEntry.FormatShape(shape)} needs {count} × {dtype.Value.ElementSize()} = {bytes} bytes, but data_offsets [{begin}, {end}] span {end - begin}");

            return new HeaderEntry(name, dtype.Value, shape, begin, end);
        }

        private CheckpointFormatException Duplicate(string entry, string field) => Fail($"entry '{entry}' has field '{field}' twice");

        /// <summary>Every range inside the data section; together they tile it with no overlap, gap or tail.</summary>
        private void CheckRanges(List<HeaderEntry> entries, long dataLength, int headerLength, long fileLength)
        {
            foreach (var h in entries)
            {
                if (h.End > dataLength)
                    throw Fail($"entry '{h.Name}' data_offsets [{h.Begin}, {h.End}]: end is beyond the data section, which is {dataLength} bytes (file {fileLength} − 8 − header {headerLength})");
            }

            long covered = 0;
            HeaderEntry? previous = null;
            foreach (var h in entries.OrderBy(h => h.Begin).ThenBy(h => h.End))
            {
                if (h.Begin < covered)
                    throw Fail($"entry '{h.Name}' data_offsets [{h.Begin}, {h.End}] overlaps entry '{previous!.Value.Name}' [{previous.Value.Begin}, {previous.Value.End}]");
                if (h.Begin > covered)
                    throw Fail($"gap in the data section: bytes [{covered}, {h.Begin}) before entry '{h.Name}' belong to no tensor");
                covered = h.End;
                previous = h;
            }
            if (covered != dataLength)
                throw Fail($"trailing bytes: the data section is {dataLength} bytes but the tensors cover only [0, {covered}); bytes [{covered}, {dataLength}) belong to no tensor");
        }

        private static string Raw(JsonElement e)
        {
            string text = e.GetRawText();
            return text.Length <= 40 ? text : text[..40] + "…";
        }

        private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
        {
            int i = 0;
            while (i < bytes.Length)
            {
                if (bytes[i] < 0x80) { i++; continue; }
                if (Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed) != OperationStatus.Done) return i;
                i += consumed;
            }
            return -1;
        }

        private static string Approx(ulong value) =>
            value < 1_000_000 ? value.ToString(CultureInfo.InvariantCulture)
                : $"{value} (≈{((double)value).ToString("0.#e0", CultureInfo.InvariantCulture)})";
    }
}
