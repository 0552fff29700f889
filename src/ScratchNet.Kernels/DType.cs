namespace ScratchNet.Kernels;

/// <summary>Element type of a buffer. PyTorch's twin: <c>torch.dtype</c> (float32, float64, int32).</summary>
public enum DType
{
    /// <summary>IEEE-754 single precision: the training dtype.</summary>
    Float32,
    /// <summary>IEEE-754 double precision: the gradient-check dtype.</summary>
    Float64,
    /// <summary>32-bit signed integer: class targets, argmax results, max-pool argmax indices.</summary>
    Int32,
}

/// <summary>Helpers on <see cref="DType"/>.</summary>
public static class DTypeExtensions
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int32 => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for Float32 and Float64.</summary>
    public static bool IsFloating(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>The lower-case name PyTorch prints (<c>float32</c>, <c>float64</c>, <c>int32</c>).</summary>
    public static string Name(this DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int32 => "int32",
        _ => dtype.ToString(),
    };

    /// <summary>The dtype of a CLR element type.</summary>
    public static DType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(int) ? DType.Int32 :
        throw new NotSupportedException($"element type {typeof(T).Name} has no ScratchNet dtype (float, double, int are supported)");
}
