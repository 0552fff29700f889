using ScratchNet.Kernels;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Tests.Tensors;

/// <summary>Autograd semantics: accumulation, reuse, no-grad, release after backward.</summary>
public class AutogradTests
{
    private static Tensor Leaf(double[] v, params int[] shape)
    {
        var t = Tensor.FromDoubles(v, shape, DType.Float64, Device.Cpu);
        t.RequiresGrad = true;
        return t;
    }

    [Fact]
    public void ATensorUsedTwiceReceivesBothContributions()
    {
        using var x = Leaf([2.0, -3.0], 2);
        using var y = x * x + x;            // d/dx (x² + x) = 2x + 1
        using var loss = F.Sum(y);
        loss.Backward();
        Assert.Equal([5.0, -5.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void SecondBackwardAccumulatesIntoGrad()
    {
        using var x = Leaf([1.5], 1);
        for (int i = 0; i < 2; i++)
        {
            using var loss = F.Sum(F.Scale(x, 3));
            loss.Backward();
        }
        Assert.Equal([6.0], x.Grad!.ToDoubleArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        using var x = Leaf([1.0, 2.0], 2);
        using (GradMode.NoGrad())
        {
            using var y = x * x;
            Assert.False(y.RequiresGrad);
            Assert.Null(y.GradFn);
        }
        using var z = x * x;
        Assert.True(z.RequiresGrad);
        Assert.NotNull(z.GradFn);
    }

    [Fact]
    public void BackwardTwiceThroughTheSameGraphFailsClearly()
    {
        using var x = Leaf([1.0, 2.0], 2);
        using var y = F.Gelu(x);
        using var loss = F.Sum(y);
        loss.Backward();
        var e = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("second time", e.Message);
    }

    [Fact]
    public void BackwardOnANonScalarIsRefused()
    {
        using var x = Leaf([1.0, 2.0], 2);
        using var y = x * x;
        var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("scalar", e.Message);
    }

    [Fact]
    public void DetachedTensorsStopTheGradient()
    {
        using var x = Leaf([3.0], 1);
        using var d = x.Detach();
        using var loss = F.Sum(x * d);      // gradient only through the first factor: d = 3
        loss.Backward();
        Assert.Equal([3.0], x.Grad!.ToDoubleArray());
    }

    [Fact]
    public void SavedTensorsSurviveTheUserDisposingTheirInputs()
    {
        // The graph holds its own reference to what it saved: disposing x after the forward is safe.
        var x = Leaf([0.5, -0.25], 2);
        using var w = Leaf([2.0, 4.0], 2);
        using var y = x * w;
        using var loss = F.Sum(y);
        x.Dispose();
        loss.Backward();
        Assert.Equal([0.5, -0.25], w.Grad!.ToDoubleArray());
    }

    [Fact]
    public void UseAfterDisposeNamesTheTensor()
    {
        var x = Tensor.Zeros([2, 3], DType.Float32, Device.Cpu);
        x.Dispose();
        var e = Assert.Throws<ObjectDisposedException>(() => F.Relu(x));
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void ScopeDisposesIntermediatesButKeepsParameterGradients()
    {
        using var w = Leaf([1.0, 2.0, 3.0], 3);
        Tensor y;
        using (var scope = TensorScope.Begin())
        {
            y = F.Gelu(w * w);
            using var loss = F.Sum(y);
            loss.Backward();
        }
        Assert.True(y.IsDisposed);
        Assert.False(w.Grad!.IsDisposed);
        Assert.Equal(3, w.Grad.ToDoubleArray().Length);
    }

    [Fact]
    public void SteadyStateTrainingStepAllocatesNoNewDeviceBuffers()
    {
        var device = Device.Cpu;
        var rng = new Random(1);
        using var w = Tensor.Uniform([4, 3, 3, 3], -0.3, 0.3, DType.Float32, device, rng);
        w.RequiresGrad = true;
        using var x = Tensor.Uniform([2, 3, 8, 8], 0, 1, DType.Float32, device, rng);
        long before = 0;
        for (int step = 0; step < 4; step++)
        {
            using (TensorScope.Begin())
            {
                var y = F.MaxPool2d(F.Gelu(F.Conv2d(x, w, null, 1, 1)), 2);
                var loss = F.Mean(y * y);
                loss.Backward();
            }
            w.ZeroGrad();
            if (step == 1) before = device.Allocator.BackendAllocations;
        }
        Assert.Equal(before, device.Allocator.BackendAllocations);
    }
}
