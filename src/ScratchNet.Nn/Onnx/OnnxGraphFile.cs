using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Onnx;

/// <summary>What <see cref="OnnxGraphFile.Save"/> wrote and found.</summary>
/// <param name="Path">The safetensors file.</param>
/// <param name="OpCounts">Op → nodes, most frequent first.</param>
/// <param name="Values">Stored values (weights, statistics, constants).</param>
/// <param name="Parameters">Learnable values.</param>
/// <param name="InputShape">The graph input's shape ([N, C, H, W] with N from the file).</param>
/// <param name="OutputShape">The output's shape for one image of that input size.</param>
/// <param name="Notes">What the importer changed, in words.</param>
public sealed record OnnxImportSummary(string Path, IReadOnlyList<(string Op, int Count)> OpCounts, long Values, long Parameters,
    IReadOnlyList<int> InputShape, IReadOnlyList<int> OutputShape, IReadOnlyList<string> Notes);

/// <summary>
/// An imported ONNX model as one safetensors file: every stored tensor under its ONNX name (float32 weights, int64
/// constants), and in the header's <c>__metadata__</c> the graph itself as JSON (<c>onnx_graph</c>: nodes with
/// their ops, inputs, outputs and attributes; the input and output). Loading rebuilds the module through
/// <see cref="OnnxImporter"/> — the same checks, no protobuf — so training never re-parses the ONNX file. One file,
/// written atomically: a kill while importing leaves the old file or the new one.
/// </summary>
public static class OnnxGraphFile
{
    /// <summary>The <c>__metadata__</c> key holding the graph.</summary>
    public const string GraphKey = "onnx_graph";

    /// <summary>The value of <c>format</c> in the graph JSON.</summary>
    public const string Format = "scratchnet-onnx-graph/1";

    /// <summary>
    /// Imports <paramref name="onnxPath"/> (checking it as <see cref="OnnxImporter"/> does), runs it once on a zero
    /// image to learn the output shape, and writes <paramref name="path"/>.
    /// </summary>
    public static OnnxImportSummary Save(string onnxPath, string path, OnnxImportOptions? options = null)
    {
        var model = OnnxReader.Read(onnxPath);
        options ??= new OnnxImportOptions();
        using var module = OnnxImporter.Import(model, onnxPath, options);
        int size = options.InputSize ?? module.InputShape[2];
        int[] outputShape;
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
        {
            module.Eval();
            using var zero = Tensor.Zeros([1, module.InputShape[1], size, options.InputSize ?? module.InputShape[3]], options.DType, options.Device ?? Device.Cpu);
            outputShape = module.Forward(zero).Shape.ToArray();
        }

        // Stored: the initializers and Constant values the graph reads (unused ones are left out).
        var used = new HashSet<string>(model.Graph.Nodes.SelectMany(n => n.Inputs), StringComparer.Ordinal);
        var stored = model.Graph.Initializers.Where(t => used.Contains(t.Name))
            .Concat(model.Graph.Nodes.Where(n => n.OpType == "Constant").Select(n => n.Attributes["value"].Tensor! with { Name = n.Outputs[0] }))
            .ToList();
        var graph = new JsonObject
        {
            ["format"] = Format,
            ["source"] = System.IO.Path.GetFileName(onnxPath),
            ["producer"] = $"{model.ProducerName} {model.ProducerVersion}".Trim(),
            ["ir_version"] = model.IrVersion,
            ["opset"] = model.DefaultOpset,
            ["input"] = new JsonObject { ["name"] = module.InputName, ["shape"] = Ints(module.InputShape) },
            ["output"] = new JsonObject { ["name"] = module.OutputName, ["shape"] = Ints(outputShape) },
            ["nodes"] = new JsonArray(model.Graph.Nodes.Where(n => n.OpType != "Constant").Select(Node).ToArray()),
        };
        string json = graph.ToJsonString();
        var entries = stored.Select(Entry).ToList();
        AtomicFile.WriteStream(path, s => SafeTensorsFile.Write(s, entries, new Dictionary<string, string> { [GraphKey] = json, ["format"] = "pt" }));

        var counts = model.Graph.Nodes.GroupBy(n => n.OpType).Select(g => (g.Key, g.Count())).OrderByDescending(c => c.Item2).ThenBy(c => c.Key, StringComparer.Ordinal).ToList();
        return new OnnxImportSummary(path, counts, stored.Sum(t => t.Count), module.ParameterCount(), module.InputShape, outputShape, module.Notes);
    }

    /// <summary>Rebuilds the module saved in <paramref name="path"/> (a <see cref="CheckpointFormatException"/> if it is not one).</summary>
    public static OnnxGraphModule Load(string path, OnnxImportOptions? options = null)
    {
        var contents = SafeTensorsFile.Read(path);
        if (!contents.Metadata.TryGetValue(GraphKey, out var json))
            throw new CheckpointFormatException(path, $"has no '{GraphKey}' in its header: not a model written by `scratchnet import`");
        JsonNode graph;
        try { graph = JsonNode.Parse(json) ?? throw new JsonException("empty"); }
        catch (JsonException e) { throw new CheckpointFormatException(path, $"its graph description is not valid JSON ({e.Message})"); }
        if (graph["format"]?.GetValue<string>() != Format)
            throw new CheckpointFormatException(path, $"its graph description has format '{graph["format"]}', expected '{Format}'");
        try
        {
            var input = graph["input"]!;
            var output = graph["output"]!;
            var model = new OnnxModel(graph["ir_version"]!.GetValue<long>(), graph["producer"]?.GetValue<string>() ?? "", "", [new OnnxOpset("", graph["opset"]!.GetValue<long>())],
                new OnnxGraph("imported",
                    graph["nodes"]!.AsArray().Select(n => ReadNode(n!)).ToList(),
                    contents.Tensors.Values.Select(ToOnnx).ToList(),
                    [new OnnxValueInfo(input["name"]!.GetValue<string>(), OnnxDataType.Float, input["shape"]!.AsArray().Select(d => new OnnxDim(d!.GetValue<long>(), null)).ToList())],
                    [new OnnxValueInfo(output["name"]!.GetValue<string>(), OnnxDataType.Float, null)]));
            return OnnxImporter.Import(model, path, options);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new CheckpointFormatException(path, $"its graph description is incomplete or has a value of the wrong kind ({e.Message})");
        }
    }

    private static JsonArray Ints(IEnumerable<int> v) => new(v.Select(x => (JsonNode)x).ToArray());

    private static JsonObject Node(OnnxNode n)
    {
        var attributes = new JsonObject();
        foreach (var (name, a) in n.Attributes)
            attributes[name] = a.Type switch
            {
                OnnxAttributeType.Int => new JsonObject { ["int"] = a.Int },
                OnnxAttributeType.Float => new JsonObject { ["float"] = a.Float },
                OnnxAttributeType.String => new JsonObject { ["string"] = a.String },
                OnnxAttributeType.Ints => new JsonObject { ["ints"] = new JsonArray(a.Ints!.Select(v => (JsonNode)v).ToArray()) },
                OnnxAttributeType.Floats => new JsonObject { ["floats"] = new JsonArray(a.Floats!.Select(v => (JsonNode)v).ToArray()) },
                OnnxAttributeType.Strings => new JsonObject { ["strings"] = new JsonArray(a.Strings!.Select(v => (JsonNode)v).ToArray()) },
                _ => throw new InvalidOperationException($"attribute '{name}' of {n.OpType} has type {a.Type}, which an imported graph does not keep"),
            };
        return new JsonObject
        {
            ["name"] = n.Name,
            ["op"] = n.OpType,
            ["inputs"] = new JsonArray(n.Inputs.Select(i => (JsonNode)i).ToArray()),
            ["outputs"] = new JsonArray(n.Outputs.Select(o => (JsonNode)o).ToArray()),
            ["attributes"] = attributes,
        };
    }

    private static OnnxNode ReadNode(JsonNode n)
    {
        var attributes = new Dictionary<string, OnnxAttribute>(StringComparer.Ordinal);
        foreach (var (name, v) in n["attributes"]!.AsObject())
        {
            var (kind, value) = v!.AsObject().Single();
            attributes[name] = kind switch
            {
                "int" => new OnnxAttribute(name, OnnxAttributeType.Int, Int: value!.GetValue<long>()),
                "float" => new OnnxAttribute(name, OnnxAttributeType.Float, Float: value!.GetValue<float>()),
                "string" => new OnnxAttribute(name, OnnxAttributeType.String, String: value!.GetValue<string>()),
                "ints" => new OnnxAttribute(name, OnnxAttributeType.Ints, Ints: value!.AsArray().Select(x => x!.GetValue<long>()).ToList()),
                "floats" => new OnnxAttribute(name, OnnxAttributeType.Floats, Floats: value!.AsArray().Select(x => x!.GetValue<float>()).ToList()),
                "strings" => new OnnxAttribute(name, OnnxAttributeType.Strings, Strings: value!.AsArray().Select(x => x!.GetValue<string>()).ToList()),
                _ => throw new FormatException($"attribute kind '{kind}'"),
            };
        }
        return new OnnxNode(n["name"]!.GetValue<string>(), n["op"]!.GetValue<string>(), "",
            n["inputs"]!.AsArray().Select(x => x!.GetValue<string>()).ToList(), n["outputs"]!.AsArray().Select(x => x!.GetValue<string>()).ToList(), attributes);
    }

    private static SafeTensorEntry Entry(OnnxTensor t)
    {
        int[] dims = t.Dims.Select(d => checked((int)d)).ToArray();
        return t.DataType switch
        {
            OnnxDataType.Float => SafeTensorEntry.FromFloat32(t.Name, t.Floats, dims),
            OnnxDataType.Double => SafeTensorEntry.FromFloat64(t.Name, t.Doubles, dims),
            OnnxDataType.Int64 => SafeTensorEntry.FromInt64(t.Name, t.Int64s, dims),
            _ => SafeTensorEntry.FromInt32(t.Name, t.Int32s, dims),
        };
    }

    private static OnnxTensor ToOnnx(SafeTensorEntry e)
    {
        var dims = e.Shape.Select(d => (long)d).ToList();
        var bytes = e.Data.Span;
        return e.DType switch
        {
            SafeTensorDType.F32 => new OnnxTensor(e.Name, OnnxDataType.Float, dims, Floats: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray()),
            SafeTensorDType.F64 => new OnnxTensor(e.Name, OnnxDataType.Double, dims, Doubles: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray()),
            SafeTensorDType.I64 => new OnnxTensor(e.Name, OnnxDataType.Int64, dims, Int64s: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(bytes).ToArray()),
            SafeTensorDType.I32 => new OnnxTensor(e.Name, OnnxDataType.Int32, dims, Int32s: System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(bytes).ToArray()),
            _ => throw new FormatException($"tensor '{e.Name}' is {e.DType}"),
        };
    }
}
