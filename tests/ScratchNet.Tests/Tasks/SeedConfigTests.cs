using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Nn.Experiments;
using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;
using ScratchNet.Tests.Seed;

namespace ScratchNet.Tests.Tasks;

/// <summary>
/// Seed 000's exact model is a config (examples/sky-seed.yml, <c>train --preset seed</c>): the engine's model is the
/// hand-written reference <see cref="MultiTaskCnn"/> key for key, weight for weight and output for output.
/// </summary>
public sealed class SeedConfigTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("scratchnet-seedcfg-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static global::ScratchNet.Nn.Experiments.Config.ExperimentConfig Seed(int size = 16)
    {
        var c = BuiltinConfigs.Load(BuiltinConfigs.SkySeed);
        return c with { Input = c.Input with { Size = size } };
    }

    [Fact]
    public void StateDictIsExactlyPyTorchsMultiTaskCnnKeysInOrderWithTheirShapes()
    {
        using var model = ExperimentModel.Build(Seed(), Device.Cpu);
        using var reference = new MultiTaskCnn();
        var state = model.StateDict();
        Assert.Equal(MultiTaskCnn.PyTorchStateDictKeys, state.Keys.ToList());
        var expected = reference.StateDict();
        foreach (var key in MultiTaskCnn.PyTorchStateDictKeys)
        {
            Assert.Equal(expected[key].Shape, state[key].Shape);
            Assert.Equal(expected[key].DType, state[key].DType);
        }
        Assert.Equal(37_619, model.ParameterCount());
    }

    [Fact]
    public void SameSeedGivesTheReferencesWeightsAndOutputs()
    {
        Init.ManualSeed(21);
        using var model = ExperimentModel.Build(Seed(), Device.Cpu);
        Init.ManualSeed(21);
        using var reference = new MultiTaskCnn();
        var a = model.StateDict();
        var b = reference.StateDict();
        foreach (var key in MultiTaskCnn.PyTorchStateDictKeys)
            Assert.Equal(b[key].ToDoubles(), a[key].ToDoubles());

        model.Eval();
        reference.Eval();
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var x = Tensor.Uniform([3, 3, 16, 16], 0, 1, DType.Float32, Device.Cpu, new Random(4));
        var heads = model.Forward(x);
        var (logits, aqi) = reference.Forward(x);
        Assert.Equal(logits.ToDoubleArray(), heads["is_sky"].ToDoubleArray());
        Assert.Equal(aqi.ToDoubleArray(), heads["aqi"].ToDoubleArray()); // the regression scale is 1: raw AQI, as the seed
    }

    [Fact]
    public void ACheckpointOfTheEarlierSeedTrainerStillPredicts()
    {
        // The seed-model trainer that came before configs wrote model kind multitask-cnn with the seed's keys.
        Init.ManualSeed(5);
        using var reference = new MultiTaskCnn();
        string path = Path.Combine(dir, "old.safetensors");
        Checkpoint.Save(path, reference, new CheckpointInfo
        {
            ModelKind = BuiltinConfigs.LegacySeedKind, ImageSize = 16,
            Tasks = [new("is_sky", "classification", ["not_sky", "sky"]), new("aqi", "regression", [])],
        });
        string image = Path.Combine(dir, "sky.png");
        using (var bmp = Data.TestImages.Make(20, 20, (_, _) => new SkiaSharp.SKColor(90, 140, 220))) Data.TestImages.Write(image, bmp, SkiaSharp.SKEncodedImageFormat.Png);
        using var predictor = new TaskPredictor(path, Device.Cpu, BuiltinConfigs.LegacyModel);
        Assert.Equal(16, predictor.Config.Input.Size);
        var p = predictor.Predict(image);
        Assert.Null(p.Error);
        Assert.Equal(["is_sky", "aqi"], p.Tasks!.Keys);
    }

    [Fact]
    public void SeedNamesNeedTheSeedEncoderAndAModuleNamePerHead()
    {
        var e = Assert.Throws<ArgumentException>(() => new MultiHeadCnn(new BackboneSpec("squeezenet", 0.25), [new HeadSpec("a", 2) { Module = "classifier" }], names: ModuleNames.Seed));
        Assert.Contains("seed-encoder", e.Message);
        e = Assert.Throws<ArgumentException>(() => new MultiHeadCnn(new BackboneSpec(), [new HeadSpec("a", 2), new HeadSpec("b", 1)], names: ModuleNames.Seed));
        Assert.Contains("module name", e.Message);
    }

    [Fact]
    public void AHeadStackKeepsTheDefaultNamesLinearIndices()
    {
        // Default names keep Dropout as a layer even at p = 0, so a one-hidden-layer head is still mlp.0 / mlp.3
        // (checkpoints of earlier runs load), and a [32, 8] stack continues the same pattern.
        using var model = new MultiHeadCnn(new BackboneSpec(Width: 0.25), [new HeadSpec("a", 2, 16), new HeadSpec("b", 1, [16, 8], 0, HeadActivation.Relu)]);
        var keys = model.StateDict().Keys.Where(k => k.StartsWith("heads.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["heads.a.mlp.0.weight", "heads.a.mlp.0.bias", "heads.a.mlp.3.weight", "heads.a.mlp.3.bias",
            "heads.b.mlp.0.weight", "heads.b.mlp.0.bias", "heads.b.mlp.3.weight", "heads.b.mlp.3.bias", "heads.b.mlp.6.weight", "heads.b.mlp.6.bias"], keys);
    }
}
