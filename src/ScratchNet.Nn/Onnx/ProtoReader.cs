using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Nn.Onnx;

/// <summary>How a protobuf field's value is laid out on the wire (the low 3 bits of its tag).</summary>
internal enum WireType
{
    /// <summary>A base-128 varint (int32, int64, enums, bool).</summary>
    Varint = 0,
    /// <summary>8 little-endian bytes (double, fixed64).</summary>
    Fixed64 = 1,
    /// <summary>A varint length, then that many bytes (strings, bytes, sub-messages, packed repeated scalars).</summary>
    LengthDelimited = 2,
    /// <summary>4 little-endian bytes (float, fixed32).</summary>
    Fixed32 = 5,
}

/// <summary>
/// The protobuf wire format, read by hand: a message is a sequence of (tag, value) pairs, the tag a varint holding
/// <c>field_number &lt;&lt; 3 | wire_type</c>. That is all ONNX needs — no generated code, no schema at run time — and
/// every read is bounded: a varint is at most 10 bytes, a length never runs past the bytes that remain, and each
/// problem names the byte offset and where in the model it is (<see cref="Where"/>). Unknown fields are skipped, as
/// protobuf requires, so files from newer exporters read.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> data;
    private readonly string file;
    private readonly long origin;   // offset of data[0] in the file, for messages
    private int pos;

    /// <summary>A reader over <paramref name="data"/>, which starts at byte <paramref name="origin"/> of <paramref name="file"/>.</summary>
    public ProtoReader(ReadOnlySpan<byte> data, string file, string where, long origin = 0)
    {
        this.data = data;
        this.file = file;
        this.origin = origin;
        Where = where;
    }

    /// <summary>The path inside the model being read ("graph › node 12 'conv1' › attribute 'pads'"), for messages.</summary>
    public string Where { get; }

    /// <summary>True while bytes remain.</summary>
    public readonly bool More => pos < data.Length;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, WireType Type) ReadTag()
    {
        long at = pos;
        ulong tag = ReadVarint();
        int field = (int)Math.Min(tag >> 3, int.MaxValue);
        var type = (WireType)(tag & 7);
        if (field == 0) throw Fail($"field number 0 at byte {origin + at} (not protobuf, or corrupt)");
        if (type is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
            throw Fail($"wire type {(int)type} of field {field} at byte {origin + at} (groups are not used by ONNX; the file is corrupt)");
        return (field, type);
    }

    /// <summary>A base-128 varint: 7 bits per byte, low bits first, the high bit set on every byte but the last.</summary>
    public ulong ReadVarint()
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= data.Length) throw Fail($"a varint runs past the end at byte {origin + pos} (the file is truncated)");
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw Fail($"a varint longer than 10 bytes at byte {origin + pos - 10} (corrupt)");
    }

    /// <summary>An int64 field (two's complement in a varint).</summary>
    public long ReadInt64() => (long)ReadVarint();

    /// <summary>An int32 or enum field (negative values are sign-extended to 10 bytes on the wire).</summary>
    public int ReadInt32(string what)
    {
        long v = ReadInt64();
        if (v is < int.MinValue or > int.MaxValue) throw Fail($"{what} is {v}, beyond a 32-bit integer");
        return (int)v;
    }

    /// <summary>A float field (4 little-endian bytes).</summary>
    public float ReadFloat() => BinaryPrimitives.ReadSingleLittleEndian(Take(4, "a float"));

    /// <summary>A length-delimited field's bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(string what)
    {
        ulong length = ReadVarint();
        int remaining = data.Length - pos;
        if (length > (ulong)remaining)
            throw Fail($"{what} says it has {length:N0} bytes at byte {origin + pos}, but only {remaining:N0} remain (the file is truncated or corrupt)");
        return Take((int)length, what);
    }

    /// <summary>A string field (UTF-8).</summary>
    public string ReadString(string what)
    {
        var bytes = ReadBytes(what);
        try { return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Fail($"{what} is not valid UTF-8"); }
    }

    /// <summary>A sub-message: a reader over its bytes, at path <paramref name="where"/>.</summary>
    public ProtoReader ReadMessage(string where)
    {
        ulong length = ReadVarint();
        int remaining = data.Length - pos;
        if (length > (ulong)remaining)
            throw new OnnxFormatException(file, $"{where}: says it has {length:N0} bytes at byte {origin + pos}, but only {remaining:N0} remain (the file is truncated or corrupt)");
        long start = origin + pos;
        return new ProtoReader(Take((int)length, where), file, where, start);
    }

    /// <summary>Skips a field of <paramref name="type"/> whose number this reader does not use.</summary>
    public void Skip(WireType type)
    {
        switch (type)
        {
            case WireType.Varint: ReadVarint(); break;
            case WireType.Fixed64: Take(8, "a fixed64"); break;
            case WireType.Fixed32: Take(4, "a fixed32"); break;
            default: ReadBytes("a field"); break;
        }
    }

    /// <summary>
    /// A repeated int64 field's values: packed (one length-delimited run of varints, what proto3 writers emit) or
    /// one value per tag (what older writers emit); readers must take both. Appends to <paramref name="into"/>.
    /// </summary>
    public void ReadInt64s(WireType type, List<long> into, string what)
    {
        if (type == WireType.Varint) { into.Add(ReadInt64()); return; }
        Expect(type, WireType.LengthDelimited, what);
        var bytes = ReadBytes(what);
        var packed = new ProtoReader(bytes, file, Where, origin + pos - bytes.Length);
        while (packed.More) into.Add(packed.ReadInt64());
    }

    /// <summary>A repeated float field's values, packed or one per tag.</summary>
    public void ReadFloats(WireType type, List<float> into, string what)
    {
        if (type == WireType.Fixed32) { into.Add(ReadFloat()); return; }
        Expect(type, WireType.LengthDelimited, what);
        var bytes = ReadBytes(what);
        if (bytes.Length % 4 != 0) throw Fail($"{what}: {bytes.Length:N0} bytes of packed floats is not a multiple of 4");
        into.EnsureCapacity(into.Count + bytes.Length / 4);
        for (int i = 0; i < bytes.Length; i += 4) into.Add(BinaryPrimitives.ReadSingleLittleEndian(bytes[i..]));
    }

    /// <summary>A repeated double field's values, packed or one per tag.</summary>
    public void ReadDoubles(WireType type, List<double> into, string what)
    {
        if (type == WireType.Fixed64) { into.Add(BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what))); return; }
        Expect(type, WireType.LengthDelimited, what);
        var bytes = ReadBytes(what);
        if (bytes.Length % 8 != 0) throw Fail($"{what}: {bytes.Length:N0} bytes of packed doubles is not a multiple of 8");
        into.EnsureCapacity(into.Count + bytes.Length / 8);
        for (int i = 0; i < bytes.Length; i += 8) into.Add(BinaryPrimitives.ReadDoubleLittleEndian(bytes[i..]));
    }

    /// <summary>Refuses a field that arrives with another wire type than its declaration's.</summary>
    public readonly void Expect(WireType actual, WireType expected, string what)
    {
        if (actual != expected) throw Fail($"{what} has wire type {(int)actual}, expected {(int)expected} (corrupt, or not ONNX)");
    }

    /// <summary>An <see cref="OnnxFormatException"/> at this reader's place in the model.</summary>
    public readonly OnnxFormatException Fail(string problem) => new(file, $"{Where}: {problem}");

    private ReadOnlySpan<byte> Take(int n, string what)
    {
        if (n > data.Length - pos) throw Fail($"{what} runs past the end at byte {origin + pos} (the file is truncated)");
        var span = data.Slice(pos, n);
        pos += n;
        return span;
    }
}
