using System.Buffers.Binary;

namespace ScratchNet.Nn.Onnx;

/// <summary>
/// Reads an <c>.onnx</c> file into an <see cref="OnnxModel"/>: the protobuf messages ModelProto, GraphProto, NodeProto,
/// AttributeProto, TensorProto and ValueInfoProto, decoded by hand with <see cref="ProtoReader"/> (field numbers from
/// onnx.proto, written next to each case). Hand-written rather than on Google.Protobuf: the subset is small, it is
/// worth reading, and the product keeps no generated code or extra dependency for it. Bounded against corrupt files:
/// every length is checked against the bytes that remain and every tensor's data against its shape; a problem is an
/// <see cref="OnnxFormatException"/> naming where in the model it is.
/// </summary>
public static class OnnxReader
{
    /// <summary>Reads <paramref name="path"/>. I/O problems (missing file, permissions) keep their own exceptions.</summary>
    public static OnnxModel Read(string path)
    {
        if (Directory.Exists(path)) throw new OnnxFormatException(path, "is a folder, not an .onnx file");
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"{path}: no such file", path);
        // A device or a pipe reports length 0 (as ImageDecoder.ReadFile relies on too): refused before it is opened.
        if (info.Length == 0) throw new OnnxFormatException(path, "is empty (0 bytes), or not a regular file (a device or a pipe)");
        if (info.Length > int.MaxValue)
            throw new OnnxFormatException(path, $"is {info.Length:N0} bytes; a protobuf message is at most 2 GiB (larger models keep their weights as external data, which this reader does not take)");
        return Read(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a model held in memory; <paramref name="name"/> is what errors call it.</summary>
    public static OnnxModel Read(ReadOnlySpan<byte> bytes, string name)
    {
        if (bytes.IsEmpty) throw new OnnxFormatException(name, "is empty (0 bytes)");
        var r = new ProtoReader(bytes, name, "model");
        long ir = 0;
        string producer = "", version = "";
        var opsets = new List<OnnxOpset>();
        OnnxGraph? graph = null;
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            switch (field)
            {
                case 1: r.Expect(type, WireType.Varint, "ir_version"); ir = r.ReadInt64(); break;              // ir_version
                case 2: r.Expect(type, WireType.LengthDelimited, "producer_name"); producer = r.ReadString("producer_name"); break;
                case 3: r.Expect(type, WireType.LengthDelimited, "producer_version"); version = r.ReadString("producer_version"); break;
                case 7:                                                                                          // graph
                    r.Expect(type, WireType.LengthDelimited, "graph");
                    if (graph is not null) throw r.Fail("two graphs");
                    var g = r.ReadMessage("graph");
                    graph = ReadGraph(ref g, name);
                    break;
                case 8:                                                                                          // opset_import
                    r.Expect(type, WireType.LengthDelimited, "opset_import");
                    var o = r.ReadMessage($"opset_import {opsets.Count}");
                    opsets.Add(ReadOpset(ref o));
                    break;
                default: r.Skip(type); break;   // domain, model_version, doc_string, metadata_props, training_info, functions
            }
        }
        if (graph is null) throw new OnnxFormatException(name, "model: has no graph (not an ONNX model, or an empty one)");
        if (ir <= 0) throw new OnnxFormatException(name, $"model: ir_version is {ir} (missing: not an ONNX model?)");
        return new OnnxModel(ir, producer, version, opsets, graph);
    }

    private static OnnxOpset ReadOpset(ref ProtoReader r)
    {
        string domain = "";
        long version = 0;
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            if (field == 1 && type == WireType.LengthDelimited) domain = r.ReadString("domain");
            else if (field == 2 && type == WireType.Varint) version = r.ReadInt64();
            else r.Skip(type);
        }
        return new OnnxOpset(domain, version);
    }

    private static OnnxGraph ReadGraph(ref ProtoReader r, string file)
    {
        string name = "";
        var nodes = new List<OnnxNode>();
        var initializers = new List<OnnxTensor>();
        var inputs = new List<OnnxValueInfo>();
        var outputs = new List<OnnxValueInfo>();
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            switch (field)
            {
                case 1:                                                                                         // node
                {
                    r.Expect(type, WireType.LengthDelimited, "node");
                    var n = r.ReadMessage($"graph › node {nodes.Count}");
                    nodes.Add(ReadNode(ref n));
                    break;
                }
                case 2: r.Expect(type, WireType.LengthDelimited, "name"); name = r.ReadString("graph name"); break;
                case 5:                                                                                         // initializer
                {
                    r.Expect(type, WireType.LengthDelimited, "initializer");
                    var t = r.ReadMessage($"graph › initializer {initializers.Count}");
                    initializers.Add(ReadTensor(ref t));
                    break;
                }
                case 11 or 12:                                                                                  // input, output
                {
                    r.Expect(type, WireType.LengthDelimited, field == 11 ? "input" : "output");
                    var list = field == 11 ? inputs : outputs;
                    var v = r.ReadMessage($"graph › {(field == 11 ? "input" : "output")} {list.Count}");
                    list.Add(ReadValueInfo(ref v));
                    break;
                }
                case 15: throw r.Fail("has sparse initializers, which this reader does not take");              // sparse_initializer
                default: r.Skip(type); break;   // doc_string, value_info, quantization_annotation
            }
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in initializers)
            if (!seen.Add(t.Name)) throw new OnnxFormatException(file, $"graph: two initializers are called '{t.Name}'");
        return new OnnxGraph(name, nodes, initializers, inputs, outputs);
    }

    private static OnnxNode ReadNode(ref ProtoReader r)
    {
        string name = "", op = "", domain = "";
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            switch (field)
            {
                case 1: r.Expect(type, WireType.LengthDelimited, "input"); inputs.Add(r.ReadString("input")); break;
                case 2: r.Expect(type, WireType.LengthDelimited, "output"); outputs.Add(r.ReadString("output")); break;
                case 3: r.Expect(type, WireType.LengthDelimited, "name"); name = r.ReadString("name"); break;
                case 4: r.Expect(type, WireType.LengthDelimited, "op_type"); op = r.ReadString("op_type"); break;
                case 5:                                                                                         // attribute
                {
                    r.Expect(type, WireType.LengthDelimited, "attribute");
                    var a = r.ReadMessage($"{r.Where} › attribute {attributes.Count}");
                    var attribute = ReadAttribute(ref a);
                    if (!attributes.TryAdd(attribute.Name, attribute)) throw r.Fail($"two attributes are called '{attribute.Name}'");
                    break;
                }
                case 7: r.Expect(type, WireType.LengthDelimited, "domain"); domain = r.ReadString("domain"); break;
                default: r.Skip(type); break;   // doc_string, overload, metadata_props
            }
        }
        if (op.Length == 0) throw r.Fail("has no op_type");
        return new OnnxNode(name, op, domain, inputs, outputs, attributes);
    }

    private static OnnxAttribute ReadAttribute(ref ProtoReader r)
    {
        string name = "", s = "";
        var kind = OnnxAttributeType.Undefined;
        OnnxAttributeType seen = OnnxAttributeType.Undefined;   // the value field present, for files that leave `type` out
        float f = 0;
        long i = 0;
        OnnxTensor? t = null;
        var floats = new List<float>();
        var ints = new List<long>();
        var strings = new List<string>();
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            switch (field)
            {
                case 1: r.Expect(type, WireType.LengthDelimited, "name"); name = r.ReadString("attribute name"); break;
                case 2: r.Expect(type, WireType.Fixed32, "f"); f = r.ReadFloat(); seen = OnnxAttributeType.Float; break;
                case 3: r.Expect(type, WireType.Varint, "i"); i = r.ReadInt64(); seen = OnnxAttributeType.Int; break;
                case 4: r.Expect(type, WireType.LengthDelimited, "s"); s = r.ReadString("s"); seen = OnnxAttributeType.String; break;
                case 5:
                {
                    r.Expect(type, WireType.LengthDelimited, "t");
                    var m = r.ReadMessage($"{r.Where} › tensor");
                    t = ReadTensor(ref m);
                    seen = OnnxAttributeType.Tensor;
                    break;
                }
                case 6: r.Skip(type); seen = OnnxAttributeType.Graph; break;        // g: sub-graphs are not read
                case 7: r.ReadFloats(type, floats, "floats"); seen = OnnxAttributeType.Floats; break;
                case 8: r.ReadInt64s(type, ints, "ints"); seen = OnnxAttributeType.Ints; break;
                case 9: r.Expect(type, WireType.LengthDelimited, "strings"); strings.Add(r.ReadString("strings")); seen = OnnxAttributeType.Strings; break;
                case 10: r.Skip(type); seen = OnnxAttributeType.Tensors; break;     // tensors
                case 11: r.Skip(type); seen = OnnxAttributeType.Graphs; break;      // graphs
                case 20:                                                            // type
                {
                    r.Expect(type, WireType.Varint, "type");
                    int k = r.ReadInt32("type");
                    kind = k is >= 0 and <= 10 ? (OnnxAttributeType)k : throw r.Fail($"attribute '{name}' has type {k}, which this reader does not take");
                    break;
                }
                default: r.Skip(type); break;   // doc_string, ref_attr_name, sparse tensors, type protos
            }
        }
        if (name.Length == 0) throw r.Fail("an attribute has no name");
        if (kind == OnnxAttributeType.Undefined) kind = seen;
        return new OnnxAttribute(name, kind, f, i, s, t, floats, ints, strings);
    }

    private static OnnxValueInfo ReadValueInfo(ref ProtoReader r)
    {
        string name = "";
        var element = OnnxDataType.Undefined;
        List<OnnxDim>? shape = null;
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            if (field == 1 && type == WireType.LengthDelimited) name = r.ReadString("name");
            else if (field == 2 && type == WireType.LengthDelimited)                                    // type: TypeProto
            {
                var tp = r.ReadMessage($"{r.Where} › type");
                while (tp.More)
                {
                    var (tf, tt) = tp.ReadTag();
                    if (tf != 1 || tt != WireType.LengthDelimited) { tp.Skip(tt); continue; }           // tensor_type
                    var tensor = tp.ReadMessage($"{r.Where} › tensor type");
                    while (tensor.More)
                    {
                        var (ef, et) = tensor.ReadTag();
                        if (ef == 1 && et == WireType.Varint) element = (OnnxDataType)tensor.ReadInt32("elem_type");
                        else if (ef == 2 && et == WireType.LengthDelimited)                             // shape
                        {
                            shape = [];
                            var sh = tensor.ReadMessage($"{r.Where} › shape");
                            while (sh.More)
                            {
                                var (sf, st) = sh.ReadTag();
                                if (sf != 1 || st != WireType.LengthDelimited) { sh.Skip(st); continue; } // dim
                                var d = sh.ReadMessage($"{r.Where} › shape › dim {shape.Count}");
                                long? value = null;
                                string? param = null;
                                while (d.More)
                                {
                                    var (df, dt) = d.ReadTag();
                                    if (df == 1 && dt == WireType.Varint) value = d.ReadInt64();
                                    else if (df == 2 && dt == WireType.LengthDelimited) param = d.ReadString("dim_param");
                                    else d.Skip(dt);
                                }
                                shape.Add(new OnnxDim(value, param));
                            }
                        }
                        else tensor.Skip(et);
                    }
                }
            }
            else r.Skip(type);
        }
        return new OnnxValueInfo(name, element, shape);
    }

    /// <summary>The bytes one element of each readable type takes in <c>raw_data</c>.</summary>
    private static int ElementSize(OnnxDataType t) => t switch
    {
        OnnxDataType.Float or OnnxDataType.Int32 => 4,
        OnnxDataType.Double or OnnxDataType.Int64 => 8,
        _ => 0,
    };

    private static OnnxTensor ReadTensor(ref ProtoReader r)
    {
        string name = "";
        var dims = new List<long>();
        var dataType = OnnxDataType.Undefined;
        var floats = new List<float>();
        var doubles = new List<double>();
        var int64s = new List<long>();
        var int32s = new List<long>();
        ReadOnlySpan<byte> raw = default;
        bool hasRaw = false;
        while (r.More)
        {
            var (field, type) = r.ReadTag();
            switch (field)
            {
                case 1: r.ReadInt64s(type, dims, "dims"); break;
                case 2: r.Expect(type, WireType.Varint, "data_type"); dataType = (OnnxDataType)r.ReadInt32("data_type"); break;
                case 3: throw r.Fail($"tensor '{name}' is stored in segments, which this reader does not take");
                case 4: r.ReadFloats(type, floats, "float_data"); break;
                case 5: r.ReadInt64s(type, int32s, "int32_data"); break;
                case 7: r.ReadInt64s(type, int64s, "int64_data"); break;
                case 8: r.Expect(type, WireType.LengthDelimited, "name"); name = r.ReadString("tensor name"); break;
                case 9: r.Expect(type, WireType.LengthDelimited, "raw_data"); raw = r.ReadBytes("raw_data"); hasRaw = true; break;
                case 10: r.ReadDoubles(type, doubles, "double_data"); break;
                case 13: throw r.Fail($"tensor '{name}' keeps its data in an external file, which this reader does not take");
                case 14:
                    r.Expect(type, WireType.Varint, "data_location");
                    if (r.ReadInt64() != 0) throw r.Fail($"tensor '{name}' keeps its data in an external file, which this reader does not take");
                    break;
                default: r.Skip(type); break;   // string_data (6), uint64_data (11), doc_string (12)
            }
        }
        string what = name.Length > 0 ? $"tensor '{name}'" : "a tensor";
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw r.Fail($"{what} has a negative dimension in [{string.Join(", ", dims)}]");
            count = d == 0 ? 0 : count > int.MaxValue / d ? throw r.Fail($"{what} has shape [{string.Join(", ", dims)}]: more elements than an array holds") : count * d;
        }
        int size = ElementSize(dataType);
        if (size == 0) throw r.Fail($"{what} holds {dataType}; this reader takes float32, float64, int64 and int32");
        if (hasRaw)
        {
            if (raw.Length != count * size)
                throw r.Fail($"{what} has shape [{string.Join(", ", dims)}] of {dataType}: {count * size:N0} bytes, but its raw_data has {raw.Length:N0}");
            int n = (int)count;
            return dataType switch
            {
                OnnxDataType.Float => new OnnxTensor(name, dataType, dims, Floats: Decode(raw, n, 4, (s, i) => BinaryPrimitives.ReadSingleLittleEndian(s[(i * 4)..]))),
                OnnxDataType.Double => new OnnxTensor(name, dataType, dims, Doubles: Decode(raw, n, 8, (s, i) => BinaryPrimitives.ReadDoubleLittleEndian(s[(i * 8)..]))),
                OnnxDataType.Int64 => new OnnxTensor(name, dataType, dims, Int64s: Decode(raw, n, 8, (s, i) => BinaryPrimitives.ReadInt64LittleEndian(s[(i * 8)..]))),
                _ => new OnnxTensor(name, dataType, dims, Int32s: Decode(raw, n, 4, (s, i) => BinaryPrimitives.ReadInt32LittleEndian(s[(i * 4)..]))),
            };
        }
        int typed = dataType switch
        {
            OnnxDataType.Float => floats.Count,
            OnnxDataType.Double => doubles.Count,
            OnnxDataType.Int64 => int64s.Count,
            _ => int32s.Count,
        };
        if (typed != count)
            throw r.Fail($"{what} has shape [{string.Join(", ", dims)}]: {count:N0} values, but the file holds {typed:N0}");
        return dataType switch
        {
            OnnxDataType.Float => new OnnxTensor(name, dataType, dims, Floats: [.. floats]),
            OnnxDataType.Double => new OnnxTensor(name, dataType, dims, Doubles: [.. doubles]),
            OnnxDataType.Int64 => new OnnxTensor(name, dataType, dims, Int64s: [.. int64s]),
            _ => new OnnxTensor(name, dataType, dims, Int32s: int32s.Select(v => v is >= int.MinValue and <= int.MaxValue ? (int)v : throw new OverflowException()).ToArray()),
        };
    }

    private delegate T Element<T>(ReadOnlySpan<byte> bytes, int index);

    private static T[] Decode<T>(ReadOnlySpan<byte> raw, int n, int size, Element<T> read)
    {
        var values = new T[n];
        for (int i = 0; i < n; i++) values[i] = read(raw, i);
        return values;
    }
}
