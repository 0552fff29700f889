using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// An elementwise function of one value, in scalar and <see cref="Vector{T}"/> form. Ops are structs so that
/// <see cref="VectorOps.Map{T, TOp}"/> is specialised per op by the JIT and the op body is inlined into the loop
/// (a delegate or interface call per element would cost more than the arithmetic).
/// </summary>
internal interface IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Apply(T x);
    Vector<T> Apply(Vector<T> x);
}

/// <summary>An elementwise function of two values (see <see cref="IUnaryOp{T}"/>).</summary>
internal interface IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Apply(T a, T b);
    Vector<T> Apply(Vector<T> a, Vector<T> b);
}

/// <summary>An elementwise function of three values (see <see cref="IUnaryOp{T}"/>).</summary>
internal interface ITernaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T Apply(T a, T b, T c);
    Vector<T> Apply(Vector<T> a, Vector<T> b, Vector<T> c);
}

/// <summary>
/// Vector loops over raw pointers: a <see cref="Vector{T}"/> body and a scalar tail. <see cref="Vector{T}"/> is
/// 256 bits wide by default even on AVX-512 hardware, which is plenty for these memory-bound loops.
/// </summary>
internal static unsafe class VectorOps
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<T, TOp>(TOp op, T* x, T* y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IUnaryOp<T>
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            for (; i <= n - w; i += w) Vector.Store(op.Apply(Vector.Load(x + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(x[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map2<T, TOp>(TOp op, T* a, T* b, T* y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<T>
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            for (; i <= n - w; i += w) Vector.Store(op.Apply(Vector.Load(a + i), Vector.Load(b + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(a[i], b[i]);
    }

    /// <summary><c>y[i] = op(a[i], b)</c> with b a broadcast scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map2ScalarB<T, TOp>(TOp op, T* a, T b, T* y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<T>
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            var vb = new Vector<T>(b);
            for (; i <= n - w; i += w) Vector.Store(op.Apply(Vector.Load(a + i), vb), y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(a[i], b);
    }

    /// <summary><c>y[i] = op(a, b[i])</c> with a a broadcast scalar.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map2ScalarA<T, TOp>(TOp op, T a, T* b, T* y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<T>
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            var va = new Vector<T>(a);
            for (; i <= n - w; i += w) Vector.Store(op.Apply(va, Vector.Load(b + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(a, b[i]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map3<T, TOp>(TOp op, T* a, T* b, T* c, T* y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, ITernaryOp<T>
    {
        long i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int w = Vector<T>.Count;
            for (; i <= n - w; i += w) Vector.Store(op.Apply(Vector.Load(a + i), Vector.Load(b + i), Vector.Load(c + i)), y + i);
        }
        for (; i < n; i++) y[i] = op.Apply(a[i], b[i], c[i]);
    }

    /// <summary>e^x per lane for float or double lanes (the JIT folds the type test).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> Exp<T>(Vector<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) return Vector.As<float, T>(Vector.Exp(Vector.As<T, float>(x)));
        if (typeof(T) == typeof(double)) return Vector.As<double, T>(Vector.Exp(Vector.As<T, double>(x)));
        throw new NotSupportedException();
    }

    /// <summary>
    /// Σ x[i] for i &lt; n, accumulated in double: float lanes are widened before they are added, so a sum of a
    /// 50 000-pixel plane keeps double precision (float accumulation would lose ~4 digits there).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Sum<T>(T* x, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long i = 0;
        double s = 0;
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
        {
            // 32 floats per step into four independent double accumulators: the adds' latency, not memory, bounds a
            // single chain, so four chains run ~4× faster.
            float* xf = (float*)x;
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 32; i += 32)
            {
                var (l0, h0) = Vector512.Widen(Vector512.Load(xf + i));
                var (l1, h1) = Vector512.Widen(Vector512.Load(xf + i + 16));
                a0 += l0; a1 += h0; a2 += l1; a3 += h1;
            }
            s = Vector512.Sum((a0 + a1) + (a2 + a3));
            for (; i < n; i++) s += xf[i];
            return s;
        }
        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            float* xf = (float*)x;
            int w = Vector<float>.Count;
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero, a2 = Vector<double>.Zero, a3 = Vector<double>.Zero;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                Vector.Widen(Vector.Load(xf + i), out var l0, out var h0);
                Vector.Widen(Vector.Load(xf + i + w), out var l1, out var h1);
                a0 += l0; a1 += h0; a2 += l1; a3 += h1;
            }
            s = Vector.Sum((a0 + a1) + (a2 + a3));
            for (; i < n; i++) s += xf[i];
            return s;
        }
        if (typeof(T) == typeof(double) && Vector.IsHardwareAccelerated)
        {
            double* xd = (double*)x;
            int w = Vector<double>.Count;
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                a0 += Vector.Load(xd + i);
                a1 += Vector.Load(xd + i + w);
            }
            s = Vector.Sum(a0 + a1);
            for (; i < n; i++) s += xd[i];
            return s;
        }
        for (; i < n; i++) s += double.CreateTruncating(x[i]);
        return s;
    }

    /// <summary>Σ (x[i] − mean)² in double (the second pass of a two-pass variance: no catastrophic cancellation).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumSqDev<T>(T* x, long n, double mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long i = 0;
        double s = 0;
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated)
        {
            float* xf = (float*)x;
            var vm = Vector512.Create(mean);
            Vector512<double> a0 = default, a1 = default, a2 = default, a3 = default;
            for (; i <= n - 32; i += 32)
            {
                var (l0, h0) = Vector512.Widen(Vector512.Load(xf + i));
                var (l1, h1) = Vector512.Widen(Vector512.Load(xf + i + 16));
                l0 -= vm; h0 -= vm; l1 -= vm; h1 -= vm;
                a0 = Vector512.FusedMultiplyAdd(l0, l0, a0); a1 = Vector512.FusedMultiplyAdd(h0, h0, a1);
                a2 = Vector512.FusedMultiplyAdd(l1, l1, a2); a3 = Vector512.FusedMultiplyAdd(h1, h1, a3);
            }
            s = Vector512.Sum((a0 + a1) + (a2 + a3));
            for (; i < n; i++) { double d = xf[i] - mean; s += d * d; }
            return s;
        }
        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            float* xf = (float*)x;
            int w = Vector<float>.Count;
            var vm = new Vector<double>(mean);
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero;
            for (; i <= n - w; i += w)
            {
                Vector.Widen(Vector.Load(xf + i), out var l, out var h);
                l -= vm; h -= vm;
                a0 += l * l; a1 += h * h;
            }
            s = Vector.Sum(a0 + a1);
            for (; i < n; i++) { double d = xf[i] - mean; s += d * d; }
            return s;
        }
        for (; i < n; i++) { double d = double.CreateTruncating(x[i]) - mean; s += d * d; }
        return s;
    }

    /// <summary>Σ dy[i]·(x[i] − mean) in double (batch-norm backward's Σ dy·x̂ before the invstd factor).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SumProdDev<T>(T* dy, T* x, long n, double mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long i = 0;
        double s = 0;
        if (typeof(T) == typeof(float) && Vector.IsHardwareAccelerated)
        {
            float* xf = (float*)x, df = (float*)dy;
            int w = Vector<float>.Count;
            var vm = new Vector<double>(mean);
            Vector<double> a0 = Vector<double>.Zero, a1 = Vector<double>.Zero;
            for (; i <= n - w; i += w)
            {
                Vector.Widen(Vector.Load(xf + i), out var xl, out var xh);
                Vector.Widen(Vector.Load(df + i), out var dl, out var dh);
                a0 += dl * (xl - vm); a1 += dh * (xh - vm);
            }
            s = Vector.Sum(a0 + a1);
            for (; i < n; i++) s += (double)df[i] * (xf[i] - mean);
            return s;
        }
        for (; i < n; i++) s += double.CreateTruncating(dy[i]) * (double.CreateTruncating(x[i]) - mean);
        return s;
    }

    /// <summary>
    /// Σ dy[i] and Σ dy[i]·(x[i] − mean) in double, in one pass over dy and x (batch-norm backward's two sums; two
    /// separate passes read dy twice).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SumAndSumProdDev<T>(T* dy, T* x, long n, double mean, out double sumDy, out double sumDyDev)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(float) || !Vector512.IsHardwareAccelerated)
        {
            sumDy = Sum(dy, n);
            sumDyDev = SumProdDev(dy, x, n, mean);
            return;
        }
        float* xf = (float*)x, df = (float*)dy;
        long i = 0;
        var vm = Vector512.Create(mean);
        Vector512<double> s0 = default, s1 = default, p0 = default, p1 = default;
        for (; i <= n - 16; i += 16)
        {
            var (xl, xh) = Vector512.Widen(Vector512.Load(xf + i));
            var (dl, dh) = Vector512.Widen(Vector512.Load(df + i));
            s0 += dl; s1 += dh;
            p0 = Vector512.FusedMultiplyAdd(dl, xl - vm, p0); p1 = Vector512.FusedMultiplyAdd(dh, xh - vm, p1);
        }
        double sd = Vector512.Sum(s0 + s1), sp = Vector512.Sum(p0 + p1);
        for (; i < n; i++) { sd += df[i]; sp += (double)df[i] * (xf[i] - mean); }
        sumDy = sd; sumDyDev = sp;
    }

    /// <summary><c>y[i] = a·x[i] + b</c>.</summary>
    public static void Affine<T>(T* x, T* y, long n, T a, T b) where T : unmanaged, IFloatingPointIeee754<T>
        => Map(new AffineOp<T>(a, b), x, y, n);

    /// <summary><c>y[i] = a·x[i] + b·z[i] + c</c>.</summary>
    public static void Affine2<T>(T* x, T* z, T* y, long n, T a, T b, T c) where T : unmanaged, IFloatingPointIeee754<T>
        => Map2(new Affine2Op<T>(a, b, c), x, z, y, n);

    /// <summary><c>y[i] = a·(x[i] − mu) + b</c>: centring first keeps precision when |mu| ≫ the spread of x.</summary>
    public static void AffineCentered<T>(T* x, T* y, long n, T a, T mu, T b) where T : unmanaged, IFloatingPointIeee754<T>
        => Map(new AffineCenteredOp<T>(a, mu, b), x, y, n);

    /// <summary><c>y[i] = a·d[i] + b·(x[i] − mu) + c</c>.</summary>
    public static void Affine2Centered<T>(T* d, T* x, T* y, long n, T a, T b, T mu, T c) where T : unmanaged, IFloatingPointIeee754<T>
        => Map2(new Affine2CenteredOp<T>(a, b, mu, c), d, x, y, n);

    private readonly struct AffineCenteredOp<T>(T a, T mu, T b) : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x) => a * (x - mu) + b;
        public Vector<T> Apply(Vector<T> x) => new Vector<T>(a) * (x - new Vector<T>(mu)) + new Vector<T>(b);
    }

    private readonly struct Affine2CenteredOp<T>(T a, T b, T mu, T c) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T d, T x) => a * d + b * (x - mu) + c;
        public Vector<T> Apply(Vector<T> d, Vector<T> x) => new Vector<T>(a) * d + new Vector<T>(b) * (x - new Vector<T>(mu)) + new Vector<T>(c);
    }

    private readonly struct AffineOp<T>(T a, T b) : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x) => a * x + b;
        public Vector<T> Apply(Vector<T> x) => new Vector<T>(a) * x + new Vector<T>(b);
    }

    private readonly struct Affine2Op<T>(T a, T b, T c) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x, T z) => a * x + b * z + c;
        public Vector<T> Apply(Vector<T> x, Vector<T> z) => new Vector<T>(a) * x + new Vector<T>(b) * z + new Vector<T>(c);
    }
}
