using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

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
        Checkpoint.Save(path, model, Info with { Epoch = 3 }, opt);
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
    public void MissingSidecarMeansAnIncompleteCheckpoint()
    {
        using var model = new MultiTaskCnn();
        string path = Path.Combine(dir, "c.safetensors");
        Checkpoint.Save(path, model, Info);
        File.Delete(Checkpoint.SidecarPath(path));
        var e = Assert.Throws<CheckpointFormatException>(() => Checkpoint.ReadInfo(path));
        Assert.Contains("incomplete", e.Message);
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
