namespace ScratchNet.Nn.Onnx;

/// <summary>An ONNX model as the file holds it (ModelProto): what produced it, the operator sets it uses, its graph.</summary>
/// <param name="IrVersion">The ONNX IR version (3 for opset-8 era files).</param>
/// <param name="ProducerName">E.g. "CNTK", "pytorch", "tf2onnx".</param>
/// <param name="ProducerVersion">The producer's version string.</param>
/// <param name="Opsets">The operator-set imports: domain ("" = the default ONNX domain) and version.</param>
/// <param name="Graph">The computation.</param>
public sealed record OnnxModel(long IrVersion, string ProducerName, string ProducerVersion, IReadOnlyList<OnnxOpset> Opsets, OnnxGraph Graph)
{
    /// <summary>The version of the default ONNX operator set (domain "" or "ai.onnx"), or 0 when none is imported.</summary>
    public long DefaultOpset => Opsets.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();
}

/// <summary>One operator-set import (OperatorSetIdProto).</summary>
public sealed record OnnxOpset(string Domain, long Version);

/// <summary>
/// A graph (GraphProto): nodes in the file's order (ONNX requires topological order), the initializers (the weights,
/// by name), and the graph's inputs and outputs.
/// </summary>
public sealed record OnnxGraph(string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs);

/// <summary>One node (NodeProto): an operator applied to named values, producing named values.</summary>
/// <param name="Name">The node's name (may be empty in the file).</param>
/// <param name="OpType">The operator, e.g. "Conv".</param>
/// <param name="Domain">Its operator set's domain ("" = ONNX's).</param>
/// <param name="Inputs">Input value names; "" marks an omitted optional input.</param>
/// <param name="Outputs">Output value names.</param>
/// <param name="Attributes">The attributes by name.</param>
public sealed record OnnxNode(string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, OnnxAttribute> Attributes)
{
    /// <summary>"node 12 'conv1' (Conv)" — how errors name it.</summary>
    public string Describe(int index) => Name.Length > 0 ? $"node {index} '{Name}' ({OpType})" : $"node {index} ({OpType})";
}

/// <summary>ONNX's attribute types (AttributeProto.AttributeType).</summary>
public enum OnnxAttributeType
{
    /// <summary>Not set (old writers leave it out; the reader infers it from the field present).</summary>
    Undefined = 0,
    /// <summary>One float (<see cref="OnnxAttribute.Float"/>).</summary>
    Float = 1,
    /// <summary>One int64 (<see cref="OnnxAttribute.Int"/>).</summary>
    Int = 2,
    /// <summary>One string (<see cref="OnnxAttribute.String"/>).</summary>
    String = 3,
    /// <summary>One tensor (<see cref="OnnxAttribute.Tensor"/>).</summary>
    Tensor = 4,
    /// <summary>A sub-graph (If, Loop, Scan): not read (skipped; an importer refuses the node).</summary>
    Graph = 5,
    /// <summary>A list of floats.</summary>
    Floats = 6,
    /// <summary>A list of int64s.</summary>
    Ints = 7,
    /// <summary>A list of strings.</summary>
    Strings = 8,
    /// <summary>A list of tensors: not read.</summary>
    Tensors = 9,
    /// <summary>A list of sub-graphs: not read.</summary>
    Graphs = 10,
}

/// <summary>One attribute (AttributeProto): its name, type and value (only the field of its type is meaningful).</summary>
public sealed record OnnxAttribute(string Name, OnnxAttributeType Type, float Float = 0, long Int = 0, string String = "",
    OnnxTensor? Tensor = null, IReadOnlyList<float>? Floats = null, IReadOnlyList<long>? Ints = null, IReadOnlyList<string>? Strings = null);

/// <summary>ONNX's tensor element types (TensorProto.DataType), those the reader names.</summary>
public enum OnnxDataType
{
    /// <summary>Not set.</summary>
    Undefined = 0,
    /// <summary>float32: read.</summary>
    Float = 1,
    /// <summary>uint8.</summary>
    UInt8 = 2,
    /// <summary>int8.</summary>
    Int8 = 3,
    /// <summary>uint16.</summary>
    UInt16 = 4,
    /// <summary>int16.</summary>
    Int16 = 5,
    /// <summary>int32: read.</summary>
    Int32 = 6,
    /// <summary>int64: read.</summary>
    Int64 = 7,
    /// <summary>string.</summary>
    String = 8,
    /// <summary>bool.</summary>
    Bool = 9,
    /// <summary>float16.</summary>
    Float16 = 10,
    /// <summary>float64: read.</summary>
    Double = 11,
    /// <summary>uint32.</summary>
    UInt32 = 12,
    /// <summary>uint64.</summary>
    UInt64 = 13,
}

/// <summary>
/// A tensor (TensorProto) with its values decoded, whether the file stored them as typed fields (<c>float_data</c>,
/// <c>int64_data</c>, …) or as little-endian <c>raw_data</c>. Exactly one of the value arrays is set, by
/// <see cref="DataType"/>; its length is the product of <see cref="Dims"/> (checked when read).
/// </summary>
public sealed record OnnxTensor(string Name, OnnxDataType DataType, IReadOnlyList<long> Dims, float[]? Floats = null, double[]? Doubles = null,
    long[]? Int64s = null, int[]? Int32s = null)
{
    /// <summary>The number of elements (the product of the dims; 1 for a scalar).</summary>
    public long Count => Dims.Aggregate(1L, (a, d) => a * d);

    /// <summary>"[64, 3, 7, 7]".</summary>
    public string Shape => "[" + string.Join(", ", Dims) + "]";

    /// <summary>The values as float64, whatever the stored type (for importers that convert).</summary>
    public double[] ToDoubles() =>
        Floats?.Select(f => (double)f).ToArray() ?? Doubles ?? Int64s?.Select(v => (double)v).ToArray() ?? Int32s!.Select(v => (double)v).ToArray();
}

/// <summary>A graph input or output (ValueInfoProto): its name, element type and shape (a dim is a number or a symbol like "N").</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElementType, IReadOnlyList<OnnxDim>? Shape);

/// <summary>One dimension of a value's shape: a fixed size, a symbolic name, or neither (unknown).</summary>
public readonly record struct OnnxDim(long? Value, string? Param)
{
    /// <inheritdoc/>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
