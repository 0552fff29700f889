using System.Diagnostics;
using ScratchNet.Nn.Onnx;
using static ScratchNet.Tests.Onnx.OnnxProto;

namespace ScratchNet.Tests.Onnx;

/// <summary>
/// The ONNX reader: a model built field by field (both the packed and the one-per-tag forms, raw and typed data) reads
/// back exactly; every kind of damage is an <see cref="OnnxFormatException"/> that says what and where; 3,000 fuzzed
/// files never give another exception; and the real ImageNet ResNet-18 from Microsoft.ML.DnnImageFeaturizer.ResNet18
/// reads with the facts its issue lists (CNTK, opset 8, asymmetric pads, 110 float initializers).
/// </summary>
public sealed class OnnxReaderTests
{
    private static readonly float[] Weights = Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => i * 0.25f - 3).ToArray();

    // A conv → relu → flatten → gemm classifier with weights stored raw and typed, and ints both packed and not.
    private static byte[] SmallModel()
    {
        var graph = new ProtoWriter()
            .Message(1, Node("Conv", "conv1", ["x", "w", "b"], ["c"],
                IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("pads", [1, 1, 0, 0], packed: false), IntsAttribute("strides", [2, 2])))
            .Message(1, Node("Relu", "", ["c"], ["r"]))
            .Message(1, Node("Flatten", "flat", ["r"], ["f"], new ProtoWriter().String(1, "axis").Varint(3, 1)))          // no type field: inferred
            .Message(1, Node("Gemm", "fc", ["f", "fc.w", "fc.b"], ["y"],
                new ProtoWriter().String(1, "alpha").Varint(20, 1).Float(2, 1f), new ProtoWriter().String(1, "transB").Varint(20, 2).Varint(3, 1)))
            .String(2, "small")
            .Message(5, FloatTensorRaw("w", [2, 3, 3, 3], Weights))
            .Message(5, FloatTensorTyped("b", [2], [0.5f, -0.5f]))
            .Message(5, FloatTensorTyped("fc.w", [4, 8], Enumerable.Range(0, 32).Select(i => (float)i).ToArray()))
            .Message(5, FloatTensorRaw("fc.b", [4], [1, 2, 3, 4]))
            .Message(5, Int64Tensor("shape", [2], [-1, 8]))
            .Message(11, ValueInfo("x", "N", 3, 4, 4))
            .Message(12, ValueInfo("y", "N", 4))
            .Varint(99, 12345);   // a field this reader does not know: skipped, as protobuf requires
        return Model(graph).ToArray();
    }

    [Fact]
    public void ASmallModelReadsBackExactly()
    {
        var model = OnnxReader.Read(SmallModel(), "small.onnx");
        Assert.Equal(7, model.IrVersion);
        Assert.Equal(13, model.DefaultOpset);
        Assert.Equal("scratchnet-test", model.ProducerName);
        var g = model.Graph;
        Assert.Equal("small", g.Name);
        Assert.Equal(["Conv", "Relu", "Flatten", "Gemm"], g.Nodes.Select(n => n.OpType));
        var conv = g.Nodes[0];
        Assert.Equal(["x", "w", "b"], conv.Inputs);
        Assert.Equal([1L, 1, 0, 0], conv.Attributes["pads"].Ints);
        Assert.Equal([2L, 2], conv.Attributes["strides"].Ints);
        Assert.Equal(OnnxAttributeType.Int, g.Nodes[2].Attributes["axis"].Type);
        Assert.Equal(1, g.Nodes[2].Attributes["axis"].Int);
        Assert.Equal(1f, g.Nodes[3].Attributes["alpha"].Float);
        Assert.Equal("node 1 (Relu)", g.Nodes[1].Describe(1));

        var w = g.Initializers.Single(t => t.Name == "w");
        Assert.Equal([2L, 3, 3, 3], w.Dims);
        Assert.Equal(Weights, w.Floats);
        Assert.Equal([0.5f, -0.5f], g.Initializers.Single(t => t.Name == "b").Floats!);
        Assert.Equal([1f, 2, 3, 4], g.Initializers.Single(t => t.Name == "fc.b").Floats!);
        Assert.Equal([-1L, 8], g.Initializers.Single(t => t.Name == "shape").Int64s!);
        Assert.Equal("[4, 8]", g.Initializers.Single(t => t.Name == "fc.w").Shape);

        var x = Assert.Single(g.Inputs);
        Assert.Equal("x", x.Name);
        Assert.Equal(OnnxDataType.Float, x.ElementType);
        Assert.Equal("N,3,4,4", string.Join(",", x.Shape!));
    }

    public static TheoryData<string, byte[], string> Damaged() => new()
    {
        { "empty", [], "is empty (0 bytes)" },
        { "text", "hello, I am not a model\n"u8.ToArray(), "model:" },
        { "no graph", new ProtoWriter().Varint(1, 7).ToArray(), "has no graph" },
        { "truncated", SmallModel()[..200], "the file is truncated" },
        { "length past the end", [.. new ProtoWriter().Varint(1, 7).ToArray(), 0x3A, 0xFF, 0xFF, 0x03, 1, 2, 3], "but only 3 remain" },
        { "varint of 11 bytes", [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], "longer than 10 bytes" },
        { "field 0", [0x00, 0x01], "field number 0" },
        { "raw data of the wrong size", Model(new ProtoWriter().Message(5, new ProtoWriter().PackedInt64s(1, [2, 3]).Varint(2, 1).String(8, "w").Bytes(9, new byte[20]))).ToArray(),
            "tensor 'w' has shape [2, 3] of Float: 24 bytes, but its raw_data has 20" },
        { "typed data of the wrong count", Model(new ProtoWriter().Message(5, FloatTensorTyped("b", [3], [1f, 2f]))).ToArray(), "tensor 'b' has shape [3]: 3 values, but the file holds 2" },
        { "negative dim", Model(new ProtoWriter().Message(5, FloatTensorTyped("n", [-2], []))).ToArray(), "tensor 'n' has a negative dimension" },
        { "huge shape", Model(new ProtoWriter().Message(5, FloatTensorTyped("h", [1L << 40, 1L << 40], []))).ToArray(), "more elements than an array holds" },
        { "float16", Model(new ProtoWriter().Message(5, new ProtoWriter().PackedInt64s(1, [1]).Varint(2, 10).String(8, "half").Bytes(9, new byte[2]))).ToArray(),
            "tensor 'half' holds Float16; this reader takes float32, float64, int64 and int32" },
        { "external data", Model(new ProtoWriter().Message(5, new ProtoWriter().PackedInt64s(1, [1]).Varint(2, 1).String(8, "ext").Varint(14, 1))).ToArray(), "external file" },
        { "two initializers of one name", Model(new ProtoWriter().Message(5, FloatTensorRaw("w", [1], [1])).Message(5, FloatTensorRaw("w", [1], [2]))).ToArray(), "two initializers are called 'w'" },
        { "node without op", Model(new ProtoWriter().Message(1, new ProtoWriter().String(3, "lost"))).ToArray(), "graph › node 0: has no op_type" },
        { "packed floats not a multiple of 4", Model(new ProtoWriter().Message(5, new ProtoWriter().PackedInt64s(1, [1]).Varint(2, 1).String(8, "odd").Bytes(4, new byte[5]))).ToArray(), "not a multiple of 4" },
    };

    [Theory]
    [MemberData(nameof(Damaged))]
    public void DamageIsAnOnnxFormatExceptionSayingWhatAndWhere(string kind, byte[] bytes, string expected)
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(bytes, "model.onnx"));
        Assert.StartsWith("model.onnx: ", e.Message);
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{kind}: {e.Message}");
    }

    [Fact]
    public void FilesThatAreNotOnnxFilesAreRefusedInWords()
    {
        string dir = Directory.CreateTempSubdirectory("scratchnet-onnx-").FullName;
        try
        {
            Assert.Contains("is a folder", Assert.Throws<OnnxFormatException>(() => OnnxReader.Read(dir)).Message);
            Assert.Throws<FileNotFoundException>(() => OnnxReader.Read(Path.Combine(dir, "missing.onnx")));
            if (File.Exists("/dev/zero"))
                Assert.Contains("not a regular file", Assert.Throws<OnnxFormatException>(() => OnnxReader.Read("/dev/zero")).Message);
            string path = Path.Combine(dir, "small.onnx");
            File.WriteAllBytes(path, SmallModel());
            Assert.Equal(4, OnnxReader.Read(path).Graph.Nodes.Count);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void FuzzedFilesAreReadOrRefusedWithOnnxFormatExceptionOnly()
    {
        byte[] valid = SmallModel();
        var rng = new Random(20261206);
        int read = 0, refused = 0;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3000; i++)
        {
            byte[] b = (byte[])valid.Clone();
            switch (rng.Next(5))
            {
                case 0: for (int k = rng.Next(1, 5); k > 0; k--) b[rng.Next(b.Length)] ^= (byte)(1 << rng.Next(8)); break;   // flip bits
                case 1: b = b[..rng.Next(b.Length)]; break;                                                                     // truncate
                case 2: b[rng.Next(b.Length)] = (byte)rng.Next(256); break;                                                       // one byte
                case 3: { int at = rng.Next(b.Length); b = [.. b[..at], 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, .. b[at..]]; break; }        // a huge varint
                default: { int at = rng.Next(b.Length - 8); rng.NextBytes(b.AsSpan(at, 8)); break; }                             // 8 random bytes
            }
            try
            {
                var m = OnnxReader.Read(b, $"fuzz-{i}.onnx");
                foreach (var t in m.Graph.Initializers) Assert.Equal(t.Count, t.ToDoubles().Length);
                read++;
            }
            catch (OnnxFormatException) { refused++; }
        }
        Assert.True(refused > 1000 && read > 10, $"{read} read, {refused} refused: the mutations do not exercise both outcomes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"3000 fuzzed reads took {clock.Elapsed}");
    }

    [Fact]
    public void TheImageNetResNet18ReadsWithTheFactsOfItsExport()
    {
        var clock = Stopwatch.StartNew();
        var model = OnnxReader.Read(ResNetPackage.Model);
        var elapsed = clock.Elapsed;
        Assert.Equal(3, model.IrVersion);
        Assert.Equal(8, model.DefaultOpset);
        Assert.Equal("CNTK", model.ProducerName);
        var g = model.Graph;
        var input = g.Inputs.Single(i => g.Initializers.All(t => t.Name != i.Name));
        Assert.Equal("Input247", input.Name);
        Assert.Equal("1,3,224,224", string.Join(",", input.Shape!));
        var output = Assert.Single(g.Outputs);
        Assert.Equal("Pooling395_Output_0", output.Name);
        Assert.Equal("1,512,1,1", string.Join(",", output.Shape!));

        Assert.Equal(110, g.Initializers.Count);
        Assert.All(g.Initializers, t => Assert.Equal(OnnxDataType.Float, t.DataType));
        long parameters = g.Initializers.Sum(t => t.Count);
        // torchvision's ResNet-18 trunk holds 11.18 M values (with BN statistics); this one has a third basic block in
        // its last stage (2 × 512·512·3·3 + BN = 4.72 M more): 15.9 M, the 63.6 MB of the file in float32.
        Assert.Equal(15_908_800, parameters);

        var ops = g.Nodes.GroupBy(n => n.OpType).ToDictionary(x => x.Key, x => x.Count());
        Assert.Equal(22, ops["Conv"]);
        Assert.Equal(22, ops["BatchNormalization"]);
        Assert.Equal(19, ops["Relu"]);
        Assert.Equal(9, ops["Add"]);
        Assert.Equal(1, ops["MaxPool"]);
        Assert.Equal(1, ops["AveragePool"]);

        // CNTK's asymmetric padding: the stem 7×7/2 pads [3,3,2,2], the max-pool [1,1,0,0], every 3×3/2 conv [1,1,0,0].
        var convs = g.Nodes.Where(n => n.OpType == "Conv").ToList();
        Assert.Equal([7L, 7], convs[0].Attributes["kernel_shape"].Ints);
        Assert.Equal([3L, 3, 2, 2], convs[0].Attributes["pads"].Ints);
        Assert.Equal([1L, 1, 0, 0], g.Nodes.Single(n => n.OpType == "MaxPool").Attributes["pads"].Ints);
        var strided3x3 = convs.Where(c => c.Attributes["kernel_shape"].Ints!.SequenceEqual([3L, 3]) && c.Attributes["strides"].Ints!.SequenceEqual([2L, 2])).ToList();
        Assert.Equal(3, strided3x3.Count);
        Assert.All(strided3x3, c => Assert.Equal([1L, 1, 0, 0], c.Attributes["pads"].Ints));
        Assert.Equal([7L, 7], g.Nodes.Single(n => n.OpType == "AveragePool").Attributes["kernel_shape"].Ints);
        Assert.All(g.Nodes.Where(n => n.OpType == "BatchNormalization"), n => Assert.Equal(1e-5f, n.Attributes["epsilon"].Float, 1e-9f));
        // Every node's inputs are produced before it: initializers, the graph input, or an earlier node's output.
        var known = new HashSet<string>(g.Initializers.Select(t => t.Name).Append(input.Name));
        foreach (var (n, i) in g.Nodes.Select((n, i) => (n, i)))
        {
            Assert.All(n.Inputs.Where(x => x.Length > 0), x => Assert.True(known.Contains(x), $"{n.Describe(i)} reads '{x}' before it is made"));
            known.UnionWith(n.Outputs);
        }
        Assert.Contains(output.Name, known);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"reading 63.6 MB took {elapsed}");
        Console.WriteLine($"ResNet18.onnx: {g.Nodes.Count} nodes, {parameters:N0} values, read in {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public void TheResNetPreprocessingModelIsAChannelSwapAndAMeanImage()
    {
        var model = OnnxReader.Read(ResNetPackage.Preprocess);
        var g = model.Graph;
        var mean = g.Initializers.Single(t => t.Count == 3 * 224 * 224);
        Assert.Equal([1L, 3, 224, 224], mean.Dims);
        // Per-channel means of the mean image, in BGR order on a 0-255 scale (about 103.1, 115.9, 123.2).
        var channelMeans = Enumerable.Range(0, 3).Select(c => mean.Floats!.Skip(c * 224 * 224).Take(224 * 224).Average(v => (double)v)).ToArray();
        Assert.InRange(channelMeans[0], 102.5, 103.7);
        Assert.InRange(channelMeans[1], 115.3, 116.5);
        Assert.InRange(channelMeans[2], 122.6, 123.8);
        Assert.Contains(g.Nodes, n => n.OpType == "Sub");
    }
}
