using ScratchNet.Kernels;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Onnx;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;
using ScratchNet.Tests.Apps;

namespace ScratchNet.Tests.Onnx;

/// <summary>
/// <c>scratchnet import</c> and the file it writes: one safetensors file with the graph in its header loads back into
/// the same module (same state dict, same outputs) without the ONNX file; the command prints the summary, refuses to
/// overwrite, and refuses a model it cannot import without writing anything.
/// </summary>
public sealed class OnnxGraphFileTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scratchnet-import-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void TheSavedGraphLoadsBackIntoTheSameModuleWithoutTheOnnxFile()
    {
        string onnx = Path.Combine(dir, "every-op.onnx");
        File.WriteAllBytes(onnx, OnnxImporterTests.EveryOpModel());
        string saved = Path.Combine(dir, "model.safetensors");
        var summary = OnnxGraphFile.Save(onnx, saved);
        Assert.Equal([1, 3], summary.OutputShape);
        Assert.Equal([1, 3, 9, 10], summary.InputShape);
        File.Delete(onnx);

        using var direct = OnnxImporter.Import(OnnxReader.Read(OnnxImporterTests.EveryOpModel(), "every-op.onnx"), "every-op.onnx");
        using var loaded = OnnxGraphFile.Load(saved);
        Assert.Equal(direct.Nodes, loaded.Nodes);
        var a = direct.StateDict();
        var b = loaded.StateDict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var k in a.Keys) Assert.Equal(a[k].ToDoubles(), b[k].ToDoubles());
        direct.Eval();
        loaded.Eval();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        using var x = Tensor.Uniform([2, 3, 9, 10], -1, 1, DType.Float32, Device.Cpu, new Random(4));
        Assert.Equal(direct.Forward(x).ToArray<float>(), loaded.Forward(x).ToArray<float>());
    }

    [Fact]
    public void AnOrdinaryCheckpointIsNotAnImportedGraph()
    {
        string path = Path.Combine(dir, "plain.safetensors");
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat32("w", [1f, 2f], [2])]);
        Assert.Contains("has no 'onnx_graph' in its header: not a model written by `scratchnet import`",
            Assert.Throws<CheckpointFormatException>(() => OnnxGraphFile.Load(path)).Message);
    }

    [Fact]
    public void TheImportCommandSummarisesWritesAndRefusesToOverwrite()
    {
        string outDir = Path.Combine(dir, "resnet");
        var (code, stdout, stderr) = Cli.Run("import", ResNetPackage.Model, "--out", outDir, "--input-size", "96");
        Assert.True(code == 0, stderr);
        Assert.Contains("ResNet18.onnx: 74 nodes — BatchNormalization 22, Conv 22, Relu 19, Add 9, AveragePool 1, MaxPool 1", stdout);
        Assert.Contains("15,908,800 stored values, 15,897,152 of them learnable parameters", stdout);
        Assert.Contains("input [N, 3, 96, 96] → output [N, 512, 1, 1]", stdout);
        Assert.Contains("note: node 73 'Pooling395' (AveragePool): the fixed 7×7 average pool", stdout);
        Assert.True(File.Exists(Path.Combine(outDir, "graph.json")));
        using (var net = OnnxGraphFile.Load(Path.Combine(outDir, "model.safetensors"), new OnnxImportOptions { InputSize = 96 }))
            Assert.Equal(110, net.StateDict().Count);

        (code, _, stderr) = Cli.Run("import", ResNetPackage.Model, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("exists (an earlier import?); pass --overwrite", stderr);
    }

    [Fact]
    public void AModelThatCannotBeImportedIsOneLineAndWritesNothing()
    {
        var lstm = OnnxProto.Model(new ProtoWriter().Message(1, OnnxProto.Node("LSTM", "rnn", ["x"], ["y"]))
            .Message(11, OnnxProto.ValueInfo("x", 1, 3, 8, 8)).Message(12, OnnxProto.ValueInfo("y", 1))).ToArray();
        string onnx = Path.Combine(dir, "rnn.onnx");
        File.WriteAllBytes(onnx, lstm);
        string outDir = Path.Combine(dir, "rnn");
        var (code, _, stderr) = Cli.Run("import", onnx, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("node 0 'rnn' (LSTM): the op LSTM is not supported", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(File.Exists(Path.Combine(outDir, "model.safetensors")));

        string truncated = Path.Combine(dir, "cut.onnx");
        File.WriteAllBytes(truncated, File.ReadAllBytes(ResNetPackage.Model)[..100_000]);
        (code, _, stderr) = Cli.Run("import", truncated, "--out", Path.Combine(dir, "cut"));
        Assert.Equal(2, code);
        Assert.Contains("the file is truncated", stderr);
    }
}
