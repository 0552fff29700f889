using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Models;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tests.Nn;

public sealed class MultiHeadCnnTests
{
    /// <summary>
    /// The BN-free SqueezeNet stack must pass a signal through its ~20 ReLU convolutions: with PyTorch's default
    /// layer init the last fire's output was ~1e-8 and nothing trained (found by training examples/flowers.yml:
    /// loss stuck at ln 2 + ln 3). torchvision's He init keeps it of order 1.
    /// </summary>
    [Fact]
    public void SqueezeNetFeaturesDoNotVanish()
    {
        Init.ManualSeed(0);
        using var model = new MultiHeadCnn(new BackboneSpec("squeezenet", 0.5, "fire8"), [new HeadSpec("a", 2, 0)]);
        using var x = Tensor.Uniform([4, 3, 64, 64], 0, 1, DType.Float32, Device.Cpu, new Random(1));
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var features = model.Trunk.Forward(x).ToDoubleArray();
        double rms = Math.Sqrt(features.Average(v => v * v));
        Assert.True(rms > 0.05, $"trunk output RMS {rms:G3}: the signal vanished");
        foreach (var (_, m) in model.NamedModules())
            if (m is Conv2d { Bias: { } b }) Assert.All(b.ToDoubleArray(), v => Assert.Equal(0.0, v));
    }

    /// <summary>The seed encoder keeps PyTorch's default layer init (its BatchNorms keep the scale).</summary>
    [Fact]
    public void SeedEncoderKeepsPyTorchDefaultInit()
    {
        Init.ManualSeed(0);
        using var model = new MultiHeadCnn(new BackboneSpec(), [new HeadSpec("a", 2)]);
        var w = ((Conv2d)model.Trunk[0]).Weight.ToDoubleArray();
        double bound = 1 / Math.Sqrt(3 * 9);
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.Contains(w, v => Math.Abs(v) > 0.8 * bound);
    }
}
