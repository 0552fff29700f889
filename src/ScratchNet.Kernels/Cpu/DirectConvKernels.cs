using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Stride-1 float32 convolution computed straight from the image, without im2col or packing:
/// <c>y[o, i, j] = b[o] + Σ_{c,p,q} w[o, c, p, q] · x[c, i + p − pad, j + q − pad]</c> (zero outside the image),
/// and its weight gradient (<see cref="WeightGradient"/>; the input gradient is a forward convolution of dy, see
/// <c>Conv2dKernels.BackwardInputAsConv</c>).
/// </summary>
/// <remarks>
/// <para>The register block is 16 output channels × 16 neighbouring output pixels of one row: 16 <c>Vector512</c>
/// accumulators, one per channel, each holding 16 pixels. For every tap (c, p, q) one vector of 16 input pixels is
/// loaded — a plain unaligned load of an input row, shifted by q — and multiplied by 16 broadcast weights, one FMA per
/// output channel. So each loaded input vector feeds 16 FMAs and the weights come from a small transposed copy that
/// stays in L1: the loop is FMA-bound.</para>
/// <para>Why it exists: the GEMM route packs a 32-pixel panel of the im2col matrix (C·KH·KW rows) for every panel and
/// shares it among OutC rows. With few output channels (a network's first layer: 3 → 16 channels, K = 27) that
/// packing costs about as much as the multiply, and the 16-row M splits into a 14-row and a 2-row kernel. Here
/// nothing is packed. It is used where it measured faster (<see cref="Applies"/>).</para>
/// <para>Borders: a vector whose columns cross the left or right edge is loaded with a mask (lanes outside the row
/// read nothing and are 0); taps whose input row is outside the image are skipped. A row whose width is not a
/// multiple of 16 ends with one vector that overlaps the previous one (same values written twice); rows narrower
/// than 16 pixels store with a mask.</para>
/// </remarks>
internal static unsafe class DirectConvKernels
{
    private const int OB = 16; // output channels per register block
    private const int PB = 16; // output pixels per register block (one Vector512)

    [ThreadStatic] private static float[]? t_weights;

    /// <summary>Whether this machine can run these kernels at all (they are written for AVX-512 today).</summary>
    public static bool IsAvailable => Avx512F.IsSupported;

    /// <summary>
    /// Whether this path serves a convolution: float32 on AVX-512, stride 1, and at most a quarter of each 16-channel
    /// block wasted on padding channels (OutC = 8 ran no faster than the GEMM route, OutC = 16, 32, 64 ran 1.2–1.9×
    /// faster: see the remarks of <see cref="Conv2dKernels"/>).
    /// </summary>
    public static bool Applies(Conv2dShape s) =>
        IsAvailable && s.Stride == 1 && 4 * s.OutC >= 3 * ((s.OutC + OB - 1) / OB * OB);

    public static void Forward(CpuParallel par, float* x, float* w, float* bias, float* y, Conv2dShape s)
    {
        int kdim = s.C * s.KH * s.KW, blocks = (s.OutC + OB - 1) / OB;
        // wt[block][k][o'] = w[block·16 + o', k], zero for o ≥ OutC: 16 weights per tap, contiguous, for the broadcasts.
        float* wt = GemmKernels.Scratch(ref t_weights, (long)blocks * kdim * OB);
        for (int b = 0; b < blocks; b++)
            for (int k = 0; k < kdim; k++)
                for (int o = 0; o < OB; o++)
                {
                    int oc = b * OB + o;
                    wt[((long)b * kdim + k) * OB + o] = oc < s.OutC ? w[(long)oc * kdim + k] : 0f;
                }
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * s.OH * s.OW;
        // Work items: whole images when they split evenly over the threads (or are many), so each thread writes its own output planes (items
        // of single rows had two threads writing neighbouring rows, sharing the cache lines where rows meet: the
        // first layer then ran no faster on 2 threads than on 1); otherwise (batch 1) output rows.
        // Rows narrower than 8 pixels (7×7 maps) would leave most of each 16-lane vector empty; when an input row is
        // exactly as wide as an output row (stride 1, "same" padding), consecutive output rows are consecutive input
        // elements too, so ⌊16/OW⌋ rows share one vector (RowGroup).
        int rowsPerVector = PacksRows(s) ? PB / s.OW : 1;
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
                    if (rowsPerVector > 1) RowGroup(x + n * xs, wb, bias, y + n * ys, s, i, Math.Min(rowsPerVector, s.OH - i), b * OB, oc);
                    else Row(x + n * xs, wb, bias, y + n * ys, s, i, b * OB, oc);
                }
            }
        });
    }

    /// <summary>Whether ⌊16/OW⌋ ≥ 2 output rows can share a vector: stride 1 and input rows as wide as output rows.</summary>
    private static bool PacksRows(Conv2dShape s) => s.Stride == 1 && s.W == s.OW && 2 * s.OW <= PB;

    /// <summary>
    /// Output rows i .. i + rows − 1 of channels o0 .. o0 + oc − 1 in one vector: lane l is output pixel
    /// (i + l / OW, l mod OW). Because W = OW, the input a tap (c, p, q) needs for lane l sits at
    /// <c>(i + p − pad)·W + (q − pad) + l</c> — one contiguous load, masked where that pixel lies outside the image
    /// (the row above/below, or the left/right padding, which would otherwise read the neighbouring row's edge).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowGroup(float* x, float* wt, float* bias, float* y, Conv2dShape s, int i, int rows, int o0, int oc)
    {
        int W = s.W, OW = s.OW, plane = s.H * s.W, outPlane = s.OH * s.OW, lanes = rows * OW;
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var laneRow = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (int r = 1; r < rows; r++) laneRow += Vector512.GreaterThanOrEqual(iota, Vector512.Create(r * OW)) & Vector512<int>.One;
        var laneCol = iota - laneRow * OW;
        var used = Vector512.LessThan(iota, Vector512.Create(lanes));
        var height = Vector512.Create((uint)s.H);
        var width = Vector512.Create((uint)W);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default,
            a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
        float* wk = wt;
        for (int c = 0; c < s.C; c++)
            for (int p = 0; p < s.KH; p++)
            {
                int ih = i + p - s.Pad;
                var rowOk = used & Vector512.LessThan((laneRow + Vector512.Create(ih)).AsUInt32(), height).AsInt32();
                float* src = x + (long)c * plane + (long)ih * W;
                for (int q = 0; q < s.KW; q++, wk += OB)
                {
                    int dq = q - s.Pad;
                    var ok = rowOk & Vector512.LessThan((laneCol + Vector512.Create(dq)).AsUInt32(), width).AsInt32();
                    var v = Avx512F.MaskLoad(src + dq, ok.AsSingle(), Vector512<float>.Zero);
                    a0 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[0]), v, a0);
                    a1 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[1]), v, a1);
                    a2 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[2]), v, a2);
                    a3 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[3]), v, a3);
                    a4 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[4]), v, a4);
                    a5 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[5]), v, a5);
                    a6 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[6]), v, a6);
                    a7 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[7]), v, a7);
                    a8 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[8]), v, a8);
                    a9 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[9]), v, a9);
                    a10 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[10]), v, a10);
                    a11 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[11]), v, a11);
                    a12 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[12]), v, a12);
                    a13 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[13]), v, a13);
                    a14 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[14]), v, a14);
                    a15 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[15]), v, a15);
                }
            }
        float* yr = y + (long)o0 * outPlane + (long)i * OW;
        var store = used.AsSingle();
        Store(a0, 0); Store(a1, 1); Store(a2, 2); Store(a3, 3); Store(a4, 4); Store(a5, 5); Store(a6, 6); Store(a7, 7);
        Store(a8, 8); Store(a9, 9); Store(a10, 10); Store(a11, 11); Store(a12, 12); Store(a13, 13); Store(a14, 14); Store(a15, 15);

        void Store(Vector512<float> acc, int o)
        {
            if (o >= oc) return;
            if (bias != null) acc += Vector512.Create(bias[o0 + o]);
            Avx512F.MaskStore(yr + (long)o * outPlane, store, acc);
        }
    }

    /// <summary>Output row i of channels o0 .. o0 + oc − 1 of one image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Row(float* x, float* wt, float* bias, float* y, Conv2dShape s, int i, int o0, int oc)
    {
        int W = s.W, OW = s.OW, plane = s.H * s.W, outPlane = s.OH * s.OW;
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var width = Vector512.Create((uint)W);
        var outMask = Vector512.LessThan(iota, Vector512.Create(OW)).AsSingle(); // only used when OW < 16
        for (int j0 = 0; ; j0 += PB)
        {
            if (j0 > OW - PB)
            {
                if (j0 >= OW) break;
                if (OW >= PB) j0 = OW - PB; // last vector overlaps the previous one
            }
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default,
                a8 = default, a9 = default, a10 = default, a11 = default, a12 = default, a13 = default, a14 = default, a15 = default;
            float* wk = wt;
            for (int c = 0; c < s.C; c++)
                for (int p = 0; p < s.KH; p++)
                {
                    int ih = i + p - s.Pad;
                    if ((uint)ih >= (uint)s.H) { wk += s.KW * OB; continue; }
                    float* row = x + (long)c * plane + (long)ih * W;
                    for (int q = 0; q < s.KW; q++, wk += OB)
                    {
                        int iw = j0 + q - s.Pad;
                        Vector512<float> v;
                        if (iw >= 0 && iw + PB <= W) v = Vector512.Load(row + iw);
                        else
                        {
                            var inside = Vector512.LessThan((iota + Vector512.Create(iw)).AsUInt32(), width).AsSingle();
                            v = Avx512F.MaskLoad(row + iw, inside, Vector512<float>.Zero);
                        }
                        a0 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[0]), v, a0);
                        a1 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[1]), v, a1);
                        a2 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[2]), v, a2);
                        a3 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[3]), v, a3);
                        a4 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[4]), v, a4);
                        a5 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[5]), v, a5);
                        a6 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[6]), v, a6);
                        a7 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[7]), v, a7);
                        a8 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[8]), v, a8);
                        a9 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[9]), v, a9);
                        a10 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[10]), v, a10);
                        a11 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[11]), v, a11);
                        a12 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[12]), v, a12);
                        a13 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[13]), v, a13);
                        a14 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[14]), v, a14);
                        a15 = Vector512.FusedMultiplyAdd(Vector512.Create(wk[15]), v, a15);
                    }
                }
            float* yr = y + (long)o0 * outPlane + (long)i * OW + j0;
            bool partial = OW < PB;
            Store(a0, 0); Store(a1, 1); Store(a2, 2); Store(a3, 3); Store(a4, 4); Store(a5, 5); Store(a6, 6); Store(a7, 7);
            Store(a8, 8); Store(a9, 9); Store(a10, 10); Store(a11, 11); Store(a12, 12); Store(a13, 13); Store(a14, 14); Store(a15, 15);

            void Store(Vector512<float> acc, int o)
            {
                if (o >= oc) return;
                if (bias != null) acc += Vector512.Create(bias[o0 + o]);
                float* dst = yr + (long)o * outPlane;
                if (partial) Avx512F.MaskStore(dst, outMask, acc);
                else Vector512.Store(acc, dst);
            }
            if (partial) break;
        }
    }
    // ------------------------------------------------------------------ weight gradient

    private const int OT = 4; // output channels per weight-gradient tile
    private const int KT = 5; // taps (c, p, q) per weight-gradient tile

    [ThreadStatic] private static float[]? t_padded;

    /// <summary>
    /// Whether the weight gradient takes this path: float32 on AVX-512, stride 1, maps of at least 16×16 = 256 pixels,
    /// and at least one image per thread (the images are what is split). Measured against the GEMM route (batch 16,
    /// 1 thread, side by side): 128×128 and 64×64 maps 0.67–0.71× the time, 32×32 0.77–0.89×, 16×16 0.83–0.97×
    /// (with several images per sweep); 14×14 1.14× and 7×7 2× slower (rows narrower than 16 lanes waste them), so
    /// those keep the GEMM.
    /// </summary>
    public static bool AppliesToWeightGrad(Conv2dShape s, int threads) =>
        IsAvailable && s.Stride == 1 && (long)s.OH * s.OW >= 256 && s.N >= threads;

    /// <summary>
    /// Stride-1 float32 weight gradient straight from the image:
    /// <c>dW[o, c, p, q] = Σ_n Σ_{i,j} dy[n, o, i, j] · x[n, c, i + p − pad, j + q − pad]</c>.
    /// Each image is first copied into a zero-padded buffer, so that every tap reads whole vectors with no bounds
    /// test; a tile of 4 output channels × 5 taps then keeps 20 accumulators of 16 pixel lanes, loading 4 dy vectors
    /// and 5 shifted input vectors for every 20 FMAs, and sums the lanes once per tile and image (group of images).
    /// This computes dst = dW of <paramref name="count"/> consecutive images (x and dy of the first one given) on the
    /// calling thread; <see cref="Conv2dKernels.BackwardWeight{T}"/> splits the images over threads and adds the
    /// per-thread results.
    /// </summary>
    public static void WeightGradient(float* x, float* dy, int count, float* dst, Conv2dShape s)
    {
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * s.OH * s.OW;
        new Span<float>(dst, s.OutC * s.C * s.KH * s.KW).Clear();
        // Small maps go several images per sweep (their padded copies and dy together ≈ 512 KB, in L2), so a
        // tile's setup and lane sums are paid once per group rather than once per image.
        int group = (int)Math.Clamp(128 * 1024 / (PaddedImageFloats(s) + ys), 1, Math.Max(1, count));
        for (int g0 = 0; g0 < count; g0 += group)
            WeightGradImages(x + g0 * xs, dy + g0 * ys, Math.Min(group, count - g0), dst, s);
    }

    /// <summary>Floats of one image's zero-padded copy: C planes of (H + 2·pad) rows × (W + 2·pad + 16) columns.</summary>
    private static long PaddedImageFloats(Conv2dShape s) => (long)s.C * (s.H + 2 * s.Pad) * (s.W + 2 * s.Pad + PB);

    /// <summary>dst += dW of <paramref name="count"/> consecutive images (x and dy of the first one given).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradImages(float* x, float* dy, int count, float* dst, Conv2dShape s)
    {
        int kdim = s.C * s.KH * s.KW, khw = s.KH * s.KW;
        // Padded copies: rows of Wp = W + 2·pad (+ 16 so a vector at the right edge stays inside), pad rows above
        // and below, so every tap of every output pixel reads inside the buffer with no bounds test.
        int Wp = s.W + 2 * s.Pad + PB, Hp = s.H + 2 * s.Pad;
        long planeP = (long)Hp * Wp, imageP = PaddedImageFloats(s);
        float* xp = GemmKernels.Scratch(ref t_padded, count * imageP + PB);
        new Span<float>(xp, (int)(count * imageP + PB)).Clear();
        for (int b = 0; b < count; b++)
            for (int c = 0; c < s.C; c++)
                for (int h = 0; h < s.H; h++)
                    new ReadOnlySpan<float>(x + (((long)b * s.C + c) * s.H + h) * s.W, s.W)
                        .CopyTo(new Span<float>(xp + b * imageP + c * planeP + (long)(h + s.Pad) * Wp + s.Pad, s.W));
        long* tapOff = stackalloc long[kdim];
        for (int k = 0; k < kdim; k++)
        {
            int c = k / khw, r = k - c * khw, p = r / s.KW, q = r - p * s.KW;
            tapOff[k] = c * planeP + (long)p * Wp + q;
        }
        for (int o0 = 0; o0 < s.OutC; o0 += OT)
            for (int k0 = 0; k0 < kdim; k0 += KT)
                WeightGradTile(xp, imageP, Wp, dy, count, dst, s, o0, k0, tapOff);
    }

    /// <summary>
    /// One tile — output channels o0..o0+3 × taps k0..k0+4 — of dW over <paramref name="count"/> padded images:
    /// 20 accumulators of 16 pixel lanes; per 16 output pixels 4 dy vectors and 5 input vectors feed 20 FMAs.
    /// A tap index past K reads the last tap again and a channel past OutC the last channel: their sums are dropped.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightGradTile(float* xpad, long imageP, int Wp, float* dy, int count, float* dst, Conv2dShape s, int o0, int k0, long* tapOff)
    {
        int kdim = s.C * s.KH * s.KW, OW = s.OW, outPlane = s.OH * s.OW, full = OW / PB * PB;
        long ys = (long)s.OutC * outPlane;
        long off0 = tapOff[Math.Min(k0 + 0, kdim - 1)];
        long off1 = tapOff[Math.Min(k0 + 1, kdim - 1)];
        long off2 = tapOff[Math.Min(k0 + 2, kdim - 1)];
        long off3 = tapOff[Math.Min(k0 + 3, kdim - 1)];
        long off4 = tapOff[Math.Min(k0 + 4, kdim - 1)];
        var tailMask = Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(OW - full)).AsSingle();
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        Vector512<float> a40 = default, a41 = default, a42 = default, a43 = default;
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
                    Vector512<float> d0, d1, d2, d3, v;
                    if (j0 < full)
                    {
                        d0 = Vector512.Load(y0 + row + j0); d1 = Vector512.Load(y1 + row + j0);
                        d2 = Vector512.Load(y2 + row + j0); d3 = Vector512.Load(y3 + row + j0);
                    }
                    else
                    {
                        // The row's last, partial vector: lanes past OW are 0 in dy, so the input they meet adds nothing.
                        d0 = Avx512F.MaskLoad(y0 + row + j0, tailMask, Vector512<float>.Zero); d1 = Avx512F.MaskLoad(y1 + row + j0, tailMask, Vector512<float>.Zero);
                        d2 = Avx512F.MaskLoad(y2 + row + j0, tailMask, Vector512<float>.Zero); d3 = Avx512F.MaskLoad(y3 + row + j0, tailMask, Vector512<float>.Zero);
                    }
                    float* xr = xrow + j0;
                    v = Vector512.Load(xr + off0);
                    a00 = Vector512.FusedMultiplyAdd(d0, v, a00); a01 = Vector512.FusedMultiplyAdd(d1, v, a01); a02 = Vector512.FusedMultiplyAdd(d2, v, a02); a03 = Vector512.FusedMultiplyAdd(d3, v, a03);
                    v = Vector512.Load(xr + off1);
                    a10 = Vector512.FusedMultiplyAdd(d0, v, a10); a11 = Vector512.FusedMultiplyAdd(d1, v, a11); a12 = Vector512.FusedMultiplyAdd(d2, v, a12); a13 = Vector512.FusedMultiplyAdd(d3, v, a13);
                    v = Vector512.Load(xr + off2);
                    a20 = Vector512.FusedMultiplyAdd(d0, v, a20); a21 = Vector512.FusedMultiplyAdd(d1, v, a21); a22 = Vector512.FusedMultiplyAdd(d2, v, a22); a23 = Vector512.FusedMultiplyAdd(d3, v, a23);
                    v = Vector512.Load(xr + off3);
                    a30 = Vector512.FusedMultiplyAdd(d0, v, a30); a31 = Vector512.FusedMultiplyAdd(d1, v, a31); a32 = Vector512.FusedMultiplyAdd(d2, v, a32); a33 = Vector512.FusedMultiplyAdd(d3, v, a33);
                    v = Vector512.Load(xr + off4);
                    a40 = Vector512.FusedMultiplyAdd(d0, v, a40); a41 = Vector512.FusedMultiplyAdd(d1, v, a41); a42 = Vector512.FusedMultiplyAdd(d2, v, a42); a43 = Vector512.FusedMultiplyAdd(d3, v, a43);
                }
            }
        }
        Put(dst, kdim, s.OutC, o0, k0 + 0, a00, a01, a02, a03);
        Put(dst, kdim, s.OutC, o0, k0 + 1, a10, a11, a12, a13);
        Put(dst, kdim, s.OutC, o0, k0 + 2, a20, a21, a22, a23);
        Put(dst, kdim, s.OutC, o0, k0 + 3, a30, a31, a32, a33);
        Put(dst, kdim, s.OutC, o0, k0 + 4, a40, a41, a42, a43);
    }

    /// <summary>dst[o, k] += the lane sums, for the tile's valid channels o0..o0+3 and tap k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* dst, int kdim, int outC, int o0, int k, Vector512<float> a0, Vector512<float> a1, Vector512<float> a2, Vector512<float> a3)
    {
        if (k >= kdim) return;
        if (o0 < outC) dst[(long)o0 * kdim + k] += Vector512.Sum(a0);
        if (o0 + 1 < outC) dst[(long)(o0 + 1) * kdim + k] += Vector512.Sum(a1);
        if (o0 + 2 < outC) dst[(long)(o0 + 2) * kdim + k] += Vector512.Sum(a2);
        if (o0 + 3 < outC) dst[(long)(o0 + 3) * kdim + k] += Vector512.Sum(a3);
    }
}
