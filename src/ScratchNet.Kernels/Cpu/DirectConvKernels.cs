using System.Runtime.CompilerServices;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Stride-1 float32 convolution computed straight from the image, without im2col or packing:
/// <c>y[o, i, j] = b[o] + Σ_{c,p,q} w[o, c, p, q] · x[c, i + p − pad, j + q − pad]</c> (zero outside the image),
/// and its weight gradient (<see cref="WeightGradient"/>; the input gradient is a forward convolution of dy, see
/// <c>Conv2dKernels.BackwardInputAsConv</c>). Written once over <see cref="ISimd{V}"/>, so every tier runs the same
/// algorithm: AVX-512, AVX2, 128-bit (SSE or NEON) and scalar.
/// </summary>
/// <remarks>
/// <para>The register block is OB output channels × one vector of neighbouring output pixels of one row: OB
/// accumulators, one per channel. For every tap (c, p, q) one vector of input pixels is loaded — a plain unaligned
/// load of an input row, shifted by q — and multiplied by OB broadcast weights, one FMA per output channel. So each
/// loaded input vector feeds OB FMAs and the weights come from a small transposed copy that stays in L1: the loop is
/// FMA-bound. OB is 16 where the tier has 32 vector registers (AVX-512, NEON) and 8 where it has 16 (AVX2, SSE):
/// 16 accumulators plus the input vector and a broadcast do not fit in 16 registers, and a spilled accumulator costs
/// a load and a store per FMA.</para>
/// <para>Why it exists: the GEMM route packs a 32-pixel panel of the im2col matrix (C·KH·KW rows) for every panel and
/// shares it among OutC rows. With few output channels (a network's first layer: 3 → 16 channels, K = 27) that
/// packing costs about as much as the multiply. Here nothing is packed. It is used where it measured faster
/// (<see cref="Applies"/>).</para>
/// <para>Borders: a vector whose columns cross the left or right edge is loaded with a mask (lanes outside the row
/// read nothing and are 0); taps whose input row is outside the image are skipped. A row whose width is not a
/// multiple of the vector ends with one vector that overlaps the previous one (same values written twice); rows
/// narrower than a vector store with a mask.</para>
/// </remarks>
internal static unsafe class DirectConvKernels
{
    [ThreadStatic] private static float[]? t_weights;

    /// <summary>The geometries these kernels compute: stride 1 (any kernel size and padding).</summary>
    public static bool Supports(Conv2dShape s) => s.Stride == 1;

    /// <summary>Output channels per register block at a tier (16 with 32 vector registers, else 8).</summary>
    public static int ChannelBlock(SimdTier tier) => SimdTierFacts.Registers(tier) >= 32 ? 16 : 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ChannelBlock<S, V>() where S : struct, ISimd<V> where V : unmanaged => S.Registers >= 32 ? 16 : 8;

    /// <summary>
    /// Whether the forward takes this route when the caller lets the shape decide: float32, stride 1, and at most a
    /// quarter of each channel block wasted on padding channels, on the tiers and shapes where it measured faster than
    /// the GEMM route. AVX-512 (Zen 4/5, batch 16, 1 thread): OutC = 8 no faster, OutC = 16, 32, 64 1.2–1.9× faster.
    /// 128-bit (Zen, DOTNET_EnableAVX2=0, seed-model layers at 64 and 128 px): 0.51–0.68× the GEMM's time. AVX2 (same
    /// machine): a first layer (C·KH·KW = 27 &lt; 32, where the GEMM's packing costs as much as its multiply)
    /// 0.58–0.68× at 64, 128 and 224 px; every wider layer 1.03–1.50×, so those keep the GEMM's 6×16 FMA micro-kernel.
    /// Scalar: not measured, keeps the GEMM.
    /// </summary>
    public static bool Applies(Conv2dShape s, SimdTier tier)
    {
        int ob = ChannelBlock(tier);
        bool fewWasted = 4 * s.OutC >= 3 * ((s.OutC + ob - 1) / ob * ob);
        bool measuredFaster = tier switch
        {
            SimdTier.V512 or SimdTier.V128 => true,
            SimdTier.V256 => s.C * s.KH * s.KW < 32,
            _ => false,
        };
        return Supports(s) && fewWasted && measuredFaster;
    }

    public static void Forward(CpuParallel par, float* x, float* w, float* bias, float* y, Conv2dShape s)
    {
        if (!Supports(s)) throw new ArgumentException($"direct convolution: stride {s.Stride} is not supported (stride 1 only): {s}");
        var k = new ForwardKernel { Par = par, X = x, W = w, Bias = bias, Y = y, S = s };
        SimdDispatch.Run(par.Tier, ref k);
    }

    private struct ForwardKernel : ISimdKernel
    {
        public CpuParallel Par; public float* X, W, Bias, Y; public Conv2dShape S;
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged => Forward<S, V>(Par, X, W, Bias, Y, this.S);
    }

    private static void Forward<S, V>(CpuParallel par, float* x, float* w, float* bias, float* y, Conv2dShape s)
        where S : struct, ISimd<V> where V : unmanaged
    {
        int OB = ChannelBlock<S, V>(), PB = S.Count;
        int kdim = s.C * s.KH * s.KW, blocks = (s.OutC + OB - 1) / OB;
        // wt[block][k][o'] = w[block·OB + o', k], zero for o ≥ OutC: OB weights per tap, contiguous, for the broadcasts.
        float* wt = GemmKernels.Scratch(ref t_weights, (long)blocks * kdim * OB);
        for (int b = 0; b < blocks; b++)
            for (int k = 0; k < kdim; k++)
                for (int o = 0; o < OB; o++)
                {
                    int oc = b * OB + o;
                    wt[((long)b * kdim + k) * OB + o] = oc < s.OutC ? w[(long)oc * kdim + k] : 0f;
                }
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * s.OH * s.OW;
        // Work items: whole images when they split evenly over the threads (or are many), so each thread writes its own
        // output planes (items of single rows had two threads writing neighbouring rows, sharing the cache lines where
        // rows meet: the first layer then ran no faster on 2 threads than on 1); otherwise (batch 1) output rows.
        // Rows much narrower than a vector (7×7 maps on 16 lanes) would leave most of it empty; when an input row is
        // exactly as wide as an output row (stride 1, "same" padding), consecutive output rows are consecutive input
        // elements too, so ⌊lanes/OW⌋ rows share one vector (RowGroup).
        int rowsPerVector = s.W == s.OW && 2 * s.OW <= PB ? PB / s.OW : 1;
        int groups = (s.OH + rowsPerVector - 1) / rowsPerVector;
        bool perImage = s.N % par.Threads == 0 || s.N >= 4 * par.Threads;
        int items = perImage ? s.N : s.N * groups, groupsPerItem = perImage ? groups : 1;
        par.For(items, (long)s.N * s.OH * s.OW * s.OutC * kdim >= 1 << 18, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (item) =>
        {
            int g0 = item * groupsPerItem;
            for (int g = g0; g < g0 + groupsPerItem; g++)
            {
                int n = g / groups, i = (g - n * groups) * rowsPerVector;
                for (int b = 0; b < blocks; b++)
                {
                    float* wb = wt + (long)b * kdim * OB;
                    int oc = Math.Min(OB, s.OutC - b * OB);
                    if (rowsPerVector > 1) RowGroup<S, V>(x + n * xs, wb, bias, y + n * ys, s, i, Math.Min(rowsPerVector, s.OH - i), b * OB, oc);
                    else Row<S, V>(x + n * xs, wb, bias, y + n * ys, s, i, b * OB, oc);
                }
            }
        });
    }

    /// <summary>
    /// Output rows i .. i + rows − 1 of channels o0 .. o0 + oc − 1 in one vector: lane l is output pixel
    /// (i + l / OW, l mod OW). Because W = OW, the input a tap (c, p, q) needs for lane l sits at
    /// <c>(i + p − pad)·W + (q − pad) + l</c> — one contiguous load, masked where that pixel lies outside the image
    /// (the row above/below, or the left/right padding, which would otherwise read the neighbouring row's edge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowGroup<S, V>(float* x, float* wt, float* bias, float* y, Conv2dShape s, int i, int rows, int o0, int oc)
        where S : struct, ISimd<V> where V : unmanaged
    {
        int OB = ChannelBlock<S, V>();
        int W = s.W, OW = s.OW, plane = s.H * s.W, outPlane = s.OH * s.OW, lanes = rows * OW;
        // Lane coordinates as floats (exact for these small integers): laneRow = l / OW, laneCol = l mod OW.
        V iota = S.Iota, zero = S.Zero, one = S.Broadcast(1f), laneRow = zero;
        for (int r = 1; r < rows; r++) laneRow = S.Add(laneRow, S.Select(S.GreaterThanOrEqual(iota, S.Broadcast(r * OW)), one, zero));
        V laneCol = S.Subtract(iota, S.Multiply(laneRow, S.Broadcast(OW)));
        V used = S.LessThan(iota, S.Broadcast(lanes)), height = S.Broadcast(s.H), width = S.Broadcast(W);
        var acc = new Block<S, V>();
        float* wk = wt;
        for (int c = 0; c < s.C; c++)
            for (int p = 0; p < s.KH; p++)
            {
                int ih = i + p - s.Pad.Top;
                V r = S.Add(laneRow, S.Broadcast(ih));
                V rowOk = S.And(used, S.And(S.GreaterThanOrEqual(r, zero), S.LessThan(r, height)));
                float* src = x + (long)c * plane + (long)ih * W;
                for (int q = 0; q < s.KW; q++, wk += OB)
                {
                    int dq = q - s.Pad.Left;
                    V col = S.Add(laneCol, S.Broadcast(dq));
                    V ok = S.And(rowOk, S.And(S.GreaterThanOrEqual(col, zero), S.LessThan(col, width)));
                    V v = S.LoadMasked(src + dq, ok);
                    acc.Add(v, wk);
                }
            }
        float* yr = y + (long)o0 * outPlane + (long)i * OW;
        var b = new BlockStore<S, V>(yr, outPlane, bias == null ? null : bias + o0, oc, used, masked: true);
        acc.StoreTo(b);
    }

    /// <summary>Output row i of channels o0 .. o0 + oc − 1 of one image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row<S, V>(float* x, float* wt, float* bias, float* y, Conv2dShape s, int i, int o0, int oc)
        where S : struct, ISimd<V> where V : unmanaged
    {
        int OB = ChannelBlock<S, V>(), PB = S.Count;
        int W = s.W, OW = s.OW, plane = s.H * s.W, outPlane = s.OH * s.OW;
        V iota = S.Iota, zero = S.Zero, width = S.Broadcast(W);
        V outMask = S.LessThan(iota, S.Broadcast(OW)); // only used when OW < lanes
        bool partial = OW < PB;
        for (int j0 = 0; ; j0 += PB)
        {
            if (j0 > OW - PB)
            {
                if (j0 >= OW) break;
                if (OW >= PB) j0 = OW - PB; // last vector overlaps the previous one
            }
            var acc = new Block<S, V>();
            float* wk = wt;
            for (int c = 0; c < s.C; c++)
                for (int p = 0; p < s.KH; p++)
                {
                    int ih = i + p - s.Pad.Top;
                    if ((uint)ih >= (uint)s.H) { wk += s.KW * OB; continue; }
                    float* row = x + (long)c * plane + (long)ih * W;
                    for (int q = 0; q < s.KW; q++, wk += OB)
                    {
                        int iw = j0 + q - s.Pad.Left;
                        V v;
                        if (iw >= 0 && iw + PB <= W) v = S.Load(row + iw);
                        else
                        {
                            V col = S.Add(iota, S.Broadcast(iw));
                            v = S.LoadMasked(row + iw, S.And(S.GreaterThanOrEqual(col, zero), S.LessThan(col, width)));
                        }
                        acc.Add(v, wk);
                    }
                }
            float* yr = y + (long)o0 * outPlane + (long)i * OW + j0;
            var b = new BlockStore<S, V>(yr, outPlane, bias == null ? null : bias + o0, oc, outMask, partial);
            acc.StoreTo(b);
            if (partial) break;
        }
    }

    /// <summary>
    /// The register block's accumulators: one vector of output pixels for each of the block's 8 or 16 output channels.
    /// A struct of locals the JIT keeps in registers (its methods inline); the upper 8 are dead code where the tier has
    /// 16 registers.
    /// </summary>
    private struct Block<S, V> where S : struct, ISimd<V> where V : unmanaged
    {
        private V _a0, _a1, _a2, _a3, _a4, _a5, _a6, _a7, _a8, _a9, _a10, _a11, _a12, _a13, _a14, _a15;

        /// <summary>Channel o += wk[o]·v: one tap's input vector times its OB broadcast weights.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(V v, float* wk)
        {
            _a0 = S.MultiplyAdd(S.Broadcast(wk[0]), v, _a0);
            _a1 = S.MultiplyAdd(S.Broadcast(wk[1]), v, _a1);
            _a2 = S.MultiplyAdd(S.Broadcast(wk[2]), v, _a2);
            _a3 = S.MultiplyAdd(S.Broadcast(wk[3]), v, _a3);
            _a4 = S.MultiplyAdd(S.Broadcast(wk[4]), v, _a4);
            _a5 = S.MultiplyAdd(S.Broadcast(wk[5]), v, _a5);
            _a6 = S.MultiplyAdd(S.Broadcast(wk[6]), v, _a6);
            _a7 = S.MultiplyAdd(S.Broadcast(wk[7]), v, _a7);
            if (ChannelBlock<S, V>() != 16) return;
            _a8 = S.MultiplyAdd(S.Broadcast(wk[8]), v, _a8);
            _a9 = S.MultiplyAdd(S.Broadcast(wk[9]), v, _a9);
            _a10 = S.MultiplyAdd(S.Broadcast(wk[10]), v, _a10);
            _a11 = S.MultiplyAdd(S.Broadcast(wk[11]), v, _a11);
            _a12 = S.MultiplyAdd(S.Broadcast(wk[12]), v, _a12);
            _a13 = S.MultiplyAdd(S.Broadcast(wk[13]), v, _a13);
            _a14 = S.MultiplyAdd(S.Broadcast(wk[14]), v, _a14);
            _a15 = S.MultiplyAdd(S.Broadcast(wk[15]), v, _a15);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void StoreTo(BlockStore<S, V> b)
        {
            b.Put(_a0, 0); b.Put(_a1, 1); b.Put(_a2, 2); b.Put(_a3, 3); b.Put(_a4, 4); b.Put(_a5, 5); b.Put(_a6, 6); b.Put(_a7, 7);
            if (ChannelBlock<S, V>() != 16) return;
            b.Put(_a8, 8); b.Put(_a9, 9); b.Put(_a10, 10); b.Put(_a11, 11); b.Put(_a12, 12); b.Put(_a13, 13); b.Put(_a14, 14); b.Put(_a15, 15);
        }
    }

    /// <summary>Writes a register block's accumulators: channel o of the block to <c>y + o·plane</c>, plus its bias.</summary>
    private readonly ref struct BlockStore<S, V>(float* y, int plane, float* bias, int channels, V mask, bool masked)
        where S : struct, ISimd<V> where V : unmanaged
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Put(V acc, int o)
        {
            if (o >= channels) return;
            if (bias != null) acc = S.Add(acc, S.Broadcast(bias[o]));
            if (masked) S.StoreMasked(y + (long)o * plane, mask, acc);
            else S.Store(y + (long)o * plane, acc);
        }
    }

    // ------------------------------------------------------------------ weight gradient

    private const int KT = 5; // taps (c, p, q) per weight-gradient tile

    /// <summary>Output channels per weight-gradient tile: 4 × 5 taps = 20 accumulators in 32 registers, 2 × 5 in 16.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ChannelTile<S, V>() where S : struct, ISimd<V> where V : unmanaged => S.Registers >= 32 ? 4 : 2;

    [ThreadStatic] private static float[]? t_padded;

    /// <summary>
    /// Whether the weight gradient takes this route when the caller lets the shape decide: float32, stride 1, maps of
    /// at least 16×16 = 256 pixels, and at least one image per thread (the images are what is split), on the tiers
    /// and shapes where it measured faster than the GEMM route (batch 16, 1 thread, side by side):
    /// AVX-512 (Zen 4/5): 128×128 and 64×64 maps 0.67–0.71× the time, 32×32 0.77–0.89×, 16×16 0.83–0.97× (with
    /// several images per sweep); 14×14 1.14× and 7×7 2× slower (rows narrower than the vector waste lanes).
    /// AVX2 (Zen, 2 × 5 tiles): OutC ≤ 32 0.45–0.98×, OutC = 64 1.13–1.40×, so only OutC ≤ 32.
    /// 128-bit (Zen, DOTNET_EnableAVX2=0): 0.29–0.44× on every seed-model layer. Scalar: not measured, keeps the GEMM.
    /// </summary>
    public static bool AppliesToWeightGrad(Conv2dShape s, int threads, SimdTier tier) =>
        Supports(s) && (long)s.OH * s.OW >= 256 && s.N >= threads && tier switch
        {
            SimdTier.V512 or SimdTier.V128 => true,
            SimdTier.V256 => s.OutC <= 32,
            _ => false,
        };

    /// <summary>
    /// Stride-1 float32 weight gradient straight from the image:
    /// <c>dW[o, c, p, q] = Σ_n Σ_{i,j} dy[n, o, i, j] · x[n, c, i + p − pad, j + q − pad]</c>.
    /// Each image is first copied into a zero-padded buffer, so that every tap reads whole vectors with no bounds
    /// test; a tile of OT output channels × 5 taps then keeps 5·OT accumulators of pixel lanes, loading OT dy vectors
    /// and 5 shifted input vectors for every 5·OT FMAs, and sums the lanes once per tile and image (group of images).
    /// This computes dst = dW of <paramref name="count"/> consecutive images (x and dy of the first one given) on the
    /// calling thread; <see cref="Conv2dKernels.BackwardWeight{T}"/> splits the images over threads and adds the
    /// per-thread results.
    /// </summary>
    public static void WeightGradient(SimdTier tier, float* x, float* dy, int count, float* dst, Conv2dShape s)
    {
        if (!Supports(s)) throw new ArgumentException($"direct weight gradient: stride {s.Stride} is not supported (stride 1 only): {s}");
        var k = new WeightGradKernel { X = x, Dy = dy, Count = count, Dst = dst, S = s };
        SimdDispatch.Run(tier, ref k);
    }

    private struct WeightGradKernel : ISimdKernel
    {
        public float* X, Dy, Dst; public int Count; public Conv2dShape S;
        public readonly void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged => WeightGradient<S, V>(X, Dy, Count, Dst, this.S);
    }

    private static void WeightGradient<S, V>(float* x, float* dy, int count, float* dst, Conv2dShape s) where S : struct, ISimd<V> where V : unmanaged
    {
        long ys = (long)s.OutC * s.OH * s.OW;
        new Span<float>(dst, s.OutC * s.C * s.KH * s.KW).Clear();
        // Small maps go several images per sweep (their padded copies and dy together ≈ 512 KB, in L2), so a
        // tile's setup and lane sums are paid once per group rather than once per image.
        int group = (int)Math.Clamp(128 * 1024 / (PaddedImageFloats(s, S.Count) + ys), 1, Math.Max(1, count));
        long xs = (long)s.C * s.H * s.W;
        for (int g0 = 0; g0 < count; g0 += group)
            WeightGradImages<S, V>(x + g0 * xs, dy + g0 * ys, Math.Min(group, count - g0), dst, s);
    }

    /// <summary>Floats of one image's zero-padded copy: C planes of (H + top + bottom) rows × (W + left + right + lanes) columns.</summary>
    private static long PaddedImageFloats(Conv2dShape s, int lanes) => (long)s.C * (s.H + s.Pad.Rows) * (s.W + s.Pad.Columns + lanes);

    /// <summary>dst += dW of <paramref name="count"/> consecutive images (x and dy of the first one given).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradImages<S, V>(float* x, float* dy, int count, float* dst, Conv2dShape s) where S : struct, ISimd<V> where V : unmanaged
    {
        int kdim = s.C * s.KH * s.KW, khw = s.KH * s.KW, PB = S.Count, OT = ChannelTile<S, V>();
        // Padded copies: rows of Wp = W + left + right (+ one vector so a load at the right edge stays inside), the
        // padding rows above and below, so every tap of every output pixel reads inside the buffer with no bounds test.
        int Wp = s.W + s.Pad.Columns + PB, Hp = s.H + s.Pad.Rows;
        long planeP = (long)Hp * Wp, imageP = PaddedImageFloats(s, PB);
        float* xp = GemmKernels.Scratch(ref t_padded, count * imageP + PB);
        new Span<float>(xp, (int)(count * imageP + PB)).Clear();
        for (int b = 0; b < count; b++)
            for (int c = 0; c < s.C; c++)
                for (int h = 0; h < s.H; h++)
                    new ReadOnlySpan<float>(x + (((long)b * s.C + c) * s.H + h) * s.W, s.W)
                        .CopyTo(new Span<float>(xp + b * imageP + c * planeP + (long)(h + s.Pad.Top) * Wp + s.Pad.Left, s.W));
        long* tapOff = stackalloc long[kdim];
        for (int k = 0; k < kdim; k++)
        {
            int c = k / khw, r = k - c * khw, p = r / s.KW, q = r - p * s.KW;
            tapOff[k] = c * planeP + (long)p * Wp + q;
        }
        for (int o0 = 0; o0 < s.OutC; o0 += OT)
            for (int k0 = 0; k0 < kdim; k0 += KT)
                WeightGradTile<S, V>(xp, imageP, Wp, dy, count, dst, s, o0, k0, tapOff);
    }

    /// <summary>
    /// One tile — output channels o0..o0+OT−1 × taps k0..k0+4 — of dW over <paramref name="count"/> padded images:
    /// 5·OT accumulators of pixel lanes; per vector of output pixels OT dy vectors and 5 input vectors feed 5·OT FMAs.
    /// A tap index past K reads the last tap again and a channel past OutC the last channel: their sums are dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradTile<S, V>(float* xpad, long imageP, int Wp, float* dy, int count, float* dst, Conv2dShape s, int o0, int k0, long* tapOff)
        where S : struct, ISimd<V> where V : unmanaged
    {
        int PB = S.Count;
        bool four = ChannelTile<S, V>() == 4;
        int kdim = s.C * s.KH * s.KW, OW = s.OW, outPlane = s.OH * s.OW, full = OW / PB * PB;
        long ys = (long)s.OutC * outPlane;
        long off0 = tapOff[Math.Min(k0 + 0, kdim - 1)];
        long off1 = tapOff[Math.Min(k0 + 1, kdim - 1)];
        long off2 = tapOff[Math.Min(k0 + 2, kdim - 1)];
        long off3 = tapOff[Math.Min(k0 + 3, kdim - 1)];
        long off4 = tapOff[Math.Min(k0 + 4, kdim - 1)];
        V zero = S.Zero, tailMask = S.LessThan(S.Iota, S.Broadcast(OW - full));
        V a00 = zero, a01 = zero, a02 = zero, a03 = zero;
        V a10 = zero, a11 = zero, a12 = zero, a13 = zero;
        V a20 = zero, a21 = zero, a22 = zero, a23 = zero;
        V a30 = zero, a31 = zero, a32 = zero, a33 = zero;
        V a40 = zero, a41 = zero, a42 = zero, a43 = zero;
        for (int b = 0; b < count; b++)
        {
            float* dyn = dy + b * ys;
            float* y0 = dyn + (long)Math.Min(o0, s.OutC - 1) * outPlane, y1 = dyn + (long)Math.Min(o0 + 1, s.OutC - 1) * outPlane;
            float* y2 = dyn + (long)Math.Min(o0 + 2, s.OutC - 1) * outPlane, y3 = dyn + (long)Math.Min(o0 + 3, s.OutC - 1) * outPlane;
            for (int i = 0; i < s.OH; i++)
            {
                long row = (long)i * OW;
                float* xrow = xpad + b * imageP + (long)i * Wp;
                for (int j0 = 0; j0 < OW; j0 += PB)
                {
                    V d0, d1, d2 = zero, d3 = zero, v;
                    if (j0 < full)
                    {
                        d0 = S.Load(y0 + row + j0); d1 = S.Load(y1 + row + j0);
                        if (four) { d2 = S.Load(y2 + row + j0); d3 = S.Load(y3 + row + j0); }
                    }
                    else
                    {
                        // The row's last, partial vector: lanes past OW are 0 in dy, so the input they meet adds nothing.
                        d0 = S.LoadMasked(y0 + row + j0, tailMask); d1 = S.LoadMasked(y1 + row + j0, tailMask);
                        if (four) { d2 = S.LoadMasked(y2 + row + j0, tailMask); d3 = S.LoadMasked(y3 + row + j0, tailMask); }
                    }
                    float* xr = xrow + j0;
                    v = S.Load(xr + off0);
                    a00 = S.MultiplyAdd(d0, v, a00); a01 = S.MultiplyAdd(d1, v, a01);
                    if (four) { a02 = S.MultiplyAdd(d2, v, a02); a03 = S.MultiplyAdd(d3, v, a03); }
                    v = S.Load(xr + off1);
                    a10 = S.MultiplyAdd(d0, v, a10); a11 = S.MultiplyAdd(d1, v, a11);
                    if (four) { a12 = S.MultiplyAdd(d2, v, a12); a13 = S.MultiplyAdd(d3, v, a13); }
                    v = S.Load(xr + off2);
                    a20 = S.MultiplyAdd(d0, v, a20); a21 = S.MultiplyAdd(d1, v, a21);
                    if (four) { a22 = S.MultiplyAdd(d2, v, a22); a23 = S.MultiplyAdd(d3, v, a23); }
                    v = S.Load(xr + off3);
                    a30 = S.MultiplyAdd(d0, v, a30); a31 = S.MultiplyAdd(d1, v, a31);
                    if (four) { a32 = S.MultiplyAdd(d2, v, a32); a33 = S.MultiplyAdd(d3, v, a33); }
                    v = S.Load(xr + off4);
                    a40 = S.MultiplyAdd(d0, v, a40); a41 = S.MultiplyAdd(d1, v, a41);
                    if (four) { a42 = S.MultiplyAdd(d2, v, a42); a43 = S.MultiplyAdd(d3, v, a43); }
                }
            }
        }
        int oc = Math.Min(four ? 4 : 2, s.OutC - o0);
        Put<S, V>(dst, kdim, oc, o0, k0 + 0, a00, a01, a02, a03);
        Put<S, V>(dst, kdim, oc, o0, k0 + 1, a10, a11, a12, a13);
        Put<S, V>(dst, kdim, oc, o0, k0 + 2, a20, a21, a22, a23);
        Put<S, V>(dst, kdim, oc, o0, k0 + 3, a30, a31, a32, a33);
        Put<S, V>(dst, kdim, oc, o0, k0 + 4, a40, a41, a42, a43);
    }

    /// <summary>dst[o0 + t, k] += the lane sums of a_t, for the tile's first <paramref name="oc"/> channels and tap k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<S, V>(float* dst, int kdim, int oc, int o0, int k, V a0, V a1, V a2, V a3) where S : struct, ISimd<V> where V : unmanaged
    {
        if (k >= kdim) return;
        float* d = dst + (long)o0 * kdim + k;
        if (oc > 0) d[0] += S.Sum(a0);
        if (oc > 1) d[kdim] += S.Sum(a1);
        if (oc > 2) d[2L * kdim] += S.Sum(a2);
        if (oc > 3) d[3L * kdim] += S.Sum(a3);
    }
}
