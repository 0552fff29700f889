using ScratchNet.Kernels;

namespace ScratchNet.Tensors;

/// <summary>
/// Argument checks shared by the ops. Kernels never check (an out-of-range index inside an ILGPU CPU kernel
/// kills the process), so every op validates here, before launching, and names the op, the shapes and what
/// was expected.
/// </summary>
internal static class Guard
{
    public static void Floating(string op, Tensor t, string what = "input")
    {
        if (!t.DType.IsFloating())
            throw new ArgumentException($"{op}: {what} must be float32 or float64, got {t.DType.Name()} {ShapeUtil.Format(t.ShapeArray)}");
    }

    public static void Int(string op, Tensor t, string what)
    {
        if (t.DType != DType.Int32)
            throw new ArgumentException($"{op}: {what} must be int32, got {t.DType.Name()} {ShapeUtil.Format(t.ShapeArray)}");
    }

    /// <summary>Same device and (for floating tensors) same dtype as the first.</summary>
    public static void Compatible(string op, Tensor first, params ReadOnlySpan<Tensor?> others)
    {
        _ = first.Buffer; // throws a clear ObjectDisposedException if disposed
        foreach (var t in others)
        {
            if (t is null) continue;
            _ = t.Buffer;
            if (!ReferenceEquals(t.Device, first.Device))
                throw new ArgumentException($"{op}: tensors are on different devices ({first.Device.Name} and {t.Device.Name}); move them with To(device)");
            if (t.DType.IsFloating() && first.DType.IsFloating() && t.DType != first.DType)
                throw new ArgumentException($"{op}: mixed dtypes {first.DType.Name()} and {t.DType.Name()} ({ShapeUtil.Format(first.ShapeArray)} vs {ShapeUtil.Format(t.ShapeArray)})");
        }
    }

    public static void Rank(string op, Tensor t, int rank, string what, string layout)
    {
        if (t.Rank != rank)
            throw new ArgumentException($"{op}: {what} must be {rank}-D {layout}, got {ShapeUtil.Format(t.ShapeArray)}");
    }

    public static void Shape(string op, Tensor t, ReadOnlySpan<int> expected, string what)
    {
        if (!ShapeUtil.Equal(t.ShapeArray, expected))
            throw new ArgumentException($"{op}: {what} must have shape {ShapeUtil.Format(expected)}, got {ShapeUtil.Format(t.ShapeArray)}");
    }
}
