using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

using ScratchNet.Tests.Seed;

namespace ScratchNet.Tests.Nn;

/// <summary>Model checkpoints: round trips, the sidecar, optimizer state, refusal of mismatched files.</summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scratchnet-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static CheckpointInfo Info => new() { ModelKind = "multitask-cnn", ImageSize = 16, Tasks = [new("is_sky", "classification", ["not_sky", "sky"]), new("aqi", "regression", [])] };

    private static (double[] Logits, double[] Aqi) Outputs(MultiTaskCnn model, Tensor x)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var (l, a) = model.Forward(x);
        return (l.ToDoubleArray(), a.ToDoubleArray());
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalOutputs()
    {
        Init.ManualSeed(1);
        using var model = new MultiTaskCnn();
        using var x = Tensor.Uniform([2, 3, 16, 16], 0, 1, DType.Float32, Device.Cpu, new Random(3));
        // Train-mode forwards move the running stats and the counter, so they are part of what must survive.
        using (var scope = TensorScope.Begin()) model.Forward(x);
        model.Eval();
        var before = Outputs(model, x);
        string path = Path.Combine(dir, "best.safetensors");
        Checkpoint.Save(path, model, Info);

        Init.ManualSeed(99);
        using var loaded = new MultiTaskCnn();
        Checkpoint.Load(path, loaded);
        loaded.Eval();
        var after = Outputs(loaded, x);
        Assert.Equal(before.Logits, after.Logits);
        Assert.Equal(before.Aqi, after.Aqi);
        Assert.Equal(Info.Tasks.Count, Checkpoint.ReadInfo(path).Tasks.Count);

        var file = SafeTensorsFile.Read(path);
        Assert.Equal(MultiTaskCnn.PyTorchStateDictKeys.OrderBy(k => k, StringComparer.Ordinal), file.Tensors.Keys);
        Assert.Equal(SafeTensorDType.I64, file.Tensors["encoder.1.num_batches_tracked"].DType);
        Assert.Equal(1, file.Tensors["encoder.1.num_batches_tracked"].ToInt64Array()[0]);
        Assert.Equal(SafeTensorDType.F32, file.Tensors["encoder.0.weight"].DType);
        Assert.Equal([16, 3, 3, 3], file.Tensors["encoder.0.weight"].ShapeArray);
    }

    [Fact]
    public void OptimizerStateTravelsWithTheResumableCheckpoint()
    {
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        using var x = Tensor.Uniform([2, 3, 8, 8], 0, 1, DType.Float32, Device.Cpu, new Random(3));
        using (var scope = TensorScope.Begin())
        {
            var (l, a) = model.Forward(x);
            ScratchNet.Tensors.Functional.Sum(a).Backward();
            opt.Step();
        }
        string path = Path.Combine(dir, "last.safetensors");
        Checkpoint.Save(path, model, Info with { Epoch = 3, Step = 1 }, opt);
        using var model2 = new MultiTaskCnn();
        using var opt2 = new Adam(model2.Parameters(), 1);
        Checkpoint.Load(path, model2, opt2);
        Assert.Equal(opt.StateDict()["state.0.exp_avg_sq"].ToDoubles(), opt2.StateDict()["state.0.exp_avg_sq"].ToDoubles());
        Assert.Equal(3, Checkpoint.ReadInfo(path).Epoch);
    }

    [Fact]
    public void ACheckpointOfAnotherModelIsRefusedNamingTheKeys()
    {
        using var model = new MultiTaskCnn();
        string path = Path.Combine(dir, "m.safetensors");
        Checkpoint.Save(path, model, Info);
        using var other = new MultiHeadCnn(new BackboneSpec(), [new HeadSpec("a", 2)]);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, other));
        Assert.Contains(path, e.Message);
        Assert.Contains("missing key 'trunk.0.weight'", e.Message);
        Assert.Contains("unexpected key 'encoder.0.weight'", e.Message);
    }

    [Fact]
    public void WrongShapesAreRefusedAndNothingIsChanged()
    {
        using var model = new MultiTaskCnn();
        var state = model.StateDict();
        state["classifier.4.weight"] = new HostTensor(HostDType.Float32, [3, 32], new float[96]);
        string path = Path.Combine(dir, "bad.safetensors");
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(state));
        using var target = new MultiTaskCnn();
        var before = target.StateDict()["encoder.0.weight"].ToDoubles();
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, target));
        Assert.Contains("classifier.4.weight", e.Message);
        Assert.Contains("[3, 32]", e.Message);
        Assert.Equal(before, target.StateDict()["encoder.0.weight"].ToDoubles());
    }

    [Fact]
    public void ASafetensorsFileWithoutScratchNetsInfoIsNotACheckpoint()
    {
        using var model = new MultiTaskCnn();
        string path = Path.Combine(dir, "plain.safetensors");
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(model.StateDict()));
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadInfo(path));
        Assert.Contains("without ScratchNet's info", e.Message);
    }

    [Fact]
    public void TheInfoAndTheOptimizerLiveInTheOneFileAndOldSidecarsAreRemoved()
    {
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        string path = Path.Combine(dir, "last.safetensors");
        File.WriteAllText(Checkpoint.LegacySidecarPath(path), "{}");
        File.WriteAllText(Checkpoint.LegacyOptimizerPath(path), "stale");
        Checkpoint.Save(path, model, Info with { Epoch = 2, Log = "epoch\n1\n2\n" }, opt);
        Assert.False(File.Exists(Checkpoint.LegacySidecarPath(path)));
        Assert.False(File.Exists(Checkpoint.LegacyOptimizerPath(path)));
        var info = Checkpoint.ReadInfo(path);
        Assert.Equal(2, info.Epoch);
        Assert.Equal("epoch\n1\n2\n", info.Log);
        var keys = SafeTensorsFile.Read(path).Tensors.Keys.ToList();
        Assert.Contains("optimizer/step", keys);
        // The model's keys are exactly its state dict's (what PyTorch's load_state_dict(strict=True) needs).
        Assert.Equal(model.StateDict().Keys.Order(StringComparer.Ordinal), keys.Where(k => !k.StartsWith(Checkpoint.OptimizerPrefix)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ACheckpointOfTheEarlierThreeFileLayoutStillLoadsAndResumes()
    {
        Init.ManualSeed(4);
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        string path = Path.Combine(dir, "old.safetensors");
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(model.StateDict()), new Dictionary<string, string> { ["format"] = "pt" });
        SafeTensorsFile.Write(Checkpoint.LegacyOptimizerPath(path), Checkpoint.ToEntries(opt.StateDict()));
        File.WriteAllText(Checkpoint.LegacySidecarPath(path), System.Text.Json.JsonSerializer.Serialize(Info with { Epoch = 5 }));
        Assert.Equal(5, Checkpoint.ReadInfo(path).Epoch);
        using var loaded = new MultiTaskCnn();
        using var opt2 = new Adam(loaded.Parameters(), 1);
        Checkpoint.Load(path, loaded, opt2);
        Assert.Equal(model.StateDict()["encoder.0.weight"].ToDoubles(), loaded.StateDict()["encoder.0.weight"].ToDoubles());
    }

    [Fact]
    public void ANonFiniteWeightIsRefusedNamingTheTensor()
    {
        using var model = new MultiTaskCnn();
        var state = model.StateDict();
        ((float[])state["regressor.1.bias"].Data)[3] = float.NaN;
        string path = Path.Combine(dir, "nan.safetensors");
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(state), new Dictionary<string, string> { [Checkpoint.InfoKey] = System.Text.Json.JsonSerializer.Serialize(Info) });
        using var target = new MultiTaskCnn();
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, target));
        Assert.Contains("tensor 'regressor.1.bias' holds NaN at element 3", e.Message);
    }

    [Fact]
    public void AnOptimizerStateFileGivenAsTheModelIsNamedAsSuch()
    {
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        string path = Path.Combine(dir, "last.optimizer.safetensors");
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(opt.StateDict()));
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadInfo(path));
        Assert.Contains("optimizer state file, not a model", e.Message);
        e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, model));
        Assert.Contains("optimizer state file, not a model", e.Message);
    }

    [Fact]
    public void OptimizerStateFromAnotherStepIsAMixAndIsRefused()
    {
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        using var x = Tensor.Uniform([2, 3, 8, 8], 0, 1, DType.Float32, Device.Cpu, new Random(3));
        using (var scope = TensorScope.Begin())
        {
            ScratchNet.Tensors.Functional.Sum(model.Forward(x).Aqi).Backward();
            opt.Step();
        }
        string path = Path.Combine(dir, "mixed.safetensors");
        Checkpoint.Save(path, model, Info with { Step = 7 }, opt); // the optimizer has taken 1 step
        using var opt2 = new Adam(model.Parameters(), 1);
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.Load(path, model, opt2));
        Assert.Contains("optimizer state is from step 1 but the weights are from step 7", e.Message);
    }

    [Fact]
    public void AnIncompleteOptimizerStateIsRefused()
    {
        using var model = new MultiTaskCnn();
        using var opt = new Adam(model.Parameters(), 1e-3);
        var e = Assert.Throws<InvalidOperationException>(() => opt.LoadStateDict(new Dictionary<string, HostTensor>
        {
            ["step"] = new(HostDType.Int64, [], new[] { 1L }), ["lr"] = new(HostDType.Float64, [], new[] { 1e-3 }),
            ["state.0.exp_avg"] = model.StateDict()["encoder.0.weight"],
        }));
        Assert.Contains("parameter 0 has exp_avg but no 'exp_avg_sq'", e.Message);
    }

    [Theory]
    [InlineData("ImageSize", "0", "ImageSize must be 8 … 1024 pixels, got 0")]
    [InlineData("ImageSize", "100000", "ImageSize must be 8 … 1024 pixels, got 100000")]
    [InlineData("Epoch", "-5", "Epoch must be ≥ 0, got -5")]
    [InlineData("Tasks", "[]", "Tasks is empty")]
    [InlineData("NormalizeStd", "[0, 1, 1]", "NormalizeStd must be finite and > 0")]
    [InlineData("ImageSize", "\"big\"", "its ScratchNet info is not valid")]
    public void InfoWithBadValuesIsRefusedInWords(string field, string json, string expected)
    {
        using var model = new MultiTaskCnn();
        string path = Path.Combine(dir, $"bad-{field}.safetensors");
        var node = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Info))!;
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(json);
        SafeTensorsFile.Write(path, Checkpoint.ToEntries(model.StateDict()), new Dictionary<string, string> { [Checkpoint.InfoKey] = node.ToJsonString() });
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadInfo(path));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Fact]
    public void MultiHeadModelsRoundTripAndNameTheirHeads()
    {
        Init.ManualSeed(2);
        using var model = new MultiHeadCnn(new BackboneSpec("squeezenet", 0.25, "fire8"), [new HeadSpec("type", 2), new HeadSpec("colour", 3, 0)]);
        var keys = model.StateDict().Keys.ToList();
        Assert.Contains("trunk.0.weight", keys);
        Assert.Contains("heads.type.tail.0.squeeze.weight", keys);   // fire9 is per head after a fire8 split
        Assert.Contains("heads.colour.mlp.1.weight", keys);
        using var x = Tensor.Uniform([2, 3, 32, 32], 0, 1, DType.Float32, Device.Cpu, new Random(1));
        model.Eval();
        double[] Run(MultiHeadCnn m)
        {
            using var scope = TensorScope.Begin();
            using var ng = GradMode.NoGrad();
            var o = m.Forward(x);
            Assert.Equal([2, 3], o["colour"].Shape);
            return o["type"].ToDoubleArray().Concat(o["colour"].ToDoubleArray()).ToArray();
        }
        var before = Run(model);
        string path = Path.Combine(dir, "mh.safetensors");
        Checkpoint.Save(path, model, Info);
        Init.ManualSeed(5);
        using var loaded = new MultiHeadCnn(new BackboneSpec("squeezenet", 0.25, "fire8"), [new HeadSpec("type", 2), new HeadSpec("colour", 3, 0)]);
        Checkpoint.Load(path, loaded);
        loaded.Eval();
        Assert.Equal(before, Run(loaded));
    }
}
