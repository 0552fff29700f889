using ScratchNet.Kernels;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Nn.Onnx;

/// <summary>
/// Turns an ONNX graph into a trainable <see cref="OnnxGraphModule"/>, for the ops CNN classifiers exported from
/// PyTorch, Keras (tf2onnx) and CNTK use (<see cref="SupportedOps"/>). Everything is checked before anything runs:
/// an op, an attribute or an attribute value the module cannot compute exactly is an <see cref="OnnxFormatException"/>
/// naming the node, the op and the attribute, with the list of what is supported — never a silently different model.
/// Weights of Conv, BatchNormalization, Gemm and MatMul become parameters; batch-norm statistics and the constants of
/// Add/Sub/Mul become buffers; Reshape's shape stays a constant.
/// </summary>
public static class OnnxImporter
{
    private sealed record Op(string[] Attributes, Func<Build, Func<Tensor?[], OnnxStep.Context, Tensor>> Compile);

    // What compiling one node can see: the node, its place, the model's initializers, the options.
    private sealed record Build(OnnxNode Node, int Index, string File, IReadOnlyDictionary<string, OnnxTensor> Initializers, OnnxImportOptions Options,
        Func<string, int[]?> ConstantInts, int[] InputShape, List<string> Notes)
    {
        public OnnxFormatException Fail(string problem) => new(File, $"{Node.Describe(Index)}: {problem}");

        public long Int(string name, long fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.Int : fallback;

        public float Float(string name, float fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.Float : fallback;

        public IReadOnlyList<long>? Ints(string name) => Node.Attributes.TryGetValue(name, out var a) ? a.Ints : null;

        public string String(string name, string fallback) => Node.Attributes.TryGetValue(name, out var a) ? a.String : fallback;

        public void Require(bool ok, string attribute, string what)
        {
            if (!ok) throw Fail($"attribute '{attribute}' {what}");
        }

        public void Inputs(int min, int max)
        {
            int n = Node.Inputs.Count;
            while (n > 0 && Node.Inputs[n - 1].Length == 0) n--;
            if (n < min || n > max) throw Fail($"has {n} inputs; {Node.OpType} takes {(min == max ? $"{min}" : $"{min} to {max}")}");
        }

        public void Initializer(int input, string role)
        {
            if (input >= Node.Inputs.Count || !Initializers.ContainsKey(Node.Inputs[input]))
                throw Fail($"its {role} ('{(input < Node.Inputs.Count ? Node.Inputs[input] : "")}') is computed in the graph, not stored; only stored weights are imported");
        }
    }

    /// <summary>The ops the importer takes, each with the attributes it understands.</summary>
    private static readonly Dictionary<string, Op> Ops = new(StringComparer.Ordinal)
    {
        ["Conv"] = new(["kernel_shape", "strides", "pads", "dilations", "group", "auto_pad"], Conv),
        ["BatchNormalization"] = new(["epsilon", "momentum", "spatial", "training_mode", "is_test"], BatchNorm),
        ["Relu"] = new([], b => { b.Inputs(1, 1); return (x, _) => F.Relu(x[0]!); }),
        ["Sigmoid"] = new([], b => { b.Inputs(1, 1); return (x, _) => F.Sigmoid(x[0]!); }),
        ["Add"] = new(["broadcast", "axis"], b => Binary(b, F.Add)),
        ["Sub"] = new(["broadcast", "axis"], b => Binary(b, F.Sub)),
        ["Mul"] = new(["broadcast", "axis"], b => Binary(b, F.Mul)),
        ["MaxPool"] = new(["kernel_shape", "strides", "pads", "dilations", "ceil_mode", "storage_order", "auto_pad"], MaxPool),
        ["AveragePool"] = new(["kernel_shape", "strides", "pads", "ceil_mode", "count_include_pad", "auto_pad"], AveragePool),
        ["GlobalAveragePool"] = new([], b => { b.Inputs(1, 1); return (x, _) => F.AdaptiveAvgPool2d(x[0]!); }),
        ["Gemm"] = new(["alpha", "beta", "transA", "transB", "broadcast"], Gemm),
        ["MatMul"] = new([], b => { b.Inputs(2, 2); return (x, _) => F.MatMul(x[0]!, x[1]!); }),
        ["Flatten"] = new(["axis"], Flatten),
        ["Reshape"] = new(["shape"], Reshape),
        ["Concat"] = new(["axis"], b =>
        {
            b.Require(b.Int("axis", 1) == 1, "axis", $"is {b.Int("axis", 1)}; only channel concatenation (axis 1) is supported");
            return (x, _) => F.Cat(x.Where(t => t is not null).Select(t => t!).ToArray());
        }),
        ["Dropout"] = new(["ratio", "is_test", "seed"], Dropout),
        ["Identity"] = new([], b => { b.Inputs(1, 1); return (x, _) => x[0]!; }),
    };

    /// <summary>The ONNX ops the importer takes (and Constant, whose values it folds).</summary>
    public static IReadOnlyList<string> SupportedOps { get; } = Ops.Keys.Append("Constant").Order(StringComparer.Ordinal).ToList();

    /// <summary>Reads and imports <paramref name="path"/>.</summary>
    public static OnnxGraphModule Import(string path, OnnxImportOptions? options = null) => Import(OnnxReader.Read(path), path, options);

    /// <summary>Imports <paramref name="model"/> (read from <paramref name="file"/>, which errors name).</summary>
    public static OnnxGraphModule Import(OnnxModel model, string file, OnnxImportOptions? options = null)
    {
        options ??= new OnnxImportOptions();
        var g = model.Graph;
        var initializers = g.Initializers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var inputs = g.Inputs.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1)
            throw new OnnxFormatException(file, $"graph: has {inputs.Count} inputs besides its weights ({string.Join(", ", inputs.Select(i => i.Name))}); one image input is imported");
        var input = inputs[0];
        if (input.Shape is not { Count: 4 } shape || shape[1].Value is not > 0)
            throw new OnnxFormatException(file, $"graph: input '{input.Name}' has shape [{string.Join(", ", input.Shape ?? [])}]; an image model's input is 4-D [N, C, H, W] with a fixed C");
        if (input.ElementType is not (OnnxDataType.Float or OnnxDataType.Undefined))
            throw new OnnxFormatException(file, $"graph: input '{input.Name}' is {input.ElementType}; float32 images are imported");
        int[] inputShape = shape.Select(d => (int)(d.Value ?? 1)).ToArray();
        if (g.Outputs.Count != 1) throw new OnnxFormatException(file, $"graph: has {g.Outputs.Count} outputs; one is imported");

        // Check every node before building anything: op, attributes, and that every input exists by then.
        var known = new HashSet<string>(initializers.Keys, StringComparer.Ordinal) { input.Name };
        var constants = new Dictionary<string, OnnxTensor>(StringComparer.Ordinal);
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var node = g.Nodes[i];
            if (node.Domain is not ("" or "ai.onnx"))
                throw new OnnxFormatException(file, $"{node.Describe(i)}: op domain '{node.Domain}' is not ONNX's; supported ops: {string.Join(", ", SupportedOps)}");
            if (node.OpType == "Constant")
            {
                if (!node.Attributes.TryGetValue("value", out var v) || v.Tensor is null)
                    throw new OnnxFormatException(file, $"{node.Describe(i)}: only a tensor 'value' is supported for Constant");
                constants[node.Outputs[0]] = v.Tensor with { Name = node.Outputs[0] };
                known.Add(node.Outputs[0]);
                continue;
            }
            if (!Ops.TryGetValue(node.OpType, out var op))
                throw new OnnxFormatException(file, $"{node.Describe(i)}: the op {node.OpType} is not supported; supported ops: {string.Join(", ", SupportedOps)}");
            foreach (var a in node.Attributes.Keys)
                if (!op.Attributes.Contains(a))
                    throw new OnnxFormatException(file, $"{node.Describe(i)}: attribute '{a}' is not supported ({node.OpType} takes {(op.Attributes.Length == 0 ? "none" : string.Join(", ", op.Attributes))})");
            foreach (var x in node.Inputs.Where(x => x.Length > 0))
                if (!known.Contains(x))
                    throw new OnnxFormatException(file, $"{node.Describe(i)}: reads '{x}', which no earlier node makes (the graph is not in topological order, or is cut)");
            if (node.Outputs.Count == 0) throw new OnnxFormatException(file, $"{node.Describe(i)}: has no output");
            known.UnionWith(node.Outputs);
        }
        if (!known.Contains(g.Outputs[0].Name))
            throw new OnnxFormatException(file, $"graph: output '{g.Outputs[0].Name}' is made by no node");

        var all = new Dictionary<string, OnnxTensor>(initializers, StringComparer.Ordinal);
        foreach (var (k, v) in constants) all[k] = v;
        int[]? ConstantInts(string name) => all.TryGetValue(name, out var t) && (t.Int64s is not null || t.Int32s is not null)
            ? (t.Int64s?.Select(v => checked((int)v)) ?? t.Int32s!).ToArray() : null;

        var notes = new List<string>();
        var steps = new List<OnnxStep>();
        for (int i = 0; i < g.Nodes.Count; i++)
        {
            var node = g.Nodes[i];
            if (node.OpType == "Constant") continue;
            var b = new Build(node, i, file, all, options, ConstantInts, inputShape, notes);
            steps.Add(new OnnxStep(node, Ops[node.OpType].Compile(b)));
        }

        // Which stored tensors become what: learnable weights, buffers (statistics, constants), or host constants.
        var roles = new Dictionary<string, bool>(StringComparer.Ordinal);   // name → learnable
        foreach (var node in g.Nodes)
        {
            void Mark(int input, bool learnable)
            {
                if (input < node.Inputs.Count && all.ContainsKey(node.Inputs[input]) && ConstantInts(node.Inputs[input]) is null)
                    roles[node.Inputs[input]] = learnable || roles.GetValueOrDefault(node.Inputs[input]);
            }
            switch (node.OpType)
            {
                case "Conv" or "Gemm": Mark(1, true); Mark(2, true); break;
                case "MatMul": Mark(0, true); Mark(1, true); break;
                case "BatchNormalization": Mark(1, true); Mark(2, true); Mark(3, false); Mark(4, false); break;
                case "Add" or "Sub" or "Mul" or "Concat": for (int k = 0; k < node.Inputs.Count; k++) Mark(k, false); break;
            }
        }
        var device = options.Device ?? Device.Cpu;
        var state = roles.Select(r => (r.Key, ToTensor(all[r.Key], options.DType, device), r.Value)).ToList();
        var hostConstants = all.Where(kv => !roles.ContainsKey(kv.Key) && ConstantInts(kv.Key) is null && kv.Value.Count > 0 && IsUsed(g, kv.Key))
            .ToDictionary(kv => kv.Key, kv => ToTensor(kv.Value, options.DType, device), StringComparer.Ordinal);
        return new OnnxGraphModule(input.Name, inputShape, g.Outputs[0].Name, steps, state, hostConstants, notes);
    }

    private static bool IsUsed(OnnxGraph g, string name) => g.Nodes.Any(n => n.OpType != "Constant" && n.Inputs.Contains(name));

    private static Tensor ToTensor(OnnxTensor t, DType dtype, Device device)
    {
        int[] dims = t.Dims.Select(d => checked((int)d)).ToArray();
        if (dims.Length == 0) dims = [1];
        return dtype == DType.Float32 && t.Floats is not null
            ? TensorScope.Untrack(Tensor.FromArray(t.Floats, dims, device))
            : TensorScope.Untrack(Tensor.FromDoubles(t.ToDoubles(), dims, dtype, device));
    }

    // ONNX's pads [x1_begin, x2_begin, x1_end, x2_end] for 2-D: top, left, bottom, right.
    private static Padding2d Pads(Build b)
    {
        string auto = b.String("auto_pad", "NOTSET");
        b.Require(auto is "NOTSET" or "VALID", "auto_pad", $"is {auto}; give explicit pads (NOTSET) or VALID");
        var pads = b.Ints("pads");
        if (pads is null || auto == "VALID") return 0;
        b.Require(pads.Count == 4, "pads", $"has {pads.Count} values; a 2-D window takes 4 (top, left, bottom, right)");
        b.Require(pads.All(p => p >= 0), "pads", "is negative");
        return new Padding2d((int)pads[0], (int)pads[1], (int)pads[2], (int)pads[3]);
    }

    private static int Stride(Build b)
    {
        var strides = b.Ints("strides") ?? [1, 1];
        b.Require(strides.Count == 2 && strides[0] == strides[1] && strides[0] > 0, "strides", $"is [{string.Join(", ", strides)}]; equal positive strides in both directions are supported");
        return (int)strides[0];
    }

    private static void NoDilation(Build b)
    {
        var d = b.Ints("dilations");
        b.Require(d is null || d.All(v => v == 1), "dilations", $"is [{string.Join(", ", d ?? [])}]; only dilation 1 is supported");
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Conv(Build b)
    {
        b.Inputs(2, 3);
        b.Initializer(1, "weight");
        if (b.Node.Inputs.Count > 2 && b.Node.Inputs[2].Length > 0) b.Initializer(2, "bias");
        NoDilation(b);
        b.Require(b.Int("group", 1) == 1, "group", $"is {b.Int("group", 1)}; only group 1 (no grouped or depthwise convolution) is supported");
        var w = b.Initializers[b.Node.Inputs[1]];
        b.Require(w.Dims.Count == 4, "kernel_shape", $"comes with a {w.Dims.Count}-D weight {w.Shape}; 2-D convolutions take [out, in, kh, kw]");
        var k = b.Ints("kernel_shape");
        b.Require(k is null || (k.Count == 2 && k[0] == w.Dims[2] && k[1] == w.Dims[3]), "kernel_shape", $"[{string.Join(", ", k ?? [])}] disagrees with the weight {w.Shape}");
        int stride = Stride(b);
        var pad = Pads(b);
        return (x, _) => F.Conv2d(x[0]!, x[1]!, x.Length > 2 ? x[2] : null, stride, pad);
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> BatchNorm(Build b)
    {
        b.Inputs(5, 5);
        for (int i = 1; i < 5; i++) b.Initializer(i, i switch { 1 => "scale", 2 => "bias", 3 => "mean", _ => "variance" });
        b.Require(b.Int("spatial", 1) == 1, "spatial", "is 0 (per-activation statistics); only spatial batch norm is supported");
        b.Require(b.Int("training_mode", 0) == 0, "training_mode", "is 1; export the model in inference mode");
        if (b.Node.Outputs.Count > 1 && b.Node.Outputs.Skip(1).Any(o => o.Length > 0))
            throw b.Fail("uses the running-statistics outputs of a training-mode BatchNormalization; export in inference mode");
        double eps = b.Float("epsilon", 1e-5f);
        double momentum = 1 - b.Float("momentum", 0.9f);   // ONNX: running = running·m + batch·(1 − m); PyTorch's momentum is 1 − m
        return (x, c) => F.BatchNorm2d(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, c.Training, momentum, eps);
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Binary(Build b, Func<Tensor, Tensor, Tensor> op)
    {
        b.Inputs(2, 2);
        // Opset < 7 broadcast with an axis; from 7 on, NumPy-style (trailing-aligned), which is what the kernels do.
        b.Require(!b.Node.Attributes.ContainsKey("axis"), "axis", "(opset < 7 broadcasting along an axis) is not supported; re-export at opset ≥ 7");
        return (x, _) => op(x[0]!, x[1]!);
    }

    private static int SquareKernel(Build b)
    {
        var k = b.Ints("kernel_shape");
        b.Require(k is { Count: 2 } && k[0] == k[1] && k[0] > 0, "kernel_shape", $"is [{string.Join(", ", k ?? [])}]; square 2-D windows are supported");
        return (int)k![0];
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> MaxPool(Build b)
    {
        b.Inputs(1, 1);
        if (b.Node.Outputs.Count > 1 && b.Node.Outputs[1].Length > 0) throw b.Fail("uses MaxPool's Indices output, which is not supported");
        NoDilation(b);
        b.Require(b.Int("ceil_mode", 0) == 0, "ceil_mode", "is 1; only floor mode is supported");
        b.Require(b.Int("storage_order", 0) == 0, "storage_order", "is 1 (column-major indices); not supported");
        int k = SquareKernel(b), stride = Stride(b);
        var pad = Pads(b);
        b.Require(2 * Math.Max(Math.Max(pad.Top, pad.Bottom), Math.Max(pad.Left, pad.Right)) <= k, "pads", $"{pad} is more than half the window {k} on some side");
        return (x, _) => F.MaxPool2d(x[0]!, k, stride, pad);
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> AveragePool(Build b)
    {
        b.Inputs(1, 1);
        b.Require(b.Int("ceil_mode", 0) == 0, "ceil_mode", "is 1; only floor mode is supported");
        int k = SquareKernel(b), stride = Stride(b);
        var pad = Pads(b);
        b.Require(pad == 0 || b.Int("count_include_pad", 0) == 1, "count_include_pad",
            "is 0 with padding (the divisor would count only the pixels inside); only zero padding or count_include_pad 1 is supported");
        // A window as large as the graph's own last map (ResNet's 7×7 at 224 px) pools globally: with another input
        // size the same intent is a global average pool, which the importer uses when asked for one.
        if (b.Options.InputSize is int size && size != b.InputShape[2] && pad == 0 && k == b.InputShape[2] / 32 && stride is 1 or 7)
        {
            b.Notes.Add($"{b.Node.Describe(b.Index)}: the fixed {k}×{k} average pool (the whole {k}×{k} map at {b.InputShape[2]} px) is a global average pool at {size} px");
            return (x, _) => F.AdaptiveAvgPool2d(x[0]!);
        }
        return (x, _) => F.AvgPool2d(x[0]!, k, stride, pad);
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Gemm(Build b)
    {
        b.Inputs(2, 3);
        b.Require(b.Int("transA", 0) == 0, "transA", "is 1; only A as [N, K] is supported");
        bool transB = b.Int("transB", 0) == 1;
        double alpha = b.Float("alpha", 1f), beta = b.Float("beta", 1f);
        return (x, _) =>
        {
            var a = x[0]!;
            if (a.Rank != 2) a = F.Flatten(a, 1);
            // transB: B is [out, in] (a Linear layer's weight); else [in, out].
            var y = transB ? F.Linear(a, x[1]!) : F.MatMul(a, x[1]!);
            if (alpha != 1) y = F.Scale(y, alpha);
            if (x.Length > 2 && x[2] is { } c) y = F.Add(y, beta == 1 ? c : F.Scale(c, beta));
            return y;
        };
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Flatten(Build b)
    {
        b.Inputs(1, 1);
        int axis = (int)b.Int("axis", 1);
        b.Require(axis >= 0, "axis", $"is {axis}; a non-negative axis is supported");
        return (x, _) =>
        {
            var t = x[0]!;
            long outer = t.Shape.Take(axis).Aggregate(1L, (p, d) => p * d);
            return F.Reshape(t, checked((int)outer), checked((int)(t.Numel / Math.Max(outer, 1))));
        };
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Reshape(Build b)
    {
        int[] shape;
        if (b.Ints("shape") is { } attr) { b.Inputs(1, 1); shape = attr.Select(v => checked((int)v)).ToArray(); }   // opset < 5
        else
        {
            b.Inputs(2, 2);
            shape = b.ConstantInts(b.Node.Inputs[1]) ?? throw b.Fail($"its shape ('{b.Node.Inputs[1]}') is computed in the graph; only a constant shape is supported");
        }
        if (shape.Count(d => d == -1) > 1 || shape.Any(d => d < -1)) throw b.Fail($"shape [{string.Join(", ", shape)}] is not a valid reshape");
        return (x, _) =>
        {
            var t = x[0]!;
            // ONNX: 0 copies the input's dim, -1 takes what remains.
            var dims = shape.Select((d, i) => d == 0 ? t.Dim(i) : d).ToArray();
            int free = Array.IndexOf(dims, -1);
            if (free >= 0) dims[free] = (int)(t.Numel / dims.Where((_, i) => i != free).Aggregate(1L, (p, d) => p * d));
            return F.Reshape(t, dims);
        };
    }

    private static Func<Tensor?[], OnnxStep.Context, Tensor> Dropout(Build b)
    {
        b.Inputs(1, 3);
        double ratio = b.Float("ratio", 0.5f);
        if (b.Node.Inputs.Count > 1 && b.Node.Inputs[1].Length > 0)
        {
            if (!b.Initializers.TryGetValue(b.Node.Inputs[1], out var r) || r.Count != 1) throw b.Fail("its ratio is computed in the graph; only a constant ratio is supported");
            ratio = r.ToDoubles()[0];
        }
        if (b.Node.Outputs.Count > 1 && b.Node.Outputs[1].Length > 0) throw b.Fail("uses Dropout's mask output, which is not supported");
        return (x, c) => c.Training ? F.Dropout(x[0]!, ratio, true, c.NextSeed()) : x[0]!;
    }
}
