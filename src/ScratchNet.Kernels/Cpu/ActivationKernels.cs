using System.Runtime.CompilerServices;
using System.Numerics;
using ScratchNet.Kernels.Cpu.Simd;
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
        => par.ForRanges(n, GeluMinPerTask<T>(), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluRange(par.Tier, x + s, y + s, e - s));

    public static void GeluBackward<T>(CpuParallel par, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, GeluMinPerTask<T>(), [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => GeluGradRange(par.Tier, x + s, dy + s, dx + s, e - s));

    // GELU is compute-bound, so it splits across threads at fewer elements than a streaming kernel; float64 (gradient
    // checks only) is slower still per element.
    private static long GeluMinPerTask<T>() => typeof(T) == typeof(float) ? CpuParallel.MinElementsPerTask / 4 : 1024;

    /// <summary><c>y = act(x)</c> for n elements on the calling thread (y may be x).</summary>
    internal static void ForwardRange<T>(SimdTier tier, Activation act, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (act == Activation.Relu) VectorOps.Map(new ReluOp<T>(), x, y, n);
        else GeluRange(tier, x, y, n);
    }

    /// <summary><c>dx = dy·act′(x)</c> for n elements on the calling thread (dx may be x or dy).</summary>
    internal static void BackwardRange<T>(SimdTier tier, Activation act, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (act == Activation.Relu) VectorOps.Map2(new ReluGradOp<T>(), x, dy, dx, n);
        else GeluGradRange(tier, x, dy, dx, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluRange<T>(SimdTier tier, T* x, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var k = new GeluKernel { X = (float*)x, Y = (float*)y, N = n };
            SimdDispatch.Run(tier, ref k);
        }
        else
        {
            double* xd = (double*)x, yd = (double*)y;
            for (long i = 0; i < n; i++) yd[i] = xd[i] * ScalarMath.NormalCdf<double, F64>(xd[i]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeluGradRange<T>(SimdTier tier, T* x, T* dy, T* dx, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var k = new GeluGradKernel { X = (float*)x, Dy = (float*)dy, Dx = (float*)dx, N = n };
            SimdDispatch.Run(tier, ref k);
        }
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

    // GELU is compute-bound (an exp, a reciprocal and a degree-5 polynomial per element), unlike the memory-bound
    // elementwise ops, so it is written over ISimd (full vectors of the backend's tier) with its own exp and
    // reciprocal: Vector<float>'s Exp evaluates float lanes in double (two halves, plus a scalar fallback when a lane
    // is out of range), and on AVX-512 vdivps is the slowest zmm instruction; together they were ~70 % of the time.
    // The last n mod lanes elements take ScalarMath's float Φ (same A&S formula, libm exp).

    /// <summary>
    /// Φ(x), A&amp;S 7.1.26 on u = |x|/√2: erf(u) ≈ 1 − t·P(t)·e^(−u²), t = 1/(1 + p·u), and e = e^(−x²/2) (= e^(−u²),
    /// the same exponential the backward needs for φ(x) = e/√(2π)). u is capped at 10⁴ inside t only so that ±∞ gives
    /// t ≈ 3e-4 instead of 1/∞ through AVX-512's reciprocal estimate (erf there is 1 either way).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V NormalCdf<S, V>(V x, out V e) where S : struct, ISimd<V> where V : unmanaged
    {
        V u = S.Multiply(S.Abs(x), S.Broadcast(0.70710678118654752f));
        V t = S.Reciprocal(S.MultiplyAdd(S.Min(u, S.Broadcast(1e4f)), S.Broadcast(0.3275911f), S.Broadcast(1f)));
        V poly = S.MultiplyAdd(t, S.Broadcast(1.061405429f), S.Broadcast(-1.453152027f));
        poly = S.MultiplyAdd(t, poly, S.Broadcast(1.421413741f));
        poly = S.MultiplyAdd(t, poly, S.Broadcast(-0.284496736f));
        poly = S.MultiplyAdd(t, poly, S.Broadcast(0.254829592f));
        poly = S.Multiply(t, poly);
        e = Exp<S, V>(S.Subtract(S.Zero, S.Multiply(u, u)));
        V erfAbs = S.Subtract(S.Broadcast(1f), S.Multiply(poly, e));
        V half = S.Broadcast(0.5f), halfErf = S.Multiply(half, erfAbs);
        // Φ(x) = ½(1 + sign(x)·erf(|x|/√2)).
        return S.Select(S.LessThan(x, S.Zero), S.Subtract(half, halfErf), S.Add(half, halfErf));
    }

    /// <summary>
    /// e^x for x ≤ 0 (GELU's −x²/2): x = n·ln2 + r with n = round(x·log₂e) and |r| ≤ ln2/2 (Cody–Waite: ln2 split in
    /// a short high part, exact in n·ln2hi, and a low correction), e^r by its degree-7 Taylor polynomial (truncation
    /// ≤ 0.35⁸/8! ≈ 5e-9, under float's half-ulp), and the 2ⁿ scaling on the exponent field (exact for the normal
    /// results kept here). Below x = −87.3 the result would be denormal, and denormal operands in the caller's
    /// products cost microcode assists (GELU on inputs beyond ±13 ran 2× slower), so results there are flushed to 0
    /// (they are &lt; 1.2e-38, far below anything they are added to); the reduction runs on x clamped at that bound,
    /// where n ≥ −126 and r &gt; 0 keep p·2ⁿ normal. A NaN x gives 0 or NaN, harmless because the callers multiply
    /// by x again.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static V Exp<S, V>(V x) where S : struct, ISimd<V> where V : unmanaged
    {
        V lo = S.Broadcast(-87.3f);
        V keep = S.GreaterThanOrEqual(x, lo);
        x = S.Max(x, lo);
        V n = S.RoundToEven(S.Multiply(x, S.Broadcast(1.44269504088896341f)));
        V r = S.MultiplyAdd(n, S.Broadcast(-0.693145751953125f), x);
        r = S.MultiplyAdd(n, S.Broadcast(-1.428606765330187045e-6f), r);
        V p = S.MultiplyAdd(r, S.Broadcast(1f / 5040), S.Broadcast(1f / 720));
        p = S.MultiplyAdd(p, r, S.Broadcast(1f / 120));
        p = S.MultiplyAdd(p, r, S.Broadcast(1f / 24));
        p = S.MultiplyAdd(p, r, S.Broadcast(1f / 6));
        p = S.MultiplyAdd(p, r, S.Broadcast(0.5f));
        p = S.MultiplyAdd(p, r, S.Broadcast(1f));
        p = S.MultiplyAdd(p, r, S.Broadcast(1f));
        return S.Select(keep, S.ScaleByPowerOfTwo(p, n), S.Zero);
    }

    /// <summary>y = x·Φ(x).</summary>
    private struct GeluKernel : ISimdKernel
    {
        public float* X, Y; public long N;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            long i = 0;
            for (; i <= N - S.Count; i += S.Count)
            {
                V v = S.Load(X + i);
                S.Store(Y + i, S.Multiply(v, NormalCdf<S, V>(v, out _)));
            }
            for (; i < N; i++) Y[i] = X[i] * ScalarMath.NormalCdf<float, F32>(X[i]);
        }
    }

    /// <summary>dx = dy·(Φ(x) + x·φ(x)), φ(x) = e^(−x²/2)/√(2π) from the exponential Φ already computed.</summary>
    private struct GeluGradKernel : ISimdKernel
    {
        public float* X, Dy, Dx; public long N;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            long i = 0;
            for (; i <= N - S.Count; i += S.Count)
            {
                V v = S.Load(X + i);
                V cdf = NormalCdf<S, V>(v, out V e);
                S.Store(Dx + i, S.Multiply(S.Load(Dy + i), S.MultiplyAdd(v, S.Multiply(e, S.Broadcast(0.3989422804014327f)), cdf)));
            }
            for (; i < N; i++)
                Dx[i] = Dy[i] * (ScalarMath.NormalCdf<float, F32>(X[i]) + X[i] * ScalarMath.NormalPdf<float, F32>(X[i]));
        }
    }
}
