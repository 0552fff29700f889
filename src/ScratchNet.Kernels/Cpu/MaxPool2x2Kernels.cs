using System.Runtime.CompilerServices;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// The 2×2, stride-2, unpadded max-pool of one float plane — forward, the gather of x at the recorded argmax (the
/// fused batch-norm block's backward), and backward — written once over <see cref="ISimd{V}"/>, Count outputs per
/// step, branch-free. The scalar loop's data-dependent comparisons mispredict about half the time on real
/// activations (≈7 ns per output); here each row's 2·Count input columns are split into their even and odd columns
/// (<see cref="ISimd{V}.Deinterleave"/>) and the four window positions are merged in scan order with compare +
/// select on values and on flat indices h·W + w (carried as floats, exact below 2²⁴), exactly the scalar rule of
/// <see cref="PoolingKernels"/>: replace when strictly greater, or when the new value is NaN and the maximum is not.
/// </summary>
/// <remarks>
/// A row wider than a vector ends with one overlapping vector (outputs recomputed, same values); a row narrower than
/// a vector is loaded and stored with masks, so the plane's last row never reads or writes past its buffer.
/// </remarks>
internal static unsafe class MaxPool2x2Kernels
{
    /// <summary>Whether these kernels compute the pooling of a plane: 2×2/2 unpadded, float indices exact.</summary>
    public static bool Applies(Pool2dShape s) => s.K == 2 && s.Stride == 2 && s.Pad == 0 && (long)s.H * s.W < 1 << 24;

    public static void Forward(SimdTier tier, float* xp, float* yp, int* ip, int oh, int ow, int W)
    {
        var k = new ForwardKernel { X = xp, Y = yp, I = ip, OH = oh, OW = ow, W = W };
        SimdDispatch.Run(tier, ref k);
    }

    public static void GatherAtArgmax(SimdTier tier, float* xp, int* ip, float* xs, int oh, int ow, int W)
    {
        var k = new GatherKernel { X = xp, I = ip, Xs = xs, OH = oh, OW = ow, W = W };
        SimdDispatch.Run(tier, ref k);
    }

    public static void Backward(SimdTier tier, float* dyp, int* ip, float* dxp, int oh, int ow, int H, int W)
    {
        var k = new BackwardKernel { Dy = dyp, I = ip, Dx = dxp, OH = oh, OW = ow, H = H, W = W };
        SimdDispatch.Run(tier, ref k);
    }

    /// <summary>
    /// The two rows of Count windows starting at output column j: their inputs split into the four window positions
    /// (top-left, top-right, bottom-left, bottom-right). <paramref name="lanes"/> &lt; Count (a narrow row) loads only
    /// the row's 2·lanes columns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Windows<S, V>(float* r0, float* r1, int lanes, out V tl, out V tr, out V bl, out V br)
        where S : struct, ISimd<V> where V : unmanaged
    {
        V a0, a1, b0, b1;
        if (lanes == S.Count)
        {
            a0 = S.Load(r0); a1 = S.Load(r0 + S.Count); b0 = S.Load(r1); b1 = S.Load(r1 + S.Count);
        }
        else
        {
            V iota = S.Iota;
            V low = S.LessThan(iota, S.Broadcast(2 * lanes)), high = S.LessThan(iota, S.Broadcast(2 * lanes - S.Count));
            a0 = S.LoadMasked(r0, low); a1 = S.LoadMasked(r0 + S.Count, high);
            b0 = S.LoadMasked(r1, low); b1 = S.LoadMasked(r1 + S.Count, high);
        }
        S.Deinterleave(a0, a1, out tl, out tr);
        S.Deinterleave(b0, b1, out bl, out br);
    }

    private struct ForwardKernel : ISimdKernel
    {
        public float* X, Y; public int* I; public int OH, OW, W;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            int C = S.Count, ow = OW, w = W;
            V twoIota = S.Add(S.Iota, S.Iota), one = S.Broadcast(1f), width = S.Broadcast(w);
            V outputs = S.LessThan(S.Iota, S.Broadcast(ow)); // a narrow row's lanes
            for (int i = 0; i < OH; i++)
            {
                float* r0 = X + 2 * i * w, r1 = r0 + w;
                for (int j = 0; ; j += C)
                {
                    if (j > ow - C) { if (j >= ow) break; if (ow >= C) j = ow - C; }
                    int lanes = Math.Min(C, ow - j);
                    Windows<S, V>(r0 + 2 * j, r1 + 2 * j, lanes, out V tl, out V tr, out V bl, out V br);
                    V first = S.Add(S.Broadcast(2 * i * w + 2 * j), twoIota); // flat index of each window's top-left
                    V best = tl, bi = first;
                    Take<S, V>(tr, S.Add(first, one), ref best, ref bi);
                    V below = S.Add(first, width);
                    Take<S, V>(bl, below, ref best, ref bi);
                    Take<S, V>(br, S.Add(below, one), ref best, ref bi);
                    float* y = Y + i * ow + j;
                    int* ix = I + i * ow + j;
                    if (lanes == C) { S.Store(y, best); S.StoreInt32(ix, bi); }
                    else { S.StoreMasked(y, outputs, best); S.StoreInt32Masked(ix, outputs, bi); break; }
                    if (j + C == ow) break;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Take<S, V>(V v, V vi, ref V best, ref V bi) where S : struct, ISimd<V> where V : unmanaged
        {
            V take = S.Or(S.LessThan(best, v), S.AndNot(S.Equals(best, best), S.Equals(v, v)));
            best = S.Select(take, v, best);
            bi = S.Select(take, vi, bi);
        }
    }

    /// <summary><c>xs[o] = xp[ip[o]]</c>: each lane keeps the one of its window's four positions that the index names.</summary>
    private struct GatherKernel : ISimdKernel
    {
        public float* X, Xs; public int* I; public int OH, OW, W;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            int C = S.Count, ow = OW, w = W;
            V twoIota = S.Add(S.Iota, S.Iota), right = S.Broadcast(1f), below = S.Broadcast(w), belowRight = S.Broadcast(w + 1);
            for (int i = 0; i < OH; i++)
            {
                float* r0 = X + 2 * i * w, r1 = r0 + w;
                for (int j = 0; ; j += C)
                {
                    if (j > ow - C) { if (j >= ow) break; if (ow >= C) j = ow - C; }
                    int lanes = Math.Min(C, ow - j);
                    Windows<S, V>(r0 + 2 * j, r1 + 2 * j, lanes, out V tl, out V tr, out V bl, out V br);
                    int* ix = I + i * ow + j;
                    float* xs = Xs + i * ow + j;
                    if (lanes < C)
                    {
                        // A narrow row: few outputs, read the indices one by one rather than past the row.
                        for (int l = 0; l < lanes; l++) xs[l] = X[ix[l]];
                        break;
                    }
                    V at = S.Subtract(S.LoadInt32(ix), S.Add(S.Broadcast(2 * i * w + 2 * j), twoIota)); // 0, 1, W or W + 1
                    V v = S.Select(S.Equals(at, right), tr, tl);
                    v = S.Select(S.Equals(at, below), bl, v);
                    v = S.Select(S.Equals(at, belowRight), br, v);
                    S.Store(xs, v);
                    if (j + C == ow) break;
                }
            }
        }
    }

    /// <summary>
    /// Backward without the clear-then-scatter pass: windows do not overlap, so each input (h, w) inside the pooled
    /// area belongs to exactly one window o and dx[h, w] = (idx[o] == h·W + w) ? dy[o] : 0; a last odd row or column
    /// (dropped by floor mode) gets 0. Count outputs at a time: dy and idx are duplicated lane-wise (o, o, o+1, o+1,
    /// …) and compared with the 2·Count flat positions of each of the two input rows.
    /// </summary>
    private struct BackwardKernel : ISimdKernel
    {
        public float* Dy, Dx; public int* I; public int OH, OW, H, W;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            int C = S.Count, ow = OW, w = W;
            if (ow < C)
            {
                // Narrow planes: the plain scatter.
                new Span<float>(Dx, H * w).Clear();
                for (int o = 0; o < OH * ow; o++) Dx[I[o]] += Dy[o];
                return;
            }
            V width = S.Broadcast(w), zero = S.Zero;
            for (int i = 0; i < OH; i++)
            {
                float* g = Dy + i * ow, d0 = Dx + 2 * i * w, d1 = d0 + w;
                int* ix = I + i * ow;
                V pos0 = S.Add(S.Broadcast(2 * i * w), S.Iota);
                for (int j = 0; ; j += C)
                {
                    if (j > ow - C) { if (j == ow) break; j = ow - C; }
                    S.Duplicate(S.Load(g + j), out V gLo, out V gHi);
                    S.Duplicate(S.LoadInt32(ix + j), out V iLo, out V iHi);
                    V pLo = S.Add(pos0, S.Broadcast(2 * j)), pHi = S.Add(pLo, S.Broadcast(C));
                    S.Store(d0 + 2 * j, S.Select(S.Equals(iLo, pLo), gLo, zero));
                    S.Store(d0 + 2 * j + C, S.Select(S.Equals(iHi, pHi), gHi, zero));
                    S.Store(d1 + 2 * j, S.Select(S.Equals(iLo, S.Add(pLo, width)), gLo, zero));
                    S.Store(d1 + 2 * j + C, S.Select(S.Equals(iHi, S.Add(pHi, width)), gHi, zero));
                    if (j + C == ow) break;
                }
                if (w > 2 * ow) { d0[w - 1] = 0f; d1[w - 1] = 0f; }
            }
            if (H > 2 * OH) new Span<float>(Dx + (long)(H - 1) * w, w).Clear();
        }
    }
}
