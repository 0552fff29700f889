using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
        => par.ForRanges(n, GeluMinPerTask<T>(), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluRange(x + s, y + s, e - s));

    public static void GeluBackward<T>(CpuParallel par, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, GeluMinPerTask<T>(), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluGradRange(x + s, dy + s, dx + s, e - s));

    // GELU is compute-bound, so it splits across threads at fewer elements than a streaming kernel; float64 (gradient
    // checks only) is slower still per element.
    private static long GeluMinPerTask<T>() => typeof(T) == typeof(float) ? CpuParallel.MinElementsPerTask / 4 : 1024;

    /// <summary><c>y = act(x)</c> for n elements on the calling thread (y may be x).</summary>
    internal static void ForwardRange<T>(Activation act, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (act == Activation.Relu) VectorOps.Map(new ReluOp<T>(), x, y, n);
        else GeluRange(x, y, n);
    }

    /// <summary><c>dx = dy·act′(x)</c> for n elements on the calling thread (dx may be x or dy).</summary>
    internal static void BackwardRange<T>(Activation act, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (act == Activation.Relu) VectorOps.Map2(new ReluGradOp<T>(), x, dy, dx, n);
        else GeluGradRange(x, dy, dx, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluRange<T>(T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported) GeluForward512((float*)x, (float*)y, n);
        else if (typeof(T) == typeof(float)) VectorOps.Map(new GeluF32Op(), (float*)x, (float*)y, n);
        else
        {
            double* xd = (double*)x, yd = (double*)y;
            for (long i = 0; i < n; i++) yd[i] = xd[i] * ScalarMath.NormalCdf<double, F64>(xd[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluGradRange<T>(T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx512F.IsSupported) GeluBackward512((float*)x, (float*)dy, (float*)dx, n);
        else if (typeof(T) == typeof(float)) VectorOps.Map2(new GeluGradF32Op(), (float*)x, (float*)dy, (float*)dx, n);
        else
        {
            double* xd = (double*)x, gd = (double*)dy, od = (double*)dx;
            for (long i = 0; i < n; i++)
            {
                double v = xd[i];
                od[i] = gd[i] * (ScalarMath.NormalCdf<double, F64>(v) + v * ScalarMath.NormalPdf<double, F64>(v));
            }
        }
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
    // elementwise ops, so on AVX-512 it gets full 16-lane vectors rather than Vector<T>'s default 8, and its own
    // exp and reciprocal: Vector512.Exp evaluates float lanes in double (two halves, plus a scalar fallback when a
    // lane is out of range), and vdivps is the slowest zmm instruction; together they were ~70 % of the time.

    /// <summary>
    /// Φ(x) for 16 floats, A&amp;S 7.1.26 as <see cref="NormalCdf(Vector{float})"/>, and e = e^(−x²/2) (= e^(−u²),
    /// the same exponential the backward needs for φ(x) = e/√(2π)). u is capped at 10⁴ inside t only so that ±∞
    /// gives t ≈ 3e-4 instead of 1/∞ through the reciprocal's Newton step (erf there is 1 either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> NormalCdf512(Vector512<float> x, out Vector512<float> e)
    {
        var u = Vector512.Abs(x) * 0.70710678118654752f;
        var t = Reciprocal512(Vector512.FusedMultiplyAdd(Avx512F.Min(u, Vector512.Create(1e4f)), Vector512.Create(0.3275911f), Vector512<float>.One));
        var poly = t * Vector512.FusedMultiplyAdd(t, Vector512.FusedMultiplyAdd(t, Vector512.FusedMultiplyAdd(t,
                       Vector512.FusedMultiplyAdd(t, Vector512.Create(1.061405429f), Vector512.Create(-1.453152027f)),
                       Vector512.Create(1.421413741f)), Vector512.Create(-0.284496736f)), Vector512.Create(0.254829592f));
        e = Exp512(-(u * u));
        var erfAbs = Vector512<float>.One - poly * e;
        var half = Vector512.Create(0.5f);
        return Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<float>.Zero), half - half * erfAbs, half + half * erfAbs);
    }

    /// <summary>
    /// 1/d for d ≥ 1: vrcp14ps (relative error ≤ 2⁻¹⁴) and one Newton step r ← r + r·(1 − d·r), which squares the
    /// error to ≈2⁻²⁸, below float's half-ulp; 3 cheap instructions instead of a 16-lane division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Reciprocal512(Vector512<float> d)
    {
        var r = Avx512F.Reciprocal14(d);
        return Vector512.FusedMultiplyAdd(r, Avx512F.FusedMultiplyAddNegated(d, r, Vector512<float>.One), r);
    }

    /// <summary>
    /// e^x for 16 floats with x ≤ 0 (GELU's −x²/2): x = n·ln2 + r with n = round(x·log₂e) and |r| ≤ ln2/2
    /// (Cody–Waite: ln2 split in a short high part, exact in n·ln2hi, and a low correction), e^r by its degree-7
    /// Taylor polynomial (truncation ≤ 0.35⁸/8! ≈ 5e-9, under float's half-ulp), and the 2ⁿ scaling by vscalefps
    /// (exact for the normal results kept here). Below x = −87.3 the result would be denormal, and denormal operands
    /// in the caller's products cost microcode assists (GELU on inputs beyond ±13 ran 2× slower), so results there
    /// are flushed to 0 (they are &lt; 1.2e-38, far below anything they are added to); the reduction runs on x
    /// clamped at that bound. A NaN x gives 0 as well, which is harmless because the callers multiply by x again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp512(Vector512<float> x)
    {
        var lo = Vector512.Create(-87.3f);
        var keep = Vector512.GreaterThanOrEqual(x, lo);
        x = Avx512F.Max(x, lo);
        var n = Avx512F.RoundScale(x * 1.44269504088896341f, 0); // round to nearest even
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693145751953125f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.428606765330187045e-6f), r);
        var p = Vector512.FusedMultiplyAdd(r, Vector512.Create(1f / 5040), Vector512.Create(1f / 720));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        return Vector512.ConditionalSelect(keep, Avx512F.Scale(p, n), Vector512<float>.Zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluForward512(float* x, float* y, long n)
    {
        long i = 0;
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.Load(x + i);
            Vector512.Store(v * NormalCdf512(v, out _), y + i);
        }
        var op = new GeluF32Op();
        for (; i < n; i++) y[i] = op.Apply(x[i]);
    }

    /// <summary>dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) from the exponential Φ already computed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluBackward512(float* x, float* dy, float* dx, long n)
    {
        long i = 0;
        for (; i <= n - 16; i += 16)
        {
            var v = Vector512.Load(x + i);
            var cdf = NormalCdf512(v, out var e);
            Vector512.Store(Vector512.Load(dy + i) * Vector512.FusedMultiplyAdd(v, e * 0.3989422804014327f, cdf), dx + i);
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
