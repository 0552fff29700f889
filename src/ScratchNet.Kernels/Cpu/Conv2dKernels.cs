using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// 2-D convolution (NCHW, weight [OutC, C, KH, KW], zero padding, dilation 1, groups 1), as GEMMs on the
/// im2col matrix col[(c,p,q), (i,j)] = x[c, i·s+p−pad, j·s+q−pad] (0 outside the image), K = C·KH·KW rows and
/// P = OH·OW columns per image:
/// <list type="bullet">
/// <item>forward: <c>y[n] = W·col(x[n]) + b</c> — W viewed as [OutC, K];</item>
/// <item>input gradient: <c>dx[n] = col2im(Wᵀ·dy[n])</c> — col2im adds each column entry back onto the pixel it
/// was copied from (the adjoint of im2col);</item>
/// <item>weight gradient: <c>dW = Σ_n dy[n]·col(x[n])ᵀ</c>.</item>
/// </list>
/// </summary>
/// <remarks>
/// im2col costs one K×P write per image but turns the convolution into the packed, register-tiled GEMM, which
/// runs near peak; the matrix lives in a per-thread scratch buffer reused across calls. The float32 forward goes
/// further and never writes the matrix: the GEMM packs its B panels straight from the image (implicit im2col,
/// <see cref="Im2ColB"/>), saving a K×P write and re-read per image. A 1×1, stride-1, unpadded
/// convolution skips im2col: x[n] already is its col matrix. Work is split over images when there are at least as
/// many images as threads (each thread runs whole single-threaded GEMMs, no synchronisation); otherwise (batch 1)
/// the images run one after another and each GEMM splits itself across threads. The weight gradient sums
/// per-thread partial dW in thread order, so it is deterministic; with few channels (dW of, say, 16×27 summed over
/// 50 000 pixels) its GEMM takes the direct dot-product path, since packing would cost as much as the arithmetic.
/// </remarks>
internal static unsafe class Conv2dKernels
{
    private static bool IsPointwise(Conv2dShape s) => s.KH == 1 && s.KW == 1 && s.Stride == 1 && s.Pad == 0;

    /// <summary>
    /// The routes of each direction. Auto picks by shape and tier (the rules below); a forced route that cannot compute
    /// the shape is an error, never a silent fallback. Tiers: every route runs on every tier; the direct kernels are
    /// width-generic (<see cref="DirectConvKernels"/>); the GEMM routes use the GEMM's micro-kernels (AVX-512, AVX2+FMA,
    /// else its portable loops).
    /// <code>
    /// forward       Direct          float32, stride 1                      DirectConvKernels.Forward
    ///               Gemm            any                                    implicit im2col + Sgemm (float32), im2col + Gemm
    /// input grad    AsConv          float32, stride 1, square, pads &lt; k  forward convolution of dy with W flipped
    ///               Gemm            any                                    Wᵀ·dy GEMM + col2im
    /// weight grad   Direct          float32, stride 1                      DirectConvKernels.WeightGradient
    ///               Gemm            any                                    dy·colᵀ GEMM per chunk of rows
    ///               GemmTransposed  any                                    col·dyᵀ GEMM (dWᵀ), see UseTransposedWeightGrad
    /// </code>
    /// </summary>
    internal enum ForwardRoute { Auto, Direct, Gemm }

    /// <summary>How the input gradient is computed (<see cref="BackwardInput{T}"/>; table at <see cref="ForwardRoute"/>).</summary>
    internal enum InputGradRoute { Auto, AsConv, Gemm }

    public static void Forward<T>(CpuParallel par, T* x, T* w, T* bias, T* y, Conv2dShape s, ForwardRoute route = ForwardRoute.Auto) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (route == ForwardRoute.Direct && (typeof(T) != typeof(float) || !DirectConvKernels.Supports(s)))
            throw new ArgumentException($"conv2d forward: the direct route computes float32 stride-1 convolutions, not {typeof(T).Name} {s}");
        if (route == ForwardRoute.Direct || (route == ForwardRoute.Auto && typeof(T) == typeof(float) && DirectConvKernels.Applies(s, par.Tier)))
        {
            DirectConvKernels.Forward(par, (float*)x, (float*)w, (float*)bias, (float*)y, s);
            return;
        }
        int kdim = s.C * s.KH * s.KW, p = s.OH * s.OW;
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * p;
        bool perImage = s.N >= par.Threads && par.Threads > 1;
        bool implicitF32 = typeof(T) == typeof(float) && GemmKernels.HasPackedF32 && !IsPointwise(s);
        // Every image's GEMM multiplies by the same weights: with one GEMM per image (per-image work split) pack
        // them once here, not once per image inside each GEMM (see GemmKernels.PackWholeA).
        float* packedW = null;
        if (implicitF32 && perImage && GemmKernels.CanUsePackedA(s.OutC))
        {
            packedW = GemmKernels.Scratch(ref t_packedWeights, GemmKernels.PackedALength(s.OutC, kdim));
            GemmKernels.PackWholeA(false, s.OutC, kdim, 1f, (float*)w, kdim, packedW);
        }
        par.For(s.N, perImage, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) =>
        {
            T* xn = x + n * xs, yn = y + n * ys;
            T* col = xn;
            if (implicitF32)
            {
                // Implicit im2col: the GEMM packs its B panels straight from the image (no K×P matrix written).
                GemmKernels.Sgemm(par, !perImage, false, s.OutC, p, kdim, 1f, (float*)w, kdim, new Im2ColB((float*)xn, s), 0f, (float*)yn, p, packedW);
            }
            else if (!IsPointwise(s))
            {
                col = Scratch<T>.Col((long)kdim * p);
                Im2Col(xn, col, s, 0, s.OH);
                GemmKernels.Gemm(par, !perImage, false, false, s.OutC, p, kdim, T.One, w, kdim, col, p, T.Zero, yn, p);
            }
            else
                GemmKernels.Gemm(par, !perImage, false, false, s.OutC, p, kdim, T.One, w, kdim, col, p, T.Zero, yn, p);
            if (bias != null)
                for (int o = 0; o < s.OutC; o++)
                    VectorOps.Affine(yn + (long)o * p, yn + (long)o * p, p, T.One, bias[o]);
        });
    }

    [ThreadStatic] private static float[]? t_flipped;
    [ThreadStatic] private static float[]? t_packedWeights;

    public static void BackwardInput<T>(CpuParallel par, T* dy, T* w, T* dx, Conv2dShape s, InputGradRoute route = InputGradRoute.Auto) where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool canAsConv = typeof(T) == typeof(float) && CanRunInputGradAsConv(s);
        if (route == InputGradRoute.AsConv && !canAsConv)
            throw new ArgumentException($"conv2d input gradient: the as-convolution route needs float32, stride 1, a square kernel and every side's padding < kernel, not {typeof(T).Name} {s}");
        if (route == InputGradRoute.AsConv || (route == InputGradRoute.Auto && canAsConv && PreferInputGradAsConv(s, par.Tier)))
        {
            BackwardInputAsConv(par, (float*)dy, (float*)w, (float*)dx, s);
            return;
        }
        int kdim = s.C * s.KH * s.KW, p = s.OH * s.OW;
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * p;
        bool perImage = s.N >= par.Threads && par.Threads > 1;
        par.For(s.N, perImage, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (n) =>
        {
            T* dyn = dy + n * ys, dxn = dx + n * xs;
            if (IsPointwise(s))
            {
                GemmKernels.Gemm(par, !perImage, true, false, kdim, p, s.OutC, T.One, w, kdim, dyn, p, T.Zero, dxn, p);
                return;
            }
            // One GEMM over the whole image: chunking its output rows like the weight gradient (to keep the col block
            // in L2) measured no faster here, since K = OutC is short and each chunk repacks Wᵀ.
            T* col = Scratch<T>.Col((long)kdim * p);
            GemmKernels.Gemm(par, !perImage, true, false, kdim, p, s.OutC, T.One, w, kdim, dyn, p, T.Zero, col, p);
            new Span<T>(dxn, (int)xs).Clear();
            Col2Im(col, dxn, s, 0, s.OH);
        });
    }

    /// <summary>
    /// Whether the input gradient runs as a forward convolution of dy (stride 1, square kernel, padding &lt; kernel)
    /// when the caller lets the shape decide. Where that convolution takes the direct kernel
    /// (<see cref="DirectConvKernels.Applies"/>) it beat GEMM + col2im on every such shape measured (AVX-512, and
    /// 128-bit: 0.56–0.88×, seed-model layers). On AVX-512 without the direct kernel (many wasted output channels) it
    /// still won when C ≥ OutC: measured (thread CPU time, 1 thread) [16,32,32,32]→32 2.3 → 1.86 ms, →64 (C &lt; OutC)
    /// 3.7 either way, [16,16,64,64]→32 (C &lt; OutC) 4.6 → 5.3 ms. On AVX2 it never won (1.0–1.5× GEMM + col2im's time).
    /// </summary>
    private static bool PreferInputGradAsConv(Conv2dShape s, SimdTier tier)
    {
        var asConv = new Conv2dShape(s.N, s.OutC, s.OH, s.OW, s.C, s.KH, s.KW, 1, FlippedPad(s));
        return DirectConvKernels.Applies(asConv, tier) || (tier == SimdTier.V512 && s.C >= s.OutC);
    }

    /// <summary>The geometries <see cref="BackwardInputAsConv"/> handles (the flipped kernel's padding must be ≥ 0).</summary>
    private static bool CanRunInputGradAsConv(Conv2dShape s) =>
        s.Stride == 1 && s.KH == s.KW && FlippedPad(s).IsValid && !IsPointwise(s);

    /// <summary>
    /// The padding of the adjoint (flipped-kernel) convolution: each side <c>K − 1 − pad</c> of that side
    /// (a row padded above x is a row the adjoint needs fewer of above dy), so its output is exactly H × W.
    /// </summary>
    private static Padding2d FlippedPad(Conv2dShape s) =>
        new(s.KH - 1 - s.Pad.Top, s.KW - 1 - s.Pad.Left, s.KH - 1 - s.Pad.Bottom, s.KW - 1 - s.Pad.Right);

    /// <summary>
    /// Input gradient of a stride-1 convolution as a forward convolution of dy: the adjoint of correlating with W
    /// is correlating with W flipped in space and transposed in channels,
    /// <c>dx[c, h, w] = Σ_{o,p,q} dy[o, h + p − pad′, w + q − pad′] · W̃[c, o, p, q]</c> with
    /// <c>W̃[c, o, p, q] = W[o, c, KH−1−p, KW−1−q]</c> and <c>pad′ = K−1−pad</c> per side (<see cref="FlippedPad"/>; exactly H×W outputs).
    /// It runs on the forward path (implicit im2col from dy): no K×P column matrix is written to memory and read
    /// back by col2im, and dx is written once instead of cleared and accumulated.
    /// </summary>
    private static void BackwardInputAsConv(CpuParallel par, float* dy, float* w, float* dx, Conv2dShape s)
    {
        int khw = s.KH * s.KW;
        // W̃ is tiny (C·OutC·KH·KW floats); built on the calling thread, only read by the workers.
        float* wt = GemmKernels.Scratch(ref t_flipped, (long)s.C * s.OutC * khw);
        for (int o = 0; o < s.OutC; o++)
            for (int c = 0; c < s.C; c++)
            {
                float* src = w + ((long)o * s.C + c) * khw;
                float* dst = wt + ((long)c * s.OutC + o) * khw;
                for (int k = 0; k < khw; k++) dst[k] = src[khw - 1 - k]; // (p, q) → (KH−1−p, KW−1−q) is k → khw−1−k
            }
        var t = new Conv2dShape(s.N, s.OutC, s.OH, s.OW, s.C, s.KH, s.KW, 1, FlippedPad(s));
        Forward<float>(par, dy, wt, null, dx, t);
    }

    public static void BackwardWeight<T>(CpuParallel par, SharedScratch<T> partials, T* x, T* dy, T* dw, Conv2dShape s,
        WeightGradRoute route = WeightGradRoute.Auto) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (route == WeightGradRoute.Direct && (typeof(T) != typeof(float) || !DirectConvKernels.Supports(s)))
            throw new ArgumentException($"conv2d weight gradient: the direct route computes float32 stride-1 convolutions, not {typeof(T).Name} {s}");
        if (route == WeightGradRoute.Auto) route = ChooseWeightGradRoute<T>(s, par);
        int kdim = s.C * s.KH * s.KW, p = s.OH * s.OW;
        long xs = (long)s.C * s.H * s.W, ys = (long)s.OutC * p, wsz = (long)s.OutC * kdim;
        bool direct = route == WeightGradRoute.Direct, transposed = route == WeightGradRoute.GemmTransposed;
        int parts = Math.Min(par.Threads, s.N);
        if (parts <= 1 && route == WeightGradRoute.Gemm)
        {
            // One image range: accumulate straight into dw; the GEMMs themselves use every thread.
            for (int n = 0; n < s.N; n++) AccumulateImage(par, true, x + n * xs, dy + n * ys, dw, n == 0, false, s, kdim, p);
            return;
        }
        parts = Math.Max(parts, 1);
        var arr = partials.Rent(parts * wsz);
        T* part = SharedScratch<T>.Ptr(arr);
        par.For(parts, parts > 1, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
        {
            int n0 = (int)((long)s.N * t / parts), n1 = (int)((long)s.N * (t + 1) / parts);
            T* dst = t == 0 && !transposed ? dw : part + t * wsz;
            if (direct)
                DirectConvKernels.WeightGradient(par.Tier, (float*)(x + n0 * xs), (float*)(dy + n0 * ys), n1 - n0, (float*)dst, s);
            else
                for (int n = n0; n < n1; n++) AccumulateImage(par, parts == 1, x + n * xs, dy + n * ys, dst, n == n0, transposed, s, kdim, p);
        });
        if (transposed)
        {
            // The partials hold dWᵀ [K, OutC]: dw[o, k] = Σ_t partial_t[k, o], threads in order (deterministic).
            for (int o = 0; o < s.OutC; o++)
                for (int k = 0; k < kdim; k++)
                {
                    T sum = part[(long)k * s.OutC + o];
                    for (int t = 1; t < parts; t++) sum += part[t * wsz + (long)k * s.OutC + o];
                    dw[(long)o * kdim + k] = sum;
                }
        }
        else
        {
            // Fixed-order reduction: dw = partial_0 + partial_1 + … (deterministic for a given thread count).
            for (int t = 1; t < parts; t++) VectorOps.Map2(new AddOp<T>(), dw, part + t * wsz, dw, wsz);
        }
        partials.Return(arr);
    }

    /// <summary>How the weight gradient is computed (<see cref="BackwardWeight{T}"/>; table at <see cref="ForwardRoute"/>).</summary>
    internal enum WeightGradRoute { Auto, Direct, Gemm, GemmTransposed }

    /// <summary>
    /// The direct kernel where it applies (<see cref="DirectConvKernels.AppliesToWeightGrad"/>), else the GEMM in the
    /// orientation <see cref="UseTransposedWeightGrad{T}"/> picks.
    /// </summary>
    private static WeightGradRoute ChooseWeightGradRoute<T>(Conv2dShape s, CpuParallel par) where T : unmanaged
    {
        if (typeof(T) == typeof(float) && DirectConvKernels.AppliesToWeightGrad(s, par.Threads, par.Tier)) return WeightGradRoute.Direct;
        return UseTransposedWeightGrad<T>(s) ? WeightGradRoute.GemmTransposed : WeightGradRoute.Gemm;
    }

    /// <summary>
    /// Whether the weight gradient runs as <c>dWᵀ = col·dyᵀ</c> (M = C·KH·KW, N = OutC) rather than
    /// <c>dW = dy·colᵀ</c> (M = OutC, N = C·KH·KW): the same products summed in the same order, in a GEMM of a
    /// different shape. The packed GEMM computes 32 columns at a time: with OutC a multiple of 32 and C·KH·KW not
    /// (16 → 32 channels, 3×3: dW is 32 × 144, i.e. 4.5 column panels each swept by 14 + 14 + 4 rows), the
    /// transposed form has whole 32-wide panels and many 14-row A panels. Measured side by side (batch 16, 1 thread):
    /// [16,16,64,64] → 32 10.5 → 8.9 ms, [16,16,32,32] → 32 2.5 → 2.2 ms; shapes outside this rule measured equal
    /// (32 → 32, 32 → 64: K = 288, a multiple of 32) or slower (3 → 16, 1 → 32: 13–22 %).
    /// </summary>
    internal static bool UseTransposedWeightGrad<T>(Conv2dShape s) where T : unmanaged
    {
        int kdim = s.C * s.KH * s.KW;
        return typeof(T) == typeof(float) && !IsPointwise(s) && s.OutC % 32 == 0 && kdim % 32 != 0 && kdim >= 4 * s.OutC;
    }

    private readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Apply(T a, T b) => a + b;
        public Vector<T> Apply(Vector<T> a, Vector<T> b) => a + b;
    }

    /// <summary>
    /// dst (+)= dy[n]·col(x[n])ᵀ (or its transpose, dst [K, OutC], see <see cref="UseTransposedWeightGrad{T}"/>):
    /// M = OutC, N = K, K = P, with col read transposed by the GEMM's packing. The pixels
    /// go in chunks of output rows whose im2col block stays in L2 (<see cref="ChunkRows"/>), each chunk one GEMM
    /// accumulating into dst: the whole image's col matrix would be written to memory and read straight back.
    /// </summary>
    private static void AccumulateImage<T>(CpuParallel par, bool parallel, T* xn, T* dyn, T* dst, bool first, bool transposed, Conv2dShape s, int kdim, int p)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (IsPointwise(s))
        {
            T beta0 = first ? T.Zero : T.One;
            if (transposed) GemmKernels.Gemm(par, parallel, false, true, kdim, s.OutC, p, T.One, xn, p, dyn, p, beta0, dst, s.OutC);
            else GemmKernels.Gemm(par, parallel, false, true, s.OutC, kdim, p, T.One, dyn, p, xn, p, beta0, dst, kdim);
            return;
        }
        int rows = ChunkRows(kdim, s.OW), ow = s.OW;
        T* col = Scratch<T>.Col((long)kdim * rows * ow);
        for (int i0 = 0; i0 < s.OH; i0 += rows)
        {
            int i1 = Math.Min(s.OH, i0 + rows), pc = (i1 - i0) * ow;
            Im2Col(xn, col, s, i0, i1);
            T beta = first && i0 == 0 ? T.Zero : T.One;
            if (transposed) // dWᵀ[k, o] (+)= Σ_p col[k, p]·dy[o, p]
                GemmKernels.Gemm(par, parallel, false, true, kdim, s.OutC, pc, T.One, col, pc, dyn + (long)i0 * ow, p, beta, dst, s.OutC);
            else            // dW[o, k] (+)= Σ_p dy[o, p]·col[k, p]
                GemmKernels.Gemm(par, parallel, false, true, s.OutC, kdim, pc, T.One, dyn + (long)i0 * ow, p, col, pc, beta, dst, kdim);
        }
    }

    /// <summary>
    /// Output rows per im2col chunk: a K × rows·OW block of about 64K elements (256 KB as float32, a quarter of Zen 5's
    /// L2, leaving room for the GEMM's packed panels), at least one row. Fewer, longer chunks would not speed the GEMM
    /// (its K blocks are ≤ 256 anyway) but would spill the block to memory.
    /// </summary>
    private static int ChunkRows(int kdim, int ow) => Math.Max(1, ChunkElements / Math.Max(1, kdim * ow));

    private const int ChunkElements = 128 * 1024;

    /// <summary>
    /// col[(c·KH + kh)·KW + kw, (i − i0)·OW + j] = x[c, i·s + kh − pad, j·s + kw − pad] for output rows
    /// i0 ≤ i &lt; i1, 0 outside the image. For each (row, i) the valid j form one interval, computed once, so the
    /// inner loop has no bounds test (and is a plain copy at stride 1).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2Col<T>(T* x, T* col, Conv2dShape s, int i0, int i1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = s.OW, st = s.Stride, padT = s.Pad.Top, padL = s.Pad.Left, H = s.H, W = s.W;
        long p = (long)(i1 - i0) * ow;
        for (int c = 0; c < s.C; c++)
            for (int kh = 0; kh < s.KH; kh++)
                for (int kw = 0; kw < s.KW; kw++)
                {
                    T* dst = col + (((long)c * s.KH + kh) * s.KW + kw) * p;
                    ValidRange(kw, st, padL, W, ow, out int j0, out int j1);
                    for (int i = i0; i < i1; i++)
                    {
                        T* d = dst + (long)(i - i0) * ow;
                        int ih = i * st + kh - padT;
                        if ((uint)ih >= (uint)H || j0 >= j1)
                        {
                            new Span<T>(d, ow).Clear();
                            continue;
                        }
                        T* src = x + ((long)c * H + ih) * W + kw - padL;
                        if (typeof(T) == typeof(float) && st == 1 && Avx512F.IsSupported)
                        {
                            CopyRowMasked((float*)src, (float*)d, kw - padL, W, ow);
                            continue;
                        }
                        for (int j = 0; j < j0; j++) d[j] = T.Zero;
                        if (st == 1) new ReadOnlySpan<T>(src + j0, j1 - j0).CopyTo(new Span<T>(d + j0, j1 - j0));
                        else for (int j = j0; j < j1; j++) d[j] = src[j * st];
                        for (int j = j1; j < ow; j++) d[j] = T.Zero;
                    }
                }
    }

    /// <summary>
    /// d[j] = src[j] for j &lt; n where input column iw0 + j lies in [0, W), else 0: 16 lanes at a time with masked
    /// loads (masked-off lanes are zero and their memory is not touched) and a masked store for the last partial
    /// vector. Replaces a zero-fill, a span copy (a Memmove call per ~64 floats, 11 % of the weight gradient in a
    /// profile) and another zero-fill per row.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRowMasked(float* src, float* d, int iw0, int W, int n)
    {
        var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        var width = Vector512.Create((uint)W);
        int j = 0;
        for (; j + 16 <= n; j += 16)
        {
            int iw = iw0 + j;
            if (iw >= 0 && iw + 16 <= W) Vector512.Store(Vector512.Load(src + j), d + j);
            else
            {
                var inside = Vector512.LessThan((iota + Vector512.Create(iw)).AsUInt32(), width).AsSingle();
                Vector512.Store(Avx512F.MaskLoad(src + j, inside, Vector512<float>.Zero), d + j);
            }
        }
        if (j < n)
        {
            var lanes = Vector512.LessThan(iota, Vector512.Create(n - j));
            var inside = lanes & Vector512.LessThan((iota + Vector512.Create(iw0 + j)).AsUInt32(), width).AsInt32();
            Avx512F.MaskStore(d + j, lanes.AsSingle(), Avx512F.MaskLoad(src + j, inside.AsSingle(), Vector512<float>.Zero));
        }
    }

    /// <summary>d[j] += s[j] for j &lt; n, 16 lanes at a time, the last partial vector masked (rows here are 30–220 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddRowF32(float* d, float* s, int n)
    {
        int j = 0;
        for (; j + 16 <= n; j += 16) Vector512.Store(Vector512.Load(d + j) + Vector512.Load(s + j), d + j);
        if (j < n)
        {
            var m = Vector512.LessThan(Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), Vector512.Create(n - j)).AsSingle();
            Avx512F.MaskStore(d + j, m, Avx512F.MaskLoad(d + j, m, Vector512<float>.Zero) + Avx512F.MaskLoad(s + j, m, Vector512<float>.Zero));
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col{T}"/> for output rows i0 ≤ i &lt; i1: dx[c, ih, iw] += col[row, (i − i0)·OW + j]
    /// for every in-image entry (the caller clears dx once; chunks of rows add up in row order).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Col2Im<T>(T* col, T* dx, Conv2dShape s, int i0, int i1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ow = s.OW, st = s.Stride, padT = s.Pad.Top, padL = s.Pad.Left, H = s.H, W = s.W;
        long p = (long)(i1 - i0) * ow;
        for (int c = 0; c < s.C; c++)
            for (int kh = 0; kh < s.KH; kh++)
                for (int kw = 0; kw < s.KW; kw++)
                {
                    T* src = col + (((long)c * s.KH + kh) * s.KW + kw) * p;
                    ValidRange(kw, st, padL, W, ow, out int j0, out int j1);
                    if (j0 >= j1) continue;
                    for (int i = i0; i < i1; i++)
                    {
                        int ih = i * st + kh - padT;
                        if ((uint)ih >= (uint)H) continue;
                        T* d = dx + ((long)c * H + ih) * W + kw - padL;
                        T* sr = src + (long)(i - i0) * ow;
                        if (st == 1 && typeof(T) == typeof(float) && Avx512F.IsSupported)
                            AddRowF32((float*)(d + j0), (float*)(sr + j0), j1 - j0);
                        else if (st == 1)
                            VectorOps.Map2(new AddOp<T>(), d + j0, sr + j0, d + j0, j1 - j0);
                        else
                            for (int j = j0; j < j1; j++) d[j * st] += sr[j];
                    }
                }
    }

    /// <summary>
    /// The forward convolution's B operand, col(x[n]), packed panel by panel straight from the image: for each
    /// k-row (c, kh, kw) and a panel of nr consecutive output pixels, the pixels are walked in runs along one output
    /// row; at stride 1 each run is a contiguous slice of an input row, clipped to the image (zeros outside), so the
    /// packing is a handful of short vector copies. (c, kh, kw) advance incrementally: no divisions per element.
    /// </summary>
    private readonly struct Im2ColB : IBSource
    {
        private readonly float* _x;
        private readonly int _h, _w, _kh, _kw, _stride, _padT, _padL, _ow, _channels;

        public Im2ColB(float* x, Conv2dShape s)
        {
            _x = x; _h = s.H; _w = s.W; _kh = s.KH; _kw = s.KW; _stride = s.Stride; _padT = s.Pad.Top; _padL = s.Pad.Left; _ow = s.OW; _channels = s.C;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Pack(int pc, int kc, int jc, int nc, int nr, float* dst)
        {
            int H = _h, W = _w, KW = _kw, st = _stride, padT = _padT, padL = _padL, OW = _ow, khw = _kh * _kw;
            long plane = (long)H * W;
            for (int jr = 0; jr < nc; jr += nr)
            {
                int cols = Math.Min(nr, nc - jr);
                float* d = dst + (long)jr * kc;
                int q0 = jc + jr;
                int oh0 = q0 / OW, ow0 = q0 - oh0 * OW;
                int c = pc / khw, rem = pc - c * khw, kh = rem / KW, kw = rem - kh * KW;
                if (st == 1 && Sse.IsSupported)
                {
                    // The next output row needs one new input row per channel (the one below this window): request
                    // it now, a row of panels ahead. Without this each channel's row arrives as a demand miss from
                    // L3/memory (a 16-channel image is 16 interleaved streams, more than the prefetchers follow)
                    // and the packing, not the FMA kernel, became the bottleneck.
                    int ihn = oh0 + _kh - padT;
                    if ((uint)ihn < (uint)H)
                    {
                        int c1 = Math.Min((pc + kc - 1) / khw, _channels - 1);
                        float* row = _x + (long)ihn * W + Math.Max(0, ow0 - padL);
                        for (int cc = c; cc <= c1; cc++)
                        {
                            float* r = row + cc * plane;
                            Sse.Prefetch0(r); Sse.Prefetch0(r + 16); Sse.Prefetch0(r + 32);
                        }
                    }
                }
                // The common case, stride 1 and a full 32-pixel panel with OW ≥ 16: each k-row is two 16-float
                // slices of input rows (zeros above/below the image), one per 16-pixel half of the panel; a half
                // that wraps from one output row to the next (OW = 56: 2 of every 7 panels) is two masked pieces.
                // Slices that hang over the left or right edge (kw − pad reaching outside, on every panel touching
                // a border) are read with masked loads, which zero the lanes outside the row and never touch their
                // memory, instead of going through the run-by-run loop below.
                int q1 = q0 + 16, oh1 = q1 / OW, ow1 = q1 - oh1 * OW;
                int a0 = Math.Min(16, OW - ow0), a1 = Math.Min(16, OW - ow1); // lanes of each half in its first row
                bool halves = st == 1 && cols == 32 && nr == 32 && OW >= 16 && Avx512F.IsSupported;
                var iota = Vector512.Create(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
                var width = Vector512.Create((uint)W);
                for (int p = 0; p < kc; p++, d += nr)
                {
                    float* xc = _x + c * plane;
                    if (halves)
                    {
                        if (a0 == 16) PackHalf(xc, H, W, oh0 - padT + kh, ow0 - padL + kw, d, iota, width);
                        else PackWrapped(xc, H, W, oh0 - padT + kh, ow0 - padL + kw, a0, kw - padL, d, iota, width);
                        if (a1 == 16) PackHalf(xc, H, W, oh1 - padT + kh, ow1 - padL + kw, d + 16, iota, width);
                        else PackWrapped(xc, H, W, oh1 - padT + kh, ow1 - padL + kw, a1, kw - padL, d + 16, iota, width);
                        if (++kw == KW) { kw = 0; if (++kh == _kh) { kh = 0; c++; } }
                        continue;
                    }
                    int oh = oh0, ow = ow0, t = 0;
                    while (t < cols)
                    {
                        int run = Math.Min(cols - t, OW - ow);
                        int ih = oh * st - padT + kh;
                        if ((uint)ih >= (uint)H) Zero(d + t, run);
                        else
                        {
                            float* row = xc + (long)ih * W;
                            int iw0 = ow * st - padL + kw;
                            if (st == 1)
                            {
                                int lo = Math.Max(0, -iw0), hi = Math.Min(run, W - iw0);
                                if (hi <= lo) Zero(d + t, run);
                                else
                                {
                                    Zero(d + t, lo);
                                    CopySmall(row + iw0 + lo, d + t + lo, hi - lo);
                                    Zero(d + t + hi, run - hi);
                                }
                            }
                            else
                            {
                                for (int u = 0; u < run; u++)
                                {
                                    int iw = iw0 + u * st;
                                    d[t + u] = (uint)iw < (uint)W ? row[iw] : 0f;
                                }
                            }
                        }
                        t += run; ow = 0; oh++;
                    }
                    for (; t < nr; t++) d[t] = 0f;
                    if (++kw == KW) { kw = 0; if (++kh == _kh) { kh = 0; c++; } }
                }
            }
        }

        /// <summary>d[0..16) = x[ih, iw .. iw+16) of one channel plane, zeros outside the image.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PackHalf(float* xc, int H, int W, int ih, int iw, float* d, Vector512<int> iota, Vector512<uint> width)
        {
            if ((uint)ih >= (uint)H)
            {
                Vector512.Store(Vector512<float>.Zero, d);
                return;
            }
            float* src = xc + (long)ih * W + iw;
            if (iw >= 0 && iw + 16 <= W)
                Vector512.Store(Vector512.Load(src), d);
            else
            {
                // Lane l holds input column iw + l: inside the row iff (uint)(iw + l) < W.
                var inside = Vector512.LessThan((iota + Vector512.Create(iw)).AsUInt32(), width).AsSingle();
                Vector512.Store(Avx512F.MaskLoad(src, inside, Vector512<float>.Zero), d);
            }
        }

        /// <summary>
        /// A 16-pixel half that wraps to the next output row: lanes l &lt; a are x[ih, iw + l], lanes l ≥ a are
        /// x[ih + 1, iw2 + l − a] (iw2 = the first output column's input column), zeros outside the image.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void PackWrapped(float* xc, int H, int W, int ih, int iw, int a, int iw2, float* d, Vector512<int> iota, Vector512<uint> width)
        {
            var first = Vector512.LessThan(iota, Vector512.Create(a));
            var v0 = Vector512<float>.Zero;
            var v1 = Vector512<float>.Zero;
            if ((uint)ih < (uint)H)
            {
                var in0 = first & Vector512.LessThan((iota + Vector512.Create(iw)).AsUInt32(), width).AsInt32();
                v0 = Avx512F.MaskLoad(xc + (long)ih * W + iw, in0.AsSingle(), Vector512<float>.Zero);
            }
            if ((uint)(ih + 1) < (uint)H)
            {
                var in1 = ~first & Vector512.LessThan((iota + Vector512.Create(iw2 - a)).AsUInt32(), width).AsInt32();
                v1 = Avx512F.MaskLoad(xc + (long)(ih + 1) * W + iw2 - a, in1.AsSingle(), Vector512<float>.Zero);
            }
            // A select, not an add: −0.0 + 0.0 would lose the sign of a zero.
            Vector512.Store(Vector512.ConditionalSelect(first.AsSingle(), v0, v1), d);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Zero(float* d, int len)
        {
            int i = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; i + 8 <= len; i += 8) Vector256.Store(Vector256<float>.Zero, d + i);
            for (; i < len; i++) d[i] = 0f;
        }

        /// <summary>Copies len floats with whole vectors; the last vector overlaps the previous one instead of a scalar tail.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void CopySmall(float* src, float* dst, int len)
        {
            if (len >= 16 && Vector512.IsHardwareAccelerated)
            {
                int i = 0;
                for (; i + 16 <= len; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
                if (i < len) Vector512.Store(Vector512.Load(src + len - 16), dst + len - 16);
            }
            else if (len >= 8 && Vector256.IsHardwareAccelerated)
            {
                int i = 0;
                for (; i + 8 <= len; i += 8) Vector256.Store(Vector256.Load(src + i), dst + i);
                if (i < len) Vector256.Store(Vector256.Load(src + len - 8), dst + len - 8);
            }
            else
                for (int i = 0; i < len; i++) dst[i] = src[i];
        }
    }

    /// <summary>Output columns j with 0 ≤ j·s + k − pad &lt; W, as the half-open interval [j0, j1).</summary>
    private static void ValidRange(int k, int stride, int pad, int w, int ow, out int j0, out int j1)
    {
        // j·s ≥ pad − k  ⇒ j ≥ ceil((pad − k)/s);   j·s < w + pad − k ⇒ j ≤ floor((w + pad − k − 1)/s).
        int lo = pad - k;
        j0 = lo <= 0 ? 0 : (lo + stride - 1) / stride;
        int hi = w + pad - k - 1;
        j1 = hi < 0 ? 0 : Math.Min(ow, hi / stride + 1);
        if (j0 > ow) j0 = ow;
    }
}
