using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Activations and their backward:
/// ReLU <c>y = max(x, 0)</c>, <c>dx = x &gt; 0 ? dy : 0</c>;
/// exact GELU <c>y = x·Φ(x) = ½x(1 + erf(x/√2))</c>, <c>dx = dy·(Φ(x) + x·φ(x))</c>;
/// sigmoid <c>y = 1/(1 + e^(−x))</c>, <c>dx = dy·y(1 − y)</c>.
/// </summary>
/// <remarks>
/// float32 runs vectorised; erf there is Abramowitz–Stegun 7.1.26 (|error| ≤ 1.5e-7, float32's own resolution)
/// evaluated on whole vectors with a vector exp. float64 is for gradient checks and calls
/// <see cref="ScalarMath.Erf{T, R}"/>'s ~1e-14 series per element: slow, exact enough for finite differences.
/// </remarks>
internal static unsafe class ActivationKernels
{
    public static void ReluForward<T>(CpuParallel par, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map(new ReluOp<T>(), x + s, y + s, e - s));

    public static void ReluBackward<T>(CpuParallel par, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map2(new ReluGradOp<T>(), x + s, dy + s, dx + s, e - s));

    public static void SigmoidForward<T>(CpuParallel par, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map(new SigmoidOp<T>(), x + s, y + s, e - s));

    public static void SigmoidBackward<T>(CpuParallel par, T* y, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map2(new SigmoidGradOp<T>(), y + s, dy + s, dx + s, e - s));

    public static void GeluForward<T>(CpuParallel par, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
            par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluForward512((float*)x + s, (float*)y + s, e - s));
        else if (typeof(T) == typeof(float))
            par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map(new GeluF32Op(), (float*)x + s, (float*)y + s, e - s));
        else
            par.ForRanges(n, 1024, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                double* xd = (double*)x, yd = (double*)y;
                for (long i = s; i < e; i++) yd[i] = xd[i] * ScalarMath.NormalCdf<double, F64>(xd[i]);
            });
    }

    public static void GeluBackward<T>(CpuParallel par, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
            par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluBackward512((float*)x + s, (float*)dy + s, (float*)dx + s, e - s));
        else if (typeof(T) == typeof(float))
            par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map2(new GeluGradF32Op(), (float*)x + s, (float*)dy + s, (float*)dx + s, e - s));
        else
            par.ForRanges(n, 1024, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                double* xd = (double*)x, gd = (double*)dy, od = (double*)dx;
                for (long i = s; i < e; i++)
                {
                    double v = xd[i];
                    od[i] = gd[i] * (ScalarMath.NormalCdf<double, F64>(v) + v * ScalarMath.NormalPdf<double, F64>(v));
                }
            });
    }

    private readonly struct ReluOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x) => x > T.Zero ? x : (T.IsNaN(x) ? x : T.Zero);
        // Select rather than Max so NaN inputs stay NaN, as torch.relu.
        public Vector<T> Apply(Vector<T> x) => Vector.ConditionalSelect(Vector.LessThanOrEqual(x, Vector<T>.Zero), Vector<T>.Zero, x);
    }

    private readonly struct ReluGradOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x, T dy) => x > T.Zero ? dy : T.Zero;
        public Vector<T> Apply(Vector<T> x, Vector<T> dy) => Vector.ConditionalSelect(Vector.GreaterThan(x, Vector<T>.Zero), dy, Vector<T>.Zero);
    }

    /// <summary>
    /// Stable sigmoid: with e = e^(−|x|) ∈ (0, 1], σ = 1/(1+e) for x ≥ 0 and e/(1+e) for x &lt; 0. The exponent is
    /// never positive, so nothing overflows, and for very negative x the result underflows gracefully to 0.
    /// </summary>
    internal readonly struct SigmoidOp<T> : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x)
        {
            T e = T.Exp(-T.Abs(x));
            return x >= T.Zero ? T.One / (T.One + e) : e / (T.One + e);
        }
        public Vector<T> Apply(Vector<T> x)
        {
            var e = VectorOps.Exp(-Vector.Abs(x));
            var inv = Vector<T>.One / (Vector<T>.One + e);
            return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(x, Vector<T>.Zero), inv, e * inv);
        }
    }

    private readonly struct SigmoidGradOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T y, T dy) => dy * y * (T.One - y);
        public Vector<T> Apply(Vector<T> y, Vector<T> dy) => dy * y * (Vector<T>.One - y);
    }

    /// <summary>Φ(x) for a float vector via A&amp;S 7.1.26 on u = |x|/√2: erf(u) ≈ 1 − t·P(t)·e^(−u²), t = 1/(1 + p·u).</summary>
    private static Vector<float> NormalCdf(Vector<float> x)
    {
        var u = Vector.Abs(x) * 0.70710678118654752f;
        var t = Vector<float>.One / (Vector<float>.One + u * 0.3275911f);
        var poly = t * (new Vector<float>(0.254829592f) + t * (new Vector<float>(-0.284496736f) + t * (new Vector<float>(1.421413741f)
                 + t * (new Vector<float>(-1.453152027f) + t * 1.061405429f))));
        var erfAbs = Vector<float>.One - poly * Vector.Exp(-(u * u));
        var half = new Vector<float>(0.5f);
        // Φ(x) = ½(1 + sign(x)·erf(|x|/√2)).
        return Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), half - half * erfAbs, half + half * erfAbs);
    }

    // GELU is compute-bound (an exp, a division and a degree-5 polynomial per element), unlike the memory-bound
    // elementwise ops, so on AVX-512 it gets full 16-lane vectors rather than Vector<T>'s default 8.

    /// <summary>Φ(x) for 16 floats, A&amp;S 7.1.26 as <see cref="NormalCdf(Vector{float})"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> NormalCdf512(Vector512<float> x)
    {
        var u = Vector512.Abs(x) * 0.70710678118654752f;
        var t = Vector512<float>.One / (Vector512<float>.One + u * 0.3275911f);
        var poly = t * (Vector512.Create(0.254829592f) + t * (Vector512.Create(-0.284496736f) + t * (Vector512.Create(1.421413741f)
                 + t * (Vector512.Create(-1.453152027f) + t * 1.061405429f))));
        var erfAbs = Vector512<float>.One - poly * Vector512.Exp(-(u * u));
        var half = Vector512.Create(0.5f);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), half - half * erfAbs, half + half * erfAbs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluForward512(float* x, float* y, long n)
    {
        long i = 0;
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.Load(x + i);
            Vector512.Store(v * NormalCdf512(v), y + i);
        }
        var op = new GeluF32Op();
        for (; i < n; i++) y[i] = op.Apply(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluBackward512(float* x, float* dy, float* dx, long n)
    {
        long i = 0;
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.Load(x + i);
            var pdf = Vector512.Exp(v * v * -0.5f) * 0.3989422804014327f;
            Vector512.Store(Vector512.Load(dy + i) * (NormalCdf512(v) + v * pdf), dx + i);
        }
        var op = new GeluGradF32Op();
        for (; i < n; i++) dx[i] = op.Apply(x[i], dy[i]);
    }

    private readonly struct GeluF32Op : IUnaryOp<float>
    {
        public float Apply(float x) => x * ScalarMath.NormalCdf<float, F32>(x);
        public Vector<float> Apply(Vector<float> x) => x * NormalCdf(x);
    }

    private readonly struct GeluGradF32Op : IBinaryOp<float>
    {
        public float Apply(float x, float dy) => dy * (ScalarMath.NormalCdf<float, F32>(x) + x * ScalarMath.NormalPdf<float, F32>(x));
        public Vector<float> Apply(Vector<float> x, Vector<float> dy)
        {
            var pdf = Vector.Exp(x * x * -0.5f) * 0.3989422804014327f;
            return dy * (NormalCdf(x) + x * pdf);
        }
    }
}
