using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Four padded dimensions (row-major, leading 1s), passed by value to the SumTo kernels.</summary>
public readonly struct Dims4(int d0, int d1, int d2, int d3)
{
    /// <summary>Dimension 0 (outermost).</summary>
    public readonly int D0 = d0;
    /// <summary>Dimension 1.</summary>
    public readonly int D1 = d1;
    /// <summary>Dimension 2.</summary>
    public readonly int D2 = d2;
    /// <summary>Dimension 3 (innermost).</summary>
    public readonly int D3 = d3;

    /// <summary>Number of elements.</summary>
    public long Count => (long)D0 * D1 * D2 * D3;
}

/// <summary>
/// Elementwise kernels: fill, scale, axpy, clamp-min, broadcast binary ops, the SumTo reduction (the backward
/// of broadcasting) and the channel copy behind concat. All are grid-stride loops, one thread per output element,
/// except <see cref="SumToGrouped{T, R}"/>, which gives each output a whole group.
/// </summary>
internal static class ElementwiseKernels
{
    /// <summary>Group size of <see cref="SumToGrouped{T, R}"/> (a power of two for the tree reduction).</summary>
    internal const int ReduceGroupSize = 256;

    /// <summary><c>y[i] = v</c> for i &lt; n.</summary>
    public static void Fill<T, R>(ArrayView<T> y, long n, T v)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step) y[i] = v;
    }

    /// <summary><c>y[i] = v</c> for i &lt; n, Int32 buffers.</summary>
    public static void FillInt(ArrayView<int> y, long n, int v)
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step) y[i] = v;
    }

    /// <summary><c>y[i] = α·x[i]</c> (y may alias x: each thread reads then writes its own element).</summary>
    public static void Scale<T, R>(ArrayView<T> x, ArrayView<T> y, long n, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step) y[i] = alpha * x[i];
    }

    /// <summary><c>y[i] += α·x[i]</c>: gradient accumulation.</summary>
    public static void Axpy<T, R>(ArrayView<T> x, ArrayView<T> y, long n, T alpha)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step) y[i] += alpha * x[i];
    }

    /// <summary><c>y[i] = max(x[i], min)</c>.</summary>
    public static void ClampMin<T, R>(ArrayView<T> x, ArrayView<T> y, long n, T min)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T v = x[i];
            y[i] = v < min ? min : v;
        }
    }

    /// <summary>
    /// <c>out[i] = a[ia] op b[ib]</c> over the broadcast space s: the output index i is split into (i0, i1, i2, i3)
    /// and each operand's offset is Σ i_d·stride_d with stride 0 along its broadcast (size-1) dims.
    /// <paramref name="op"/> is a <see cref="BinaryOp"/> (uniform across the grid, so the switch does not diverge).
    /// </summary>
    public static void Binary<T, R>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> output, Broadcast4 s, int op)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long count = (long)s.D0 * s.D1 * s.D2 * s.D3;
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < count; i += step)
        {
            long r = i;
            long i3 = r % s.D3; r /= s.D3;
            long i2 = r % s.D2; r /= s.D2;
            long i1 = r % s.D1; long i0 = r / s.D1;
            T va = a[i0 * s.A0 + i1 * s.A1 + i2 * s.A2 + i3 * s.A3];
            T vb = b[i0 * s.B0 + i1 * s.B1 + i2 * s.B2 + i3 * s.B3];
            T v;
            if (op == (int)BinaryOp.Add) v = va + vb;
            else if (op == (int)BinaryOp.Sub) v = va - vb;
            else if (op == (int)BinaryOp.Mul) v = va * vb;
            else v = va / vb;
            output[i] = v;
        }
    }

    /// <summary>
    /// <c>y[j] = Σ x[i]</c> over every x index i that maps onto y index j (dims where y has size 1 are summed):
    /// one thread per y element loops over its reduced index space. Good when y is large (bias gradients of
    /// wide layers); a full sum runs on one thread, which is fine on the simulator.
    /// </summary>
    public static void SumTo<T, R>(ArrayView<T> x, Dims4 xd, ArrayView<T> y, Dims4 yd)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long ny = yd.Count;
        long reduced = ReducedCount(xd, yd);
        long step = GridStride.Step();
        for (long j = GridStride.Start(); j < ny; j += step)
        {
            T sum = T.Zero;
            for (long r = 0; r < reduced; r++) sum += x[SourceIndex(xd, yd, j, r)];
            y[j] = sum;
        }
    }

    /// <summary>
    /// Same as <see cref="SumTo{T, R}"/>, for GPUs: one group of <see cref="ReduceGroupSize"/> threads per y element
    /// (groups stride over y), each thread sums a strided share of the reduced space, then a shared-memory tree adds
    /// the partial sums. A full sum of a large tensor thus runs on a whole group instead of one thread.
    /// </summary>
    public static void SumToGrouped<T, R>(ArrayView<T> x, Dims4 xd, ArrayView<T> y, Dims4 yd)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        var partial = SharedMemory.Allocate<T>(ReduceGroupSize);
        long ny = yd.Count;
        long reduced = ReducedCount(xd, yd);
        int tid = Group.IdxX;
        for (long j = Grid.IdxX; j < ny; j += Grid.DimX)
        {
            T sum = T.Zero;
            for (long r = tid; r < reduced; r += ReduceGroupSize) sum += x[SourceIndex(xd, yd, j, r)];
            sum = GroupReduce.Sum(partial, tid, sum);
            if (tid == 0) y[j] = sum;
        }
    }

    /// <summary>Number of x elements summed into each y element: Π over dims where y is 1 of x's size.</summary>
    internal static long ReducedCount(Dims4 xd, Dims4 yd) =>
        (long)(yd.D0 == 1 ? xd.D0 : 1) * (yd.D1 == 1 ? xd.D1 : 1) * (yd.D2 == 1 ? xd.D2 : 1) * (yd.D3 == 1 ? xd.D3 : 1);

    /// <summary>
    /// Flat x index of the r-th element reduced into y element j: j gives the kept coordinates, r (mixed radix over
    /// the reduced dims) the summed ones.
    /// </summary>
    internal static long SourceIndex(Dims4 xd, Dims4 yd, long j, long r)
    {
        long y3 = j % yd.D3; j /= yd.D3;
        long y2 = j % yd.D2; j /= yd.D2;
        long y1 = j % yd.D1; long y0 = j / yd.D1;
        long x3, x2, x1, x0;
        if (yd.D3 == 1) { x3 = r % xd.D3; r /= xd.D3; } else x3 = y3;
        if (yd.D2 == 1) { x2 = r % xd.D2; r /= xd.D2; } else x2 = y2;
        if (yd.D1 == 1) { x1 = r % xd.D1; r /= xd.D1; } else x1 = y1;
        if (yd.D0 == 1) x0 = r; else x0 = y0;
        return ((x0 * xd.D1 + x1) * xd.D2 + x2) * xd.D3 + x3;
    }

    /// <summary>
    /// <c>dst[b, dstC0 + k, p] = src[b, srcC0 + k, p]</c> for b &lt; n, k &lt; c, p &lt; hw: concat's forward
    /// (into a channel offset) and backward (out of one).
    /// </summary>
    public static void CopyChannels<T, R>(ArrayView<T> src, int srcChannels, int srcC0, ArrayView<T> dst, int dstChannels, int dstC0, int n, int c, int hw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)n * c * hw;
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < total; i += step)
        {
            long p = i % hw;
            long rest = i / hw;
            long k = rest % c;
            long b = rest / c;
            dst[(b * dstChannels + dstC0 + k) * hw + p] = src[(b * srcChannels + srcC0 + k) * hw + p];
        }
    }
}
