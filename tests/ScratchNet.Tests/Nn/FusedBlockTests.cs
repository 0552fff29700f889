using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

using ScratchNet.Tests.Seed;

namespace ScratchNet.Tests.Nn;

/// <summary>
/// Sequential runs BatchNorm2d → GELU/ReLU [→ MaxPool2d] as one fused op: it must be invisible — same outputs,
/// gradients, running statistics and counters as the layers one by one — and must only fuse what it can.
/// </summary>
public class FusedBlockTests
{
    private sealed record StepResult(double[] Logits, double[] Aqi, double Loss, Dictionary<string, double[]> Grads, Dictionary<string, double[]> State);

    private static StepResult TrainStep(string deviceName, DType dtype, bool fuse)
    {
        Init.ManualSeed(21);
        var device = Device.Get(deviceName);
        using var model = new MultiTaskCnn(dtype, device);
        model.Encoder.FuseBatchNormBlocks = fuse;
        ((Dropout)model.Classifier[3]).FixedSeed = 3;
        // 13×11 images: odd sizes, so each max-pool drops a row or a column (floor mode) and the fused backward
        // must still write those positions.
        using var x = Tensor.Uniform([3, 3, 13, 11], -1, 2, dtype, device, new Random(4));
        using var isSky = Tensor.FromArray([1, 0, 1], [3], device);
        using var aqi = Tensor.FromDoubles([0.7, -1, 1.9], [3], dtype, device);
        using var scope = TensorScope.Begin();
        var (logits, pred) = model.Forward(x);
        var loss = new MultiDomainLoss().Forward(logits, pred, isSky, aqi);
        loss.Backward();
        var grads = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad!.ToDoubleArray());
        var state = model.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToDoubles());
        return new StepResult(logits.ToDoubleArray(), pred.ToDoubleArray(), loss.Item(), grads, state);
    }

    [Theory]
    [InlineData("cpu", "float32")]
    [InlineData("cpu", "float64")]
    [InlineData("ilgpu-cpu", "float32")]
    public void FusedEncoderTrainsExactlyLikeTheLayersOneByOne(string device, string dtypeName)
    {
        var dtype = dtypeName == "float64" ? DType.Float64 : DType.Float32;
        double tol = dtype == DType.Float64 ? 1e-11 : 2e-5;
        var fused = TrainStep(device, dtype, fuse: true);
        var plain = TrainStep(device, dtype, fuse: false);
        AssertClose("is-sky logits", plain.Logits, fused.Logits, tol);
        AssertClose("AQI prediction", plain.Aqi, fused.Aqi, tol);
        Assert.Equal(plain.Loss, fused.Loss, tol);
        foreach (var (name, g) in plain.Grads) AssertClose($"grad of {name}", g, fused.Grads[name], 20 * tol);
        // Running mean/var and num_batches_tracked (every state entry, buffers included).
        foreach (var (name, v) in plain.State) AssertClose($"state {name}", v, fused.State[name], tol);
    }

    [Theory]
    [InlineData("cpu")]
    [InlineData("ilgpu-cpu")]
    public void FusedEvalMatchesTheLayersOneByOne(string deviceName)
    {
        var device = Device.Get(deviceName);
        Init.ManualSeed(5);
        using var model = new MultiTaskCnn(DType.Float32, device);
        using var x = Tensor.Uniform([2, 3, 12, 12], 0, 1, DType.Float32, device, new Random(6));
        using (var scope = TensorScope.Begin()) // a training step moves the running stats off their initial 0/1
        {
            var (l0, a0) = model.Forward(x);
            new MultiDomainLoss().Forward(l0, a0, Tensor.FromArray([1, 1], [2], device), Tensor.FromDoubles([1, 2], [2], DType.Float32, device)).Backward();
        }
        model.Eval();
        double[] Run(bool fuse)
        {
            model.Encoder.FuseBatchNormBlocks = fuse;
            using var scope = TensorScope.Begin();
            using var noGrad = ScratchNet.Tensors.Autograd.GradMode.NoGrad();
            using var features = model.Encoder.Forward(x);
            return features.ToDoubleArray();
        }
        AssertClose("eval encoder features", Run(false), Run(true), 1e-5);
    }

    [Fact]
    public void EvalModeWithGradientsFallsBackToTheSeparateOps()
    {
        // Eval-mode batch norm has its own affine backward; the fused op has none, so it must not be used there.
        var device = Device.Cpu;
        Init.ManualSeed(8);
        var bn = new BatchNorm2d(3, dtype: DType.Float64, device: device);
        bn.Eval();
        double[] InputGrad(bool fuse)
        {
            var seq = new Sequential(bn, new Gelu(), new MaxPool2d(2)) { FuseBatchNormBlocks = fuse };
            using var x = Tensor.Uniform([2, 3, 4, 6], -1, 1, DType.Float64, device, new Random(9));
            x.RequiresGrad = true;
            using var y = seq.Forward(x);
            using var s = F.Sum(y);
            s.Backward();
            return x.Grad!.ToDoubleArray();
        }
        AssertClose("eval-mode input gradient", InputGrad(false), InputGrad(true), 1e-12);
    }

    [Fact]
    public void SequentialFusesOnlyBatchNormThenReluOrGeluThenANonOverlappingPool()
    {
        var seq = new Sequential(
            new BatchNorm2d(2), new Relu(), new MaxPool2d(2),            // 0-2: fused with pooling
            new BatchNorm2d(2), new Gelu(), new MaxPool2d(3, 2),         // 3-4: fused, the overlapping pool runs alone
            new BatchNorm2d(2), new Gelu(), new MaxPool2d(2, 2, 1),      // 6-7: fused, a padded pool runs alone
            new BatchNorm2d(2), new Sigmoid(),                           // 9: not fused (sigmoid)
            new BatchNorm2d(2));                                         // 11: alone at the end
        using var x = Tensor.Uniform([1, 2, 40, 40], 0, 1, DType.Float32, Device.Cpu, new Random(1));
        var steps = new List<(int Index, int Used)>();
        Tensor h = x;
        using var scope = TensorScope.Begin();
        for (int i = 0; i < seq.Count;)
        {
            h = seq.ForwardStep(i, h, out int used);
            steps.Add((i, used));
            i += used;
        }
        Assert.Equal([(0, 3), (3, 2), (5, 1), (6, 2), (8, 1), (9, 1), (10, 1), (11, 1)], steps);
        seq.FuseBatchNormBlocks = false;
        Assert.All(Enumerable.Range(0, seq.Count), i => { seq.ForwardStep(i, i == 0 ? x : F.Reshape(x, 1, 2, 40, 40), out int used); Assert.Equal(1, used); });
    }

    [Fact]
    public void FusedOpNamesTheShapeProblem()
    {
        var device = Device.Cpu;
        using var x = Tensor.Zeros([2, 3, 5, 5], DType.Float32, device);
        using var g = Tensor.Ones([4], DType.Float32, device);
        using var b = Tensor.Zeros([3], DType.Float32, device);
        var e = Assert.Throws<ArgumentException>(() => F.BatchNormActPool(x, g, b, b, b, true, Activation.Gelu, 2));
        Assert.Contains("weight", e.Message);
        using var g3 = Tensor.Ones([3], DType.Float32, device);
        e = Assert.Throws<ArgumentException>(() => F.BatchNormActPool(x, g3, b, b, b, true, Activation.Gelu, 6));
        Assert.Contains("does not fit", e.Message);
    }

    private static void AssertClose(string what, double[] expected, double[] actual, double tol)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * scale, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tol:E1})");
        }
    }
}
