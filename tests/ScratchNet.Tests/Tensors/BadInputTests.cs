using ScratchNet.Kernels;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Tests.Tensors;

/// <summary>Bad shapes, dtypes and devices fail before any kernel runs, with a message naming the op and the shapes.</summary>
public class BadInputTests
{
    private static Tensor Z(params int[] shape) => Tensor.Zeros(shape, DType.Float32, Device.Cpu);

    [Fact]
    public void ConvWithWrongChannelCountNamesBothShapes()
    {
        using var x = Z(1, 3, 8, 8);
        using var w = Z(4, 5, 3, 3);
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w));
        Assert.Contains("Conv2d", e.Message);
        Assert.Contains("[1, 3, 8, 8]", e.Message);
        Assert.Contains("[4, 5, 3, 3]", e.Message);
    }

    [Fact]
    public void ConvKernelLargerThanInputIsRefused()
    {
        using var x = Z(1, 1, 2, 2);
        using var w = Z(1, 1, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => F.Conv2d(x, w));
        Assert.Contains("does not fit", e.Message);
    }

    [Fact]
    public void MatMulInnerDimMismatch()
    {
        using var a = Z(2, 3);
        using var b = Z(4, 5);
        var e = Assert.Throws<ArgumentException>(() => F.MatMul(a, b));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[4, 5]", e.Message);
    }

    [Fact]
    public void NonBroadcastableShapes()
    {
        using var a = Z(2, 3);
        using var b = Z(4);
        var e = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("cannot be broadcast", e.Message);
    }

    [Fact]
    public void MixedDtypesAreRefused()
    {
        using var a = Z(2);
        using var b = Tensor.Zeros([2], DType.Float64, Device.Cpu);
        var e = Assert.Throws<ArgumentException>(() => a * b);
        Assert.Contains("float32", e.Message);
        Assert.Contains("float64", e.Message);
    }

    [Fact]
    public void CrossEntropyTargetOutOfRangeNamesTheRow()
    {
        using var logits = Z(3, 2);
        using var t = Tensor.FromArray(new[] { 0, 1, 2 }, [3], Device.Cpu);
        var e = Assert.Throws<ArgumentException>(() => F.CrossEntropy(logits, t));
        Assert.Contains("row 2", e.Message);
    }

    [Fact]
    public void CrossEntropyNeedsIntegerTargets()
    {
        using var logits = Z(3, 2);
        using var t = Z(3);
        var e = Assert.Throws<ArgumentException>(() => F.CrossEntropy(logits, t));
        Assert.Contains("int32", e.Message);
    }

    [Fact]
    public void BatchNormWithWrongParameterSize()
    {
        using var x = Z(2, 3, 4, 4);
        using var g = Z(4);
        using var b = Z(3);
        var e = Assert.Throws<ArgumentException>(() => F.BatchNorm2d(x, g, b, Z(3), Z(3), training: true));
        Assert.Contains("weight", e.Message);
        Assert.Contains("[4]", e.Message);
    }

    [Fact]
    public void ReshapeToTheWrongElementCount()
    {
        using var x = Z(2, 3);
        var e = Assert.Throws<ArgumentException>(() => F.Reshape(x, 4, 2));
        Assert.Contains("6 elements", e.Message);
    }

    [Fact]
    public void FromArrayWithTooFewValues()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], [2, 3], Device.Cpu));
        Assert.Contains("[2, 3]", e.Message);
    }

    [Fact]
    public void UnknownDeviceNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Device.Get("tpu"));
        Assert.Contains("ilgpu-cpu", e.Message);
    }

    [Fact]
    public void MissingGpuIsAClearErrorNotACrash()
    {
        // On a machine without CUDA, asking for it must say so; on one with a GPU it must work.
        if (ScratchNet.Kernels.Ilgpu.IlgpuBackend.TryCreateGpu() is { } gpu) { gpu.Dispose(); return; }
        var e = Assert.Throws<DeviceNotAvailableException>(() => Device.Get("cuda"));
        Assert.Contains("CUDA", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TensorsOnDifferentDevicesAreRefused()
    {
        using var a = Z(2);
        using var b = Tensor.Zeros([2], DType.Float32, Device.Get("ilgpu-cpu"));
        var e = Assert.Throws<ArgumentException>(() => a + b);
        Assert.Contains("different devices", e.Message);
    }
}
