using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// Max, average and global-average pooling on NCHW data. The backward kernels are gathers — each dx element
/// loops over the few windows that cover it — so they need no atomics and overlapping windows (stride &lt; K)
/// sum in a fixed order, deterministically.
/// </summary>
internal static class PoolingKernels
{
    /// <summary>
    /// Max pooling forward, one thread per output: <c>y[n,c,i,j] = max x[n,c,i·s+p−pad, j·s+q−pad]</c> over the
    /// K×K window, padding counting as −∞ (it is skipped). <c>indices</c> gets the argmax as h·W + w in its plane;
    /// the first maximum in row-major window order wins (strict &gt;).
    /// </summary>
    public static void MaxPool2dForward<T, R>(ArrayView<T> x, ArrayView<T> y, ArrayView<int> indices, Pool2dShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.C * oh * ow;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int j = (int)(idx % ow);
            long t = idx / ow;
            int i = (int)(t % oh);
            long plane = (t / oh) * s.H * s.W;
            T best = T.Zero;
            int arg = -1;
            for (int p = 0; p < s.K; p++)
            {
                int h = i * s.Stride + p - s.Pad.Top;
                if (h < 0 || h >= s.H) continue;
                for (int q = 0; q < s.K; q++)
                {
                    int w = j * s.Stride + q - s.Pad.Left;
                    if (w < 0 || w >= s.W) continue;
                    T v = x[plane + h * s.W + w];
                    if (arg < 0 || v > best) { best = v; arg = h * s.W + w; }
                }
            }
            y[idx] = best;
            indices[idx] = arg;
        }
    }

    /// <summary>
    /// Max pooling backward as a gather, one thread per input element (h, w):
    /// <c>dx[n,c,h,w] = Σ dy[n,c,i,j]</c> over the windows (i, j) that cover (h, w) and whose argmax is (h, w).
    /// The covering windows are i ∈ [⌈(h+pad−K+1)/s⌉, ⌊(h+pad)/s⌋] ∩ [0, OH), same for j.
    /// </summary>
    public static void MaxPool2dBackward<T, R>(ArrayView<T> dy, ArrayView<int> indices, ArrayView<T> dx, Pool2dShape s)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.C * s.H * s.W;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int w = (int)(idx % s.W);
            long t = idx / s.W;
            int h = (int)(t % s.H);
            long plane = t / s.H;
            int flat = h * s.W + w;
            WindowRange(h, s.K, s.Stride, s.Pad.Top, oh, out int i0, out int i1);
            WindowRange(w, s.K, s.Stride, s.Pad.Left, ow, out int j0, out int j1);
            T sum = T.Zero;
            long outPlane = plane * oh * ow;
            for (int i = i0; i <= i1; i++)
                for (int j = j0; j <= j1; j++)
                {
                    long o = outPlane + i * ow + j;
                    if (indices[o] == flat) sum += dy[o];
                }
            dx[idx] = sum;
        }
    }

    /// <summary>
    /// Average pooling forward: <c>y = (Σ over the window of x)/K²</c>, zero padding counted in the divisor
    /// (PyTorch's count_include_pad = true).
    /// </summary>
    public static void AvgPool2dForward<T, R>(ArrayView<T> x, ArrayView<T> y, Pool2dShape s, T invArea)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.C * oh * ow;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int j = (int)(idx % ow);
            long t = idx / ow;
            int i = (int)(t % oh);
            long plane = (t / oh) * s.H * s.W;
            T sum = T.Zero;
            for (int p = 0; p < s.K; p++)
            {
                int h = i * s.Stride + p - s.Pad.Top;
                if (h < 0 || h >= s.H) continue;
                for (int q = 0; q < s.K; q++)
                {
                    int w = j * s.Stride + q - s.Pad.Left;
                    if (w < 0 || w >= s.W) continue;
                    sum += x[plane + h * s.W + w];
                }
            }
            y[idx] = sum * invArea;
        }
    }

    /// <summary>Average pooling backward as a gather: <c>dx[n,c,h,w] = Σ dy[n,c,i,j]/K²</c> over windows covering (h, w).</summary>
    public static void AvgPool2dBackward<T, R>(ArrayView<T> dy, ArrayView<T> dx, Pool2dShape s, T invArea)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        int oh = s.OH, ow = s.OW;
        long total = (long)s.N * s.C * s.H * s.W;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            int w = (int)(idx % s.W);
            long t = idx / s.W;
            int h = (int)(t % s.H);
            long plane = t / s.H;
            WindowRange(h, s.K, s.Stride, s.Pad.Top, oh, out int i0, out int i1);
            WindowRange(w, s.K, s.Stride, s.Pad.Left, ow, out int j0, out int j1);
            T sum = T.Zero;
            long outPlane = plane * oh * ow;
            for (int i = i0; i <= i1; i++)
                for (int j = j0; j <= j1; j++)
                    sum += dy[outPlane + i * ow + j];
            dx[idx] = sum * invArea;
        }
    }

    /// <summary>Adaptive average pooling to 1×1, one thread per row: <c>y[r] = mean(x[r, 0..hw))</c>.</summary>
    public static void GlobalAvgPoolForward<T, R>(ArrayView<T> x, ArrayView<T> y, int rows, int hw, T invHw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long r = GridStride.Start(); r < rows; r += step)
        {
            T sum = T.Zero;
            long row = r * hw;
            for (int k = 0; k < hw; k++) sum += x[row + k];
            y[r] = sum * invHw;
        }
    }

    /// <summary>Global average pooling backward: <c>dx[r, k] = dy[r]/hw</c>.</summary>
    public static void GlobalAvgPoolBackward<T, R>(ArrayView<T> dy, ArrayView<T> dx, int rows, int hw, T invHw)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)rows * hw;
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < total; i += step)
            dx[i] = dy[i / hw] * invHw;
    }

    /// <summary>
    /// The output positions o ∈ [first, last] whose window (o·s − pad … o·s − pad + K − 1) covers input position h,
    /// clipped to [0, outSize). Empty when first &gt; last.
    /// </summary>
    internal static void WindowRange(int h, int k, int stride, int pad, int outSize, out int first, out int last)
    {
        int hp = h + pad;
        // first = ⌈(hp − k + 1)/stride⌉, computed without dividing a negative number.
        int lo = hp - k + 1;
        first = lo <= 0 ? 0 : (lo + stride - 1) / stride;
        last = hp / stride;
        if (last > outSize - 1) last = outSize - 1;
    }
}
