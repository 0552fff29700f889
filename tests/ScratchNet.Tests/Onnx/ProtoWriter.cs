using System.Buffers.Binary;
using System.Text;

namespace ScratchNet.Tests.Onnx;

/// <summary>
/// The test side of the protobuf wire format: just enough of an encoder to build ONNX models field by field (the
/// reader under test is never used to write), including the forms real exporters differ in (packed or one value
/// per tag).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream bytes = new();

    public byte[] ToArray() => bytes.ToArray();

    public ProtoWriter Varint(int field, long value) { Tag(field, 0); Raw(value); return this; }

    public ProtoWriter Float(int field, float value)
    {
        Tag(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        bytes.Write(b);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value) { Tag(field, 2); Raw(value.Length); bytes.Write(value); return this; }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter PackedInt64s(int field, IEnumerable<long> values)
    {
        var inner = new ProtoWriter();
        foreach (long v in values) inner.Raw(v);
        return Bytes(field, inner.ToArray());
    }

    public ProtoWriter PackedFloats(int field, IEnumerable<float> values)
    {
        var data = values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();   // little-endian on every machine .NET runs on here
        return Bytes(field, data);
    }

    public void Tag(int field, int wire) => Raw(((long)field << 3) | (uint)wire);

    private void Raw(long value)
    {
        ulong v = (ulong)value;
        while (v >= 0x80) { bytes.WriteByte((byte)(v | 0x80)); v >>= 7; }
        bytes.WriteByte((byte)v);
    }
}

/// <summary>ONNX messages for tests, field numbers as in onnx.proto.</summary>
internal static class OnnxProto
{
    public static ProtoWriter Model(ProtoWriter graph, long ir = 7, long opset = 13) =>
        new ProtoWriter().Varint(1, ir).String(2, "scratchnet-test").String(3, "1.0")
            .Message(8, new ProtoWriter().String(1, "").Varint(2, opset)).Message(7, graph);

    public static ProtoWriter FloatTensorRaw(string name, long[] dims, float[] values) =>
        new ProtoWriter().PackedInt64s(1, dims).Varint(2, 1).String(8, name).Bytes(9, values.SelectMany(BitConverter.GetBytes).ToArray());

    public static ProtoWriter FloatTensorTyped(string name, long[] dims, float[] values) =>
        new ProtoWriter().PackedInt64s(1, dims).Varint(2, 1).PackedFloats(4, values).String(8, name);

    public static ProtoWriter Int64Tensor(string name, long[] dims, long[] values) =>
        new ProtoWriter().PackedInt64s(1, dims).Varint(2, 7).PackedInt64s(7, values).String(8, name);

    public static ProtoWriter ValueInfo(string name, params object[] dims)
    {
        var shape = new ProtoWriter();
        foreach (var d in dims)
            shape.Message(1, d is string p ? new ProtoWriter().String(2, p) : new ProtoWriter().Varint(1, Convert.ToInt64(d)));
        var tensor = new ProtoWriter().Varint(1, 1).Message(2, shape);
        return new ProtoWriter().String(1, name).Message(2, new ProtoWriter().Message(1, tensor));
    }

    public static ProtoWriter IntsAttribute(string name, long[] values, bool packed = true)
    {
        var a = new ProtoWriter().String(1, name).Varint(20, 7);
        if (packed) a.PackedInt64s(8, values);
        else foreach (long v in values) a.Varint(8, v);
        return a;
    }

    public static ProtoWriter Node(string op, string name, string[] inputs, string[] outputs, params ProtoWriter[] attributes)
    {
        var n = new ProtoWriter();
        foreach (var i in inputs) n.String(1, i);
        foreach (var o in outputs) n.String(2, o);
        n.String(3, name).String(4, op);
        foreach (var a in attributes) n.Message(5, a);
        return n;
    }
}
