using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tests.Onnx;
using static ScratchNet.Tests.Onnx.OnnxProto;

namespace ScratchNet.Tests.Tasks;

/// <summary>
/// <c>model.backbone: onnx</c>: an imported graph as the shared trunk of an experiment, trained with it or frozen
/// (its weights exactly the file's after training, only the heads learn), saved and predicted from like any other run;
/// the config's mistakes about it are errors naming the field.
/// </summary>
public sealed class ImportedBackboneTests(SyntheticTaskData data) : IClassFixture<SyntheticTaskData>
{
    // A small feature extractor: conv 3→8 (CNTK-style asymmetric pads) → BN → Relu → max-pool 3/2 [1,1,0,0].
    private static readonly float[] ConvWeight = Enumerable.Range(0, 8 * 3 * 3 * 3).Select(i => (float)Math.Sin(i * 0.7) * 0.4f).ToArray();

    private string WriteBackbone()
    {
        var graph = new ProtoWriter()
            .Message(1, Node("Conv", "conv1", ["x", "conv1.weight", "conv1.bias"], ["c"], IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("pads", [1, 1, 0, 0])))
            .Message(1, Node("BatchNormalization", "bn1", ["c", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var"], ["b"]))
            .Message(1, Node("Relu", "relu", ["b"], ["r"]))
            .Message(1, Node("MaxPool", "pool", ["r"], ["features"], IntsAttribute("kernel_shape", [3, 3]), IntsAttribute("strides", [2, 2]), IntsAttribute("pads", [1, 1, 0, 0])))
            .Message(5, FloatTensorRaw("conv1.weight", [8, 3, 3, 3], ConvWeight))
            .Message(5, FloatTensorRaw("conv1.bias", [8], new float[8]))
            .Message(5, FloatTensorRaw("bn1.weight", [8], Enumerable.Repeat(1f, 8).ToArray()))
            .Message(5, FloatTensorRaw("bn1.bias", [8], new float[8]))
            .Message(5, FloatTensorRaw("bn1.running_mean", [8], new float[8]))
            .Message(5, FloatTensorRaw("bn1.running_var", [8], Enumerable.Repeat(1f, 8).ToArray()))
            .Message(11, ValueInfo("x", "N", 3, 16, 16))
            .Message(12, ValueInfo("features", "N", 8, 8, 8));
        string path = Path.Combine(data.Root, $"backbone-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, Model(graph).ToArray());
        return path;
    }

    private string WriteConfig(string backbone, string freeze)
    {
        string yaml = $"""
            name: imported
            data: {"{"} csv: data.csv, split: [0.6, 0.25, 0.15], seed: 4 {"}"}
            input: {"{"} size: 16 {"}"}
            model: {"{"} backbone: onnx, path: {Path.GetFileName(backbone)}, freeze: {freeze}, head_hidden: 8 {"}"}
            tasks:
              - {"{"} name: colour, type: classification, column: colour, labels: [red, green, blue] {"}"}
            train: {"{"} lr: 0.01, batch_size: 16, epochs: 2, monitor: colour.accuracy {"}"}
            """;
        string path = Path.Combine(data.Root, $"imported-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Theory]
    [InlineData("backbone")]
    [InlineData("none")]
    public void AnImportedGraphTrainsAsTheTrunkOrFrozen(string freeze)
    {
        string dir = data.RunDir("imported-" + freeze);
        var result = Experiment.Load(WriteConfig(WriteBackbone(), freeze)).Train(new TrainOptions { OutDir = dir, Log = TextWriter.Null });
        Assert.False(result.Interrupted);
        var state = SafeTensorsFile.Read(Path.Combine(dir, "last.safetensors")).Tensors;
        // The trunk keeps the ONNX names under trunk.0 (the graph module is the trunk's first layer).
        var conv = Checkpoint.FromEntries(SafeTensorsFile.Read(Path.Combine(dir, "last.safetensors")))["trunk.0.conv1.weight"].ToDoubles();
        Assert.Contains("trunk.0.bn1.running_var", state.Keys);
        Assert.Contains(state.Keys, k => k.StartsWith("heads.colour.mlp.", StringComparison.Ordinal));
        double moved = conv.Zip(ConvWeight, (a, b) => Math.Abs(a - b)).Max();
        if (freeze == "backbone")
        {
            Assert.Equal(0, moved);   // bit for bit the file's weights
            var runningVar = Checkpoint.FromEntries(SafeTensorsFile.Read(Path.Combine(dir, "last.safetensors")))["trunk.0.bn1.running_var"].ToDoubles();
            Assert.All(runningVar, v => Assert.Equal(1, v));   // eval mode all along: statistics untouched
        }
        else Assert.True(moved > 1e-4, $"the trainable backbone did not train (max change {moved:E2})");

        using var predictor = new TaskPredictor(result.Checkpoint!, ScratchNet.Tensors.Device.Cpu);
        var answer = predictor.Predict(Path.Combine(data.Root, "img", "0.png"));
        Assert.Null(answer.Error);
        Assert.Contains(answer.Tasks!["colour"].Label, SyntheticTaskData.Colours);
    }

    [Fact]
    public void TheImageNetResNet18FrozenTrainsItsHeadsAtAnotherInputSize()
    {
        string yaml = """
            name: resnet
            data: { csv: data.csv, split: [0.6, 0.25, 0.15], seed: 4 }
            input: { size: 64 }
            model: { backbone: resnet18-imagenet, freeze: backbone, head_hidden: 0 }
            tasks:
              - { name: colour, type: classification, column: colour, labels: [red, green, blue] }
            train: { lr: 0.01, batch_size: 16, epochs: 2, monitor: colour.accuracy }
            """;
        string config = Path.Combine(data.Root, $"resnet-{Guid.NewGuid():N}.yml");
        File.WriteAllText(config, yaml);
        string dir = data.RunDir("resnet");
        var result = Experiment.Load(config).Train(new TrainOptions { OutDir = dir, Log = TextWriter.Null });
        Assert.False(result.Interrupted);
        var saved = Checkpoint.FromEntries(SafeTensorsFile.Read(result.Checkpoint!));
        // The package's weights, untouched, under trunk.1 (trunk.0 is its preprocessing, which holds no state).
        var original = ScratchNet.Nn.Onnx.OnnxReader.Read(ResNetPackage.Model).Graph.Initializers.First(t => t.Dims.Count == 4);
        Assert.Equal(original.ToDoubles(), saved["trunk.1." + original.Name].ToDoubles());
        Assert.Equal([3, 512], saved["heads.colour.mlp.1.weight"].Shape);   // Dropout(0), then Linear(512 → 3)
        using var predictor = new TaskPredictor(result.Checkpoint!, ScratchNet.Tensors.Device.Cpu);
        Assert.Null(predictor.Predict(Path.Combine(data.Root, "img", "1.png")).Error);
    }

    [Theory]
    [InlineData("model: { backbone: onnx }", "missing required field 'path'", "the .onnx file")]
    [InlineData("model: { backbone: onnx, path: missing.onnx }", "missing.onnx does not exist", "")]
    [InlineData("model: { backbone: seed-encoder, path: x.onnx }", "only the onnx backbone reads a model file", "")]
    [InlineData("model: { backbone: resnet18-imagenet, width: 0.5 }", "leave out width for resnet18-imagenet", "")]
    [InlineData("model: { freeze: everything }", "freeze", "none or backbone")]
    public void BackboneMistakesNameTheField(string model, string expected, string also)
    {
        string yaml = $"""
            name: bad
            data: {"{"} csv: data.csv {"}"}
            {model}
            tasks:
              - {"{"} name: colour, type: classification, column: colour, labels: [red, green, blue] {"}"}
            """;
        string path = Path.Combine(data.Root, $"bad-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, yaml);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Contains(expected, e.Message);
        Assert.Contains(also, e.Message);
    }
}
