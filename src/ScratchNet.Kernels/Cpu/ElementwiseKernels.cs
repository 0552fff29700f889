using System.Runtime.CompilerServices;
using System.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Elementwise and reduction kernels: fill, scale (<c>y = αx</c>), axpy (<c>y += αx</c>), clamp-min
/// (<c>y = max(x, m)</c>), broadcast binary ops (<c>out = a op b</c> over a 4-dim index space) and SumTo
/// (the backward of broadcasting: sum over the dims where the target has size 1).
/// </summary>
/// <remarks>
/// These are memory-bound: one vector loop per contiguous run, split into contiguous ranges across threads only
/// when the array is large enough (<see cref="CpuParallel.MinElementsPerTask"/>) to repay a thread hand-off.
/// Reductions accumulate float32 in double and combine per-range partial sums in range order, so the result does
/// not depend on thread timing.
/// </remarks>
internal static unsafe class ElementwiseKernels
{
    public static void Fill<T>(CpuParallel par, T* y, long n, T value) where T : unmanaged
    {
        par.ForRanges(n, CpuParallel.MinElementsPerTask * 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => new Span<T>(y + s, (int)(e - s)).Fill(value));
    }

    public static void Scale<T>(CpuParallel par, T* x, T* y, long n, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var op = new ScaleOp<T>(alpha);
        par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map(op, x + s, y + s, e - s));
    }

    public static void Axpy<T>(CpuParallel par, T* x, T* y, long n, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var op = new AxpyOp<T>(alpha);
        par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map2(op, x + s, y + s, y + s, e - s));
    }

    public static void ClampMin<T>(CpuParallel par, T* x, T* y, long n, T min) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var op = new ClampMinOp<T>(min);
        par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) => VectorOps.Map(op, x + s, y + s, e - s));
    }

    private readonly struct ScaleOp<T>(T alpha) : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x) => alpha * x;
        public Vector<T> Apply(Vector<T> x) => x * alpha;
    }

    private readonly struct AxpyOp<T>(T alpha) : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x, T y) => y + alpha * x;
        public Vector<T> Apply(Vector<T> x, Vector<T> y) => y + x * alpha;
    }

    // max(x, m) written as a select so a NaN x propagates (as torch.clamp_min does) instead of becoming m.
    private readonly struct ClampMinOp<T>(T min) : IUnaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T x) => x < min ? min : x;
        public Vector<T> Apply(Vector<T> x)
        {
            var vm = new Vector<T>(min);
            return Vector.ConditionalSelect(Vector.LessThan(x, vm), vm, x);
        }
    }

    // ------------------------------------------------------------------ broadcast binary

    private readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T a, T b) => a + b;
        public Vector<T> Apply(Vector<T> a, Vector<T> b) => a + b;
    }
    private readonly struct SubOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T a, T b) => a - b;
        public Vector<T> Apply(Vector<T> a, Vector<T> b) => a - b;
    }
    private readonly struct MulOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T a, T b) => a * b;
        public Vector<T> Apply(Vector<T> a, Vector<T> b) => a * b;
    }
    private readonly struct DivOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T a, T b) => a / b;
        public Vector<T> Apply(Vector<T> a, Vector<T> b) => a / b;
    }

    /// <summary><c>out[i0,i1,i2,i3] = a[Σ ik·Ak] op b[Σ ik·Bk]</c>; dispatches once on the op so the loops are specialised.</summary>
    public static void Binary<T>(CpuParallel par, BinaryOp op, T* a, T* b, T* o, Broadcast4 s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: Binary(par, new AddOp<T>(), a, b, o, s); break;
            case BinaryOp.Sub: Binary(par, new SubOp<T>(), a, b, o, s); break;
            case BinaryOp.Mul: Binary(par, new MulOp<T>(), a, b, o, s); break;
            case BinaryOp.Div: Binary(par, new DivOp<T>(), a, b, o, s); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Binary: unknown op");
        }
    }

    private static void Binary<T, TOp>(CpuParallel par, TOp op, T* a, T* b, T* o, Broadcast4 s)
        where T : unmanaged, IFloatingPointIeee754<T> where TOp : struct, IBinaryOp<T>
    {
        long count = s.Count;
        if (count == 0) return;
        long d3 = s.D3;
        // Same-shape fast path: both operands contiguous over the whole output, one flat vector loop.
        // (Broadcast4 gives size-1 dims stride 0, so only dims of size > 1 are compared.)
        bool aFull = Contiguous(s, s.A0, s.A1, s.A2, s.A3);
        bool bFull = Contiguous(s, s.B0, s.B1, s.B2, s.B3);
        if (aFull && bFull)
        {
            par.ForRanges(count, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (st, e) => VectorOps.Map2(op, a + st, b + st, o + st, e - st));
            return;
        }
        bool bScalar = (s.D0 == 1 || s.B0 == 0) && (s.D1 == 1 || s.B1 == 0) && (s.D2 == 1 || s.B2 == 0) && (s.D3 == 1 || s.B3 == 0);
        bool aScalar = (s.D0 == 1 || s.A0 == 0) && (s.D1 == 1 || s.A1 == 0) && (s.D2 == 1 || s.A2 == 0) && (s.D3 == 1 || s.A3 == 0);
        if (aFull && bScalar)
        {
            T bv = b[0];
            par.ForRanges(count, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (st, e) => VectorOps.Map2ScalarB(op, a + st, bv, o + st, e - st));
            return;
        }
        if (aScalar && bFull)
        {
            T av = a[0];
            par.ForRanges(count, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (st, e) => VectorOps.Map2ScalarA(op, av, b + st, o + st, e - st));
            return;
        }
        // General case: one output row (the last dim) at a time; the row itself is a vector loop whenever each
        // operand is contiguous (stride 1) or constant (stride 0) along it, as for bias adds and per-channel scales.
        long rows = (long)s.D0 * s.D1 * s.D2;
        bool parallel = count >= CpuParallel.MinElementsPerTask && rows > 1;
        int d1 = s.D1, d2 = s.D2;
        par.For((int)Math.Min(rows, int.MaxValue), parallel, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
        {
            long i2 = r % d2, t = r / d2, i1 = t % d1, i0 = t / d1;
            T* pa = a + i0 * s.A0 + i1 * s.A1 + i2 * s.A2;
            T* pb = b + i0 * s.B0 + i1 * s.B1 + i2 * s.B2;
            T* po = o + r * d3;
            if (s.A3 == 1 && s.B3 == 1) VectorOps.Map2(op, pa, pb, po, d3);
            else if (s.A3 == 1 && s.B3 == 0) VectorOps.Map2ScalarB(op, pa, *pb, po, d3);
            else if (s.A3 == 0 && s.B3 == 1) VectorOps.Map2ScalarA(op, *pa, pb, po, d3);
            else
                for (long j = 0; j < d3; j++) po[j] = op.Apply(pa[j * s.A3], pb[j * s.B3]);
        });
    }

    private static bool Contiguous(Broadcast4 s, long t0, long t1, long t2, long t3)
    {
        long c3 = 1, c2 = s.D3, c1 = c2 * s.D2, c0 = c1 * s.D1;
        return (s.D3 == 1 || t3 == c3) && (s.D2 == 1 || t2 == c2) && (s.D1 == 1 || t1 == c1) && (s.D0 == 1 || t0 == c0);
    }

    // ------------------------------------------------------------------ SumTo

    /// <summary>
    /// <c>y[j] = Σ x[i]</c> over every x index i that maps onto j (dims where y has size 1 are summed).
    /// Adjacent dims that are both kept or both reduced are merged first, so the common shapes become one of
    /// a few patterns (R = reduced group, K = kept group): [R] full sum, [K] copy, [R,K] column sums (bias
    /// gradients [N, C] → [1, C]), [K,R] row sums, [R,K,R] per-channel sums ([N,C,HW] → [1,C,1]). Anything else
    /// takes a general, serial, still-deterministic loop.
    /// </summary>
    public static void SumTo<T>(CpuParallel par, T* x, ReadOnlySpan<int> xDims, T* y, ReadOnlySpan<int> yDims)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (xDims.Length != 4 || yDims.Length != 4)
            throw new ArgumentException($"SumTo: expects 4 padded dims, got x [{string.Join(", ", xDims.ToArray())}] and y [{string.Join(", ", yDims.ToArray())}]");
        // Merge into groups: (size, reduced?) runs.
        Span<long> gs = stackalloc long[4];
        Span<bool> gr = stackalloc bool[4];
        int g = 0;
        long total = 1;
        for (int d = 0; d < 4; d++)
        {
            if (yDims[d] != xDims[d] && yDims[d] != 1)
                throw new ArgumentException($"SumTo: y dim {d} is {yDims[d]}, must be 1 or equal x's {xDims[d]}");
            total *= xDims[d];
            if (xDims[d] == 1) continue; // size-1 dims join any group
            bool red = yDims[d] == 1;
            if (g > 0 && gr[g - 1] == red) gs[g - 1] *= xDims[d];
            else { gs[g] = xDims[d]; gr[g] = red; g++; }
        }
        if (total == 0)
        {
            long ycount = (long)yDims[0] * yDims[1] * yDims[2] * yDims[3];
            new Span<T>(y, (int)ycount).Clear();
            return;
        }
        if (g == 0) { y[0] = x[0]; return; }
        if (g == 1 && !gr[0]) { Buffer.MemoryCopy(x, y, total * sizeof(T), total * sizeof(T)); return; }
        if (g == 1 && gr[0]) { y[0] = T.CreateTruncating(FullSum(par, x, total)); return; }
        if (g == 2 && gr[0]) { ColumnSums(par, x, gs[0], gs[1], y); return; }
        if (g == 2 && !gr[0])
        {
            long rows = gs[0], len = gs[1];
            par.For((int)rows, total >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) => y[r] = T.CreateTruncating(VectorOps.Sum(x + r * len, len)));
            return;
        }
        if (g == 3 && gr[0])
        {
            long outer = gs[0], k = gs[1], inner = gs[2];
            par.For((int)k, total >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (c) =>
            {
                double acc = 0;
                for (long a = 0; a < outer; a++) acc += VectorOps.Sum(x + (a * k + c) * inner, inner);
                y[c] = T.CreateTruncating(acc);
            });
            return;
        }
        if (g == 3 && !gr[0])
        {
            long outer = gs[0], r = gs[1], k = gs[2];
            par.For((int)outer, total >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (a) => ColumnSums(null, x + a * r * k, r, k, y + a * k));
            return;
        }
        GeneralSumTo(x, xDims, y, yDims);
    }

    private static double FullSum<T>(CpuParallel par, T* x, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = par.RangeCount(n, CpuParallel.MinElementsPerTask, out long chunk);
        if (count == 1) return VectorOps.Sum(x, n);
        var partial = new double[count];
        par.For(count, true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
        {
            long s = t * chunk;
            partial[t] = VectorOps.Sum(x + s, Math.Min(n, s + chunk) - s);
        });
        double acc = 0;
        for (int t = 0; t < count; t++) acc += partial[t];
        return acc;
    }

    /// <summary>y[c] = Σ_r x[r, c] for x [rows, k]: adds whole rows into a row accumulator (vector loop along c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ColumnSums<T>(CpuParallel? par, T* x, long rows, long k, T* y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Split the columns across threads (each thread owns a column strip, so no reduction is needed).
        const int Strip = 1024;
        int strips = (int)((k + Strip - 1) / Strip);
        Action<int> body = [MethodImpl(MethodImplOptions.AggressiveOptimization)] (sIdx) =>
        {
            long c0 = (long)sIdx * Strip, len = Math.Min(Strip, k - c0);
            Span<double> acc = stackalloc double[Strip];
            acc = acc[..(int)len];
            acc.Clear();
            for (long r = 0; r < rows; r++)
            {
                T* row = x + r * k + c0;
                for (int j = 0; j < len; j++) acc[j] += double.CreateTruncating(row[j]);
            }
            for (int j = 0; j < len; j++) y[c0 + j] = T.CreateTruncating(acc[j]);
        };
        if (par is null) { for (int i = 0; i < strips; i++) body(i); }
        else par.For(strips, rows * k >= CpuParallel.MinElementsPerTask, body);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GeneralSumTo<T>(T* x, ReadOnlySpan<int> xd, T* y, ReadOnlySpan<int> yd) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long ycount = (long)yd[0] * yd[1] * yd[2] * yd[3];
        var acc = new double[ycount];
        // y strides in x's index space (0 along summed dims).
        long s3 = yd[3] == 1 ? 0 : 1;
        long s2 = yd[2] == 1 ? 0 : yd[3];
        long s1 = yd[1] == 1 ? 0 : (long)yd[3] * yd[2];
        long s0 = yd[0] == 1 ? 0 : (long)yd[3] * yd[2] * yd[1];
        long i = 0;
        for (long a = 0; a < xd[0]; a++)
            for (long b = 0; b < xd[1]; b++)
                for (long c = 0; c < xd[2]; c++)
                {
                    long baseY = a * s0 + b * s1 + c * s2;
                    for (long d = 0; d < xd[3]; d++) acc[baseY + d * s3] += double.CreateTruncating(x[i++]);
                }
        for (long j = 0; j < ycount; j++) y[j] = T.CreateTruncating(acc[j]);
    }
}
