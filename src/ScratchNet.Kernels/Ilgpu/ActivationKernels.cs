using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>ReLU, exact GELU and sigmoid, forward and backward (llm.c's <c>gelu_forward</c>/<c>gelu_backward</c> pairs).</summary>
internal static class ActivationKernels
{
    /// <summary>ReLU forward: <c>y = max(x, 0)</c>.</summary>
    public static void ReluForward<T, R>(ArrayView<T> x, ArrayView<T> y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            y[i] = Relu(x[i]);
    }

    /// <summary>ReLU backward: <c>dx = x &gt; 0 ? dy : 0</c> (0 at the kink, as PyTorch).</summary>
    public static void ReluBackward<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> dx, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            dx[i] = x[i] > T.Zero ? dy[i] : T.Zero;
    }

    /// <summary>Exact GELU forward: <c>y = x·Φ(x) = 0.5·x·(1 + erf(x/√2))</c>.</summary>
    public static void GeluForward<T, R>(ArrayView<T> x, ArrayView<T> y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            y[i] = Gelu<T, R>(x[i]);
    }

    /// <summary>GELU backward: <c>dx = dy·(Φ(x) + x·φ(x))</c>, φ(x) = e^(−x²/2)/√(2π).</summary>
    public static void GeluBackward<T, R>(ArrayView<T> x, ArrayView<T> dy, ArrayView<T> dx, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            dx[i] = dy[i] * GeluGrad<T, R>(x[i]);
    }

    /// <summary>
    /// Sigmoid forward: <c>y = 1/(1 + e^(−x))</c>. For x &lt; 0 it uses the equal form <c>e^x/(1 + e^x)</c>, so
    /// the exponential never overflows.
    /// </summary>
    public static void SigmoidForward<T, R>(ArrayView<T> x, ArrayView<T> y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            y[i] = Sigmoid(x[i]);
    }

    /// <summary>Sigmoid backward from the forward output: <c>dx = dy·y·(1 − y)</c>.</summary>
    public static void SigmoidBackward<T, R>(ArrayView<T> y, ArrayView<T> dy, ArrayView<T> dx, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T s = y[i];
            dx[i] = dy[i] * s * (T.One - s);
        }
    }

    /// <summary>
    /// <c>max(v, 0)</c>, shared with the fused batch-norm kernels so fused and unfused ReLU agree bit for bit
    /// (a NaN gives 0: the comparison is false).
    /// </summary>
    internal static T Relu<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> => v > T.Zero ? v : T.Zero;

    /// <summary>ReLU's derivative, <c>v &gt; 0 ? 1 : 0</c> (0 at the kink, as PyTorch).</summary>
    internal static T ReluGrad<T>(T v) where T : unmanaged, IFloatingPointIeee754<T> => v > T.Zero ? T.One : T.Zero;

    /// <summary>
    /// Exact GELU <c>v·Φ(v)</c>, Φ through <see cref="ScalarMath.NormalCdf{T, R}"/> (our erf: ILGPU has none).
    /// Shared with the fused batch-norm kernels so both compute the same bits.
    /// </summary>
    internal static T Gelu<T, R>(T v) where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => v * ScalarMath.NormalCdf<T, R>(v);

    /// <summary>GELU's derivative <c>Φ(v) + v·φ(v)</c>, φ(v) = e^(−v²/2)/√(2π).</summary>
    internal static T GeluGrad<T, R>(T v) where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
        => ScalarMath.NormalCdf<T, R>(v) + v * ScalarMath.NormalPdf<T, R>(v);

    /// <summary>Overflow-free logistic function (shared with the BCE kernels).</summary>
    internal static T Sigmoid<T>(T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (v >= T.Zero) return T.One / (T.One + T.Exp(-v));
        T e = T.Exp(v);
        return e / (T.One + e);
    }
}
