using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using ScratchNet.Kernels;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Onnx;
using ScratchNet.Tensors;
using Tensor = ScratchNet.Tensors.Tensor;
using ScratchNet.Tensors.Autograd;
using Xunit.Abstractions;
using static ScratchNet.Tests.Onnx.OnnxProto;

namespace ScratchNet.Tests.Onnx;

/// <summary>
/// The importer against ONNX Runtime (a test-only oracle): the ImageNet ResNet-18 on the repository's images gives
/// the same 512 features to 1e-4, a small graph with every supported op gives the same output on cpu and
/// ilgpu-cpu, gradients through an imported graph pass the float64 finite-difference check, and each unsupported
/// thing is refused before anything runs, naming node, op and attribute.
/// </summary>
public sealed class OnnxImporterTests(ITestOutputHelper output)
{
    // The backbone's own preprocessing (ResNetPreprocess.onnx): RGB → BGR, 0–255, minus the mean image.
    private static float[] Preprocess(string image, float[] meanImage)
    {
        byte[] rgb = ImageDecoder.DecodeRgb(image, 224, 224);
        var chw = new float[3 * 224 * 224];
        for (int c = 0; c < 3; c++)
            for (int p = 0; p < 224 * 224; p++)
                chw[c * 224 * 224 + p] = rgb[p * 3 + (2 - c)] - meanImage[c * 224 * 224 + p];
        return chw;
    }

    private static float[] RunOrt(InferenceSession session, string input, float[] data, int[] shape)
    {
        var tensor = new DenseTensor(data, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        return results.First().AsEnumerable<float>().ToArray();
    }

    private static double RelativeError(float[] ours, float[] theirs) =>
        ours.Zip(theirs, (a, b) => Math.Abs((double)a - b)).Max() / Math.Max(1e-12, theirs.Max(v => Math.Abs((double)v)));

    [Theory]
    [InlineData("cpu", 8)]
    [InlineData("ilgpu-cpu", 2)]   // ILGPU's CPU simulator runs each GPU thread in turn: two images keep it to seconds
    public void TheImportedResNet18GivesOnnxRuntimesFeatures(string deviceName, int count)
    {
        string model = ResNetPackage.Model;
        float[] mean = OnnxReader.Read(ResNetPackage.Preprocess).Graph.Initializers.Single(t => t.Count == 3 * 224 * 224).Floats!;
        var images = Directory.GetFiles(Path.Combine(Repository.Root(), "docs", "images"), "*.png").Order(StringComparer.Ordinal).Take(count).ToArray();
        Assert.Equal(count, images.Length);
        var inputs = images.Select(i => Preprocess(i, mean)).ToArray();

        using var session = new InferenceSession(model);
        var expected = inputs.Select(x => RunOrt(session, "Input247", x, [1, 3, 224, 224])).ToArray();

        var clock = Stopwatch.StartNew();
        var device = Device.Get(deviceName);
        using var net = OnnxImporter.Import(model, new OnnxImportOptions { Device = device });
        net.Eval();
        Assert.Equal(22 + 22 * 2, net.Parameters().Count());         // conv weights; BN scale and bias (the convs have no bias)
        Assert.Equal(22 * 2, net.NamedBuffers().Count());            // BN running mean and variance
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var x = Tensor.FromArray(inputs.SelectMany(v => v).ToArray(), [count, 3, 224, 224], device);
        var y = net.Forward(x);
        Assert.Equal([count, 512, 1, 1], y.Shape);
        var ours = y.ToArray<float>();
        double worst = 0;
        for (int i = 0; i < count; i++)
        {
            double e = RelativeError(ours[(i * 512)..((i + 1) * 512)], expected[i]);
            worst = Math.Max(worst, e);
            Assert.True(e < 1e-4, $"{Path.GetFileName(images[i])}: features differ from ONNX Runtime's by {e:E2} (relative to the largest)");
        }
        output.WriteLine($"ResNet18.onnx, {count} images, batch {count} on {deviceName}: worst relative difference to ONNX Runtime {worst:E2}; import + forward {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void AnotherInputSizeMakesTheFixedFinalPoolGlobalAndSaysSo()
    {
        using var net = OnnxImporter.Import(ResNetPackage.Model, new OnnxImportOptions { InputSize = 96 });
        net.Eval();
        var note = Assert.Single(net.Notes);
        Assert.Contains("fixed 7×7 average pool", note);
        Assert.Contains("global average pool at 96 px", note);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var x = Tensor.Uniform([2, 3, 96, 96], -100, 100, DType.Float32, Device.Cpu, new Random(1));
        Assert.Equal([2, 512, 1, 1], net.Forward(x).Shape);
        // At 224 px nothing is replaced.
        using var plain = OnnxImporter.Import(ResNetPackage.Model, new OnnxImportOptions { InputSize = 224 });
        Assert.Empty(plain.Notes);
    }

    // Every supported op in one graph: conv with asymmetric pads (stored bias), batch norm, relu, max-pool with
    // asymmetric pads, a residual Add, Mul by a stored constant, Sigmoid, Sub, average pool, a Concat of two branches,
    // GlobalAveragePool, Flatten, Dropout, Identity, Reshape with a constant shape, Gemm (transB) and MatMul.
    internal static byte[] EveryOpModel()
    {
        var rng = new Random(5);
        float[] R(int n, double scale = 0.5) => Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2 - 1) * scale)).ToArray();
        float[] P(int n) => Enumerable.Range(0, n).Select(_ => (float)(0.5 + rng.NextDouble())).ToArray();
        var a = (string n, long v) => new ProtoWriter().String(1, n).Varint(20, 2).Varint(3, v);
        var f = (string n, float v) => new ProtoWriter().String(1, n).Varint(20, 1).Float(2, v);
        var graph = new ProtoWriter()
            .Message(1, Node("Conv", "conv1", ["x", "conv1.weight", "conv1.bias"], ["c1"], IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("pads", [1, 1, 0, 0]), IntsAttribute("strides", [2, 2])))
            .Message(1, Node("BatchNormalization", "bn1", ["c1", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], ["b1"], f("epsilon", 1e-5f)))
            .Message(1, Node("Relu", "relu1", ["b1"], ["r1"]))
            .Message(1, Node("MaxPool", "pool1", ["r1"], ["p1"], IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("strides", [1, 1]), IntsAttribute("pads", [0, 1, 1, 0])))
            .Message(1, Node("Conv", "conv2", ["p1", "conv2.weight"], ["c2"], IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("pads", [1, 1, 1, 1])))
            .Message(1, Node("Add", "residual", ["c2", "p1"], ["s1"]))
            .Message(1, Node("Mul", "scale", ["s1", "gain"], ["m1"]))
            .Message(1, Node("Sigmoid", "gate", ["m1"], ["g1"]))
            .Message(1, Node("Sub", "centre", ["g1", "offset"], ["d1"]))
            .Message(1, Node("AveragePool", "avg", ["d1"], ["a1"], IntsAttribute("kernel_shape", [2, 2]), IntsAttribute("strides", [2, 2])))
            .Message(1, Node("Identity", "same", ["a1"], ["i1"]))
            .Message(1, Node("Concat", "cat", ["a1", "i1"], ["k1"], a("axis", 1)))
            .Message(1, Node("GlobalAveragePool", "gap", ["k1"], ["q1"]))
            .Message(1, Node("Flatten", "flat", ["q1"], ["fl"], a("axis", 1)))
            .Message(1, Node("Dropout", "drop", ["fl", "ratio"], ["dr"]))
            .Message(1, Node("Gemm", "fc", ["dr", "fc.weight", "fc.bias"], ["fc1"], a("transB", 1)))
            .Message(1, Node("Reshape", "shape", ["fc1", "shape"], ["rs"]))
            .Message(1, Node("MatMul", "proj", ["rs", "proj.weight"], ["y"]))
            .Message(5, FloatTensorRaw("conv1.weight", [4, 3, 3, 3], R(108)))
            .Message(5, FloatTensorTyped("conv1.bias", [4], R(4)))
            .Message(5, FloatTensorRaw("bn1.weight", [4], P(4)))
            .Message(5, FloatTensorRaw("bn1.bias", [4], R(4)))
            .Message(5, FloatTensorRaw("bn1.running_mean", [4], R(4)))
            .Message(5, FloatTensorRaw("bn1.running_var", [4], P(4)))
            .Message(5, FloatTensorRaw("conv2.weight", [4, 4, 3, 3], R(144, 0.3)))
            .Message(5, FloatTensorRaw("gain", [4, 1, 1], P(4)))
            .Message(5, FloatTensorRaw("offset", [1], [0.5f]))
            .Message(5, FloatTensorRaw("fc.weight", [6, 8], R(48)))
            .Message(5, FloatTensorRaw("fc.bias", [6], R(6)))
            .Message(5, Int64Tensor("shape", [2], [0, -1]))
            .Message(5, FloatTensorRaw("ratio", [], [0.3f]))
            .Message(5, FloatTensorRaw("proj.weight", [6, 3], R(18)))
            .Message(11, ValueInfo("x", "N", 3, 9, 10))
            .Message(12, ValueInfo("y", "N", 3));
        return Model(graph).ToArray();
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void EverySupportedOpMatchesOnnxRuntime(string deviceName)
    {
        byte[] bytes = EveryOpModel();
        var x = Enumerable.Range(0, 2 * 3 * 9 * 10).Select(i => (float)Math.Sin(i * 0.37) * 2).ToArray();
        using var session = new InferenceSession(bytes);
        var expected = RunOrt(session, "x", x, [2, 3, 9, 10]);

        var device = Device.Get(deviceName);
        using var net = OnnxImporter.Import(OnnxReader.Read(bytes, "every-op.onnx"), "every-op.onnx", new OnnxImportOptions { Device = device });
        net.Eval();
        Assert.Equal(18, net.Nodes.Count);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var input = Tensor.FromArray(x, [2, 3, 9, 10], device);
        var y = net.Forward(input);
        Assert.Equal([2, 3], y.Shape);
        double e = RelativeError(y.ToArray<float>(), expected);
        output.WriteLine($"every-op graph on {deviceName}: relative difference to ONNX Runtime {e:E2}");
        Assert.True(e < 1e-5, $"differs from ONNX Runtime by {e:E2}");
    }

    [Fact]
    public void TheStateDictKeepsTheOnnxNamesAndGradientsPassTheFiniteDifferenceCheckInFloat64()
    {
        byte[] bytes = EveryOpModel();
        using var net = OnnxImporter.Import(OnnxReader.Read(bytes, "every-op.onnx"), "every-op.onnx", new OnnxImportOptions { DType = DType.Float64 });
        var state = net.StateDict();
        Assert.Equal(["bn1.bias", "bn1.running_mean", "bn1.running_var", "bn1.weight", "conv1.bias", "conv1.weight", "conv2.weight", "fc.bias", "fc.weight", "gain", "offset", "proj.weight"],
            state.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["bn1.bias", "bn1.weight", "conv1.bias", "conv1.weight", "conv2.weight", "fc.bias", "fc.weight", "proj.weight"],
            net.NamedParameters().Select(p => p.Name).Order(StringComparer.Ordinal));

        // Eval mode (batch norm from its statistics, dropout off): every parameter's gradient by central differences.
        net.Eval();
        using var x = Tensor.Uniform([2, 3, 9, 10], -1, 1, DType.Float64, Device.Cpu, new Random(3));
        var parameters = net.NamedParameters().ToList();
        var (worstRel, _, failures) = ParameterGradCheck.Check(parameters, () => Functional.Sum(Functional.Mul(net.Forward(x), net.Forward(x))), samplesPerParameter: 8);
        output.WriteLine($"imported graph gradcheck (float64): {parameters.Count} tensors, worst relative error {worstRel:E2}");
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // And the input gradient, through every op (asymmetric pads included).
        var check = GradCheck.Check("imported graph", Device.Cpu, DType.Float64, t => net.Forward(t[0]),
            [new GradInput(Enumerable.Range(0, 2 * 3 * 9 * 10).Select(i => Math.Sin(i * 0.61)).ToArray(), [2, 3, 9, 10])]);
        Assert.True(check.Passed, check.ToString());
    }

    private static byte[] WithNode(ProtoWriter node, ProtoWriter? input = null, params ProtoWriter[] initializers)
    {
        var g = new ProtoWriter().Message(1, node);
        foreach (var t in initializers) g.Message(5, t);
        g.Message(11, input ?? ValueInfo("x", 1, 3, 8, 8)).Message(12, ValueInfo("y", 1));
        return Model(g).ToArray();
    }

    public static TheoryData<string, byte[], string> Refusals() => new()
    {
        { "LSTM", WithNode(Node("LSTM", "rnn", ["x"], ["y"])), "node 0 'rnn' (LSTM): the op LSTM is not supported; supported ops: Add, AveragePool, BatchNormalization, Concat, Constant, Conv" },
        { "unknown attribute", WithNode(Node("Relu", "r", ["x"], ["y"], IntsAttribute("fancy", [1]))), "node 0 'r' (Relu): attribute 'fancy' is not supported (Relu takes none)" },
        { "grouped conv", WithNode(Node("Conv", "dw", ["x", "w"], ["y"], new ProtoWriter().String(1, "group").Varint(20, 2).Varint(3, 3)), null, FloatTensorRaw("w", [3, 1, 3, 3], new float[27])),
            "node 0 'dw' (Conv): attribute 'group' is 3; only group 1" },
        { "dilation", WithNode(Node("Conv", "d", ["x", "w"], ["y"], IntsAttribute("dilations", [2, 2])), null, FloatTensorRaw("w", [2, 3, 3, 3], new float[54])), "attribute 'dilations' is [2, 2]; only dilation 1" },
        { "ceil mode", WithNode(Node("MaxPool", "m", ["x"], ["y"], IntsAttribute("kernel_shape", [3, 3]), new ProtoWriter().String(1, "ceil_mode").Varint(20, 2).Varint(3, 1))), "attribute 'ceil_mode' is 1; only floor mode" },
        { "same padding", WithNode(Node("Conv", "s", ["x", "w"], ["y"], new ProtoWriter().String(1, "auto_pad").Varint(20, 3).String(4, "SAME_UPPER")), null, FloatTensorRaw("w", [2, 3, 3, 3], new float[54])), "attribute 'auto_pad' is SAME_UPPER" },
        { "weight computed", WithNode(Node("Conv", "c", ["x", "x"], ["y"])), "its weight ('x') is computed in the graph" },
        { "2-D input", WithNode(Node("Relu", "r", ["x"], ["y"]), ValueInfo("x", "N", 10)), "input 'x' has shape [N, 10]; an image model's input is 4-D" },
        { "dangling input", WithNode(Node("Add", "a", ["x", "nowhere"], ["y"])), "node 0 'a' (Add): reads 'nowhere', which no earlier node makes" },
        { "foreign domain", WithNode(new ProtoWriter().String(1, "x").String(2, "y").String(3, "q").String(4, "QuantizeLinear").String(7, "com.microsoft")), "op domain 'com.microsoft'" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void WhatCannotBeImportedExactlyIsRefusedBeforeAnythingRuns(string kind, byte[] bytes, string expected)
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxImporter.Import(OnnxReader.Read(bytes, "model.onnx"), "model.onnx"));
        Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{kind}: {e.Message}");
    }
}
