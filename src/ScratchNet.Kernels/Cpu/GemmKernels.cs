using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// The source of the packed GEMM's B operand: packs op(B)[pc..pc+kc, jc..jc+nc] into nr-wide, k-major panels
/// (nr floats per k, zero-padded past the last column) at dst.
/// </summary>
internal unsafe interface IBSource
{
    void Pack(int pc, int kc, int jc, int nc, int nr, float* dst);
}

/// <summary>
/// Row-major GEMM <c>C = α·op(A)·op(B) + β·C</c> (C [M, N], op(A) [M, K], op(B) [K, N]); β = 0 overwrites C
/// without reading it, so NaN or garbage in C never leaks through.
/// </summary>
/// <remarks>
/// <para>float32 is a BLIS-style GEMM. The loops, outermost first:</para>
/// <list type="number">
/// <item>N in blocks of up to <see cref="NC"/> columns (fewer when kc is large, so a packed B block of ≈512 KB
/// stays in Zen 5's 1 MB L2); K in blocks of ≈<see cref="KC"/>, balanced (K = 288 runs as 2×144, not 256 + 32).
/// op(B) is packed into <see cref="NR"/>-wide column panels stored k-major (32 contiguous floats per k), so the
/// micro-kernel reads B strictly sequentially; a kc×32 panel (≤ 32 KB) stays in L1 while the A panels stream past.
/// When M fits one block (M ≤ MC, e.g. a convolution's OutC rows) each B panel is packed just before its sweep.</item>
/// <item>M in blocks of <see cref="MC"/> rows: α·op(A)[mc, kc] is packed into <see cref="MR"/>-row panels
/// (14 floats per k), 168×256×4 B = 168 KB, resident in L2. α is folded into this packing.</item>
/// <item>The micro-kernel: a 14×32 block of C held in 28 <c>Vector512</c> registers (2 per row); per k it loads two
/// B vectors, broadcasts 14 A values and issues 28 FMAs. 28 accumulators + 2 B vectors + 1 broadcast fit the 32 zmm
/// registers with no spills: that is why 14 and 32. It prefetches its C tile before the k loop, because C is only
/// touched at the end and a cold miss there stalls the whole tile.</item>
/// </list>
/// <para>Packing is where plain C# loses time, not the kernel (which is at ~96 % of peak in L1), so it is
/// vectorised: a transposed operand is packed with 8×8 AVX register transposes (a 14-row A panel as two
/// overlapping 8-row transposes), a straight one with whole-vector copies. The B operand is an
/// <see cref="IBSource"/>, so convolution packs its panels straight from the image (implicit im2col). Transposes
/// cost nothing in the kernel: only the packing routines read differently. Edge tiles (M, N not multiples of the
/// block) are zero-padded in packing and computed into a small stack tile that is merged into C, so the hot kernel
/// never tests bounds; the last ≤ 8 (≤ 4) rows use an 8×32 (4×32) kernel instead of wasting 14-row FMAs on zeros. Threads split
/// the larger of M and N into contiguous ranges; each thread packs its own panels, which duplicates packing of the
/// other operand but needs no barrier, and every C element is computed by one thread in a fixed k order, so results
/// do not depend on the thread count. Without AVX-512 a 6×16 <c>Vector256</c> kernel (12 accumulators of 16 ymm
/// registers) serves; with neither, and for float64 (gradient checks only), a simple row-at-a-time vector loop.</para>
/// </remarks>
internal static unsafe class GemmKernels
{
    /// <summary>A stored matrix as the B operand of the packed GEMM.</summary>
    internal readonly struct MatrixB(float* b, long ldb, bool trans) : IBSource
    {
        public void Pack(int pc, int kc, int jc, int nc, int nr, float* dst) => PackB(trans, b, ldb, pc, kc, jc, nc, nr, dst);
    }

    private const int MR = 14, NR = 32;   // AVX-512 register block
    private const int MR8 = 6, NR8 = 16;  // AVX2 register block
    private const int KC = 256, MC = 168, NC = 2048;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    /// <summary>True when the packed float32 path has a vector micro-kernel on this machine.</summary>
    public static bool HasPackedF32 => Vector512.IsHardwareAccelerated || (Vector256.IsHardwareAccelerated && Fma.IsSupported);

    /// <summary>A pinned, per-thread scratch array of at least <paramref name="length"/> floats (grown, never shrunk).</summary>
    internal static float* Scratch(ref float[]? slot, long length)
    {
        if (slot is null || slot.Length < length)
            slot = GC.AllocateUninitializedArray<float>((int)Math.Max(length, 1024), pinned: true);
        return (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
    }

    /// <summary>
    /// GEMM on raw pointers with leading dimensions (row strides) lda, ldb, ldc as stored; <paramref name="parallel"/>
    /// lets it split the work over the backend's threads (callers already parallel over images pass false).
    /// </summary>
    public static void Gemm<T>(CpuParallel par, bool parallel, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, long lda, T* b, long ldb, T beta, T* c, long ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0) return;
        if (k <= 0)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }
        if (typeof(T) == typeof(float) && Vector512.IsHardwareAccelerated && !transA && transB && k >= 256 && 2.0 * m * n / (m + n) < 40)
            SmallNT(par, parallel, m, n, k, float.CreateTruncating(alpha), (float*)a, lda, (float*)b, ldb, float.CreateTruncating(beta), (float*)c, ldc);
        else if (typeof(T) == typeof(float) && HasPackedF32)
            Sgemm(par, parallel, transA, m, n, k, float.CreateTruncating(alpha), (float*)a, lda, new MatrixB((float*)b, ldb, transB),
                float.CreateTruncating(beta), (float*)c, ldc);
        else
            SimpleGemm(par, parallel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void ScaleC<T>(T* c, int m, int n, long ldc, T beta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < n; j++) row[j] *= beta;
        }
    }

    // ------------------------------------------------------------------ float32 packed path

    /// <summary>
    /// Packed float32 GEMM whose B panels come from <paramref name="bsrc"/>: a stored matrix
    /// (<see cref="MatrixB"/>) or, for convolution, straight from an image (implicit im2col).
    /// </summary>
    internal static void Sgemm<TB>(CpuParallel par, bool parallel, bool transA, int m, int n, int k, float alpha,
        float* a, long lda, TB bsrc, float beta, float* c, long ldc, float* packedA = null) where TB : struct, IBSource
    {
        if (m <= 0 || n <= 0) return;
        if (packedA != null)
        {
            // A was packed once by PackWholeA (a convolution's weights, shared by every image of the batch).
            if (parallel || !CanUsePackedA(m) || k <= 0) throw new ArgumentException("a pre-packed A needs a single-threaded call with m ≤ MC");
            SgemmRegion(Vector512.IsHardwareAccelerated, transA, 0, m, 0, n, k, alpha, a, lda, bsrc, beta, c, ldc, packedA);
            return;
        }
        if (k <= 0)
        {
            ScaleC(c, m, n, ldc, beta);
            return;
        }
        bool wide = Vector512.IsHardwareAccelerated;
        int threads = parallel ? par.Threads : 1;
        double flops = 2.0 * m * n * k;
        if (threads == 1 || flops < 4e6)
        {
            SgemmRegion(wide, transA, 0, m, 0, n, k, alpha, a, lda, bsrc, beta, c, ldc);
            return;
        }
        SgemmParallel(par, threads, wide, transA, m, n, k, alpha, a, lda, bsrc, beta, c, ldc);
    }

    /// <summary>
    /// Splits the larger dimension into `threads` contiguous ranges on register-block boundaries. A separate method
    /// because C# allocates the lambdas' closure on entry to the method that declares the captured variables, even
    /// on the single-threaded path (a convolution calls the GEMM once per image or chunk).
    /// </summary>
    private static void SgemmParallel<TB>(CpuParallel par, int threads, bool wide, bool transA, int m, int n, int k, float alpha,
        float* a, long lda, TB bsrc, float beta, float* c, long ldc) where TB : struct, IBSource
    {
        int mr = wide ? MR : MR8, nr = wide ? NR : NR8;
        if (m >= n)
        {
            int blocks = (m + mr - 1) / mr;
            int parts = Math.Min(threads, blocks);
            par.For(parts, true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
            {
                int m0 = Math.Min(m, (int)((long)blocks * t / parts) * mr), m1 = Math.Min(m, (int)((long)blocks * (t + 1) / parts) * mr);
                if (m1 > m0) SgemmRegion(wide, transA, m0, m1, 0, n, k, alpha, a, lda, bsrc, beta, c, ldc);
            });
        }
        else
        {
            int blocks = (n + nr - 1) / nr;
            int parts = Math.Min(threads, blocks);
            par.For(parts, true, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (t) =>
            {
                int n0 = Math.Min(n, (int)((long)blocks * t / parts) * nr), n1 = Math.Min(n, (int)((long)blocks * (t + 1) / parts) * nr);
                if (n1 > n0) SgemmRegion(wide, transA, 0, m, n0, n1, k, alpha, a, lda, bsrc, beta, c, ldc);
            });
        }
    }

    /// <summary>C[m0..m1, n0..n1] on the calling thread, with this thread's packing buffers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SgemmRegion<TB>(bool wide, bool transA, int m0, int m1, int n0, int n1, int k, float alpha,
        float* a, long lda, TB bsrc, float beta, float* c, long ldc, float* packedA = null) where TB : struct, IBSource
    {
        int mr = wide ? MR : MR8, nr = wide ? NR : NR8;
        // Balance the K blocks (K = 288 becomes 2×144, not 256 + 32) so no pass runs a short, overhead-bound kc.
        int kBlocks = (k + KC - 1) / KC;
        int kcMax = (k + kBlocks - 1) / kBlocks;
        // A packed B block of kc×NC floats should sit in L2 (≈512 KB of Zen 5's 1 MB) next to the A block.
        int ncBlock = Math.Max(nr, Math.Min(NC, BBlockFloats / kcMax / nr * nr));
        int mcMax = Math.Min(MC, RoundUp(m1 - m0, mr));
        int ncMax = Math.Min(ncBlock, RoundUp(n1 - n0, nr));
        float* packA = Scratch(ref t_packA, (long)RoundUp(mcMax, mr) * kcMax);
        float* packB = Scratch(ref t_packB, (long)RoundUp(ncMax, nr) * kcMax);
        float* tile = stackalloc float[MR * NR];
        // With a single M block (M ≤ MC, e.g. a convolution's OutC rows) each B panel is used by one sweep over the A
        // panels only, so pack it just before that sweep: it is then still in L1 when the micro-kernels read it.
        bool singleMBlock = m1 - m0 <= MC;
        for (int jc = n0; jc < n1; jc += ncBlock)
        {
            int nc = Math.Min(ncBlock, n1 - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool first = pc == 0;
                float bEff = first ? beta : 1f;
                bool overwrite = first && beta == 0f;
                if (singleMBlock)
                {
                    int mc = m1 - m0;
                    float* pa = packA;
                    if (packedA != null) pa = packedA + (long)(pc / kcMax) * RoundUp(mc, mr) * kcMax; // block pc/kcMax of PackWholeA
                    else PackA(transA, a, lda, m0, mc, pc, kc, mr, alpha, packA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrr = Math.Min(nr, nc - jr);
                        bsrc.Pack(pc, kc, jc + jr, nrr, nr, packB);
                        Sweep(wide, kc, pa, mc, packB, nrr, c + m0 * ldc + jc + jr, ldc, bEff, overwrite, tile);
                    }
                    continue;
                }
                bsrc.Pack(pc, kc, jc, nc, nr, packB);
                for (int ic = m0; ic < m1; ic += MC)
                {
                    int mc = Math.Min(MC, m1 - ic);
                    PackA(transA, a, lda, ic, mc, pc, kc, mr, alpha, packA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nrr = Math.Min(nr, nc - jr);
                        Sweep(wide, kc, packA, mc, packB + (long)jr * kc, nrr, c + ic * ldc + jc + jr, ldc, bEff, overwrite, tile);
                    }
                }
            }
        }
    }

    /// <summary>
    /// One B panel (kc × nr) against every A panel of the packed block: C[0..mc, 0..nrr] at <paramref name="c"/>.
    /// Full tiles go straight to C; edge tiles are computed into <paramref name="tile"/> and merged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Sweep(bool wide, int kc, float* packA, int mc, float* pb, int nrr, float* c, long ldc, float bEff, bool overwrite, float* tile)
    {
        int mr = wide ? MR : MR8, nr = wide ? NR : NR8;
        for (int ir = 0; ir < mc; ir += mr)
        {
            int mrr = Math.Min(mr, mc - ir);
            float* pa = packA + (long)ir * kc;
            float* cp = c + ir * ldc;
            if (mrr == mr && nrr == nr)
            {
                if (wide) Kernel14x32(kc, pa, pb, cp, ldc, bEff, overwrite);
                else Kernel6x16(kc, pa, pb, cp, ldc, bEff, overwrite);
            }
            else if (wide && mrr == 8 && nrr == nr)
                Kernel8x32(kc, pa, pb, cp, ldc, bEff, overwrite);
            else if (wide && mrr == 4 && nrr == nr)
                Kernel4x32(kc, pa, pb, cp, ldc, bEff, overwrite);
            else if (wide && mrr == 2 && nrr == nr)
                Kernel2x32(kc, pa, pb, cp, ldc, bEff, overwrite); // M = 16 = 14 + 2 (a 16-channel convolution)
            else
            {
                if (wide && mrr < 4) Kernel4x32(kc, pa, pb, tile, nr, 0f, true);
                else if (wide && mrr < 8) Kernel8x32(kc, pa, pb, tile, nr, 0f, true);
                else if (wide) Kernel14x32(kc, pa, pb, tile, nr, 0f, true);
                else Kernel6x16(kc, pa, pb, tile, nr, 0f, true);
                for (int i = 0; i < mrr; i++)
                {
                    float* crow = cp + i * ldc;
                    float* trow = tile + i * nr;
                    if (overwrite) for (int j = 0; j < nrr; j++) crow[j] = trow[j];
                    else for (int j = 0; j < nrr; j++) crow[j] = trow[j] + bEff * crow[j];
                }
            }
        }
    }

    private const int BBlockFloats = 128 * 1024;

    private static int RoundUp(int x, int m) => (x + m - 1) / m * m;

    /// <summary>
    /// True when an m-row A can be packed once with <see cref="PackWholeA"/> and passed to every single-threaded
    /// <see cref="Sgemm{TB}"/> call that shares it (one M block: the region then walks A block by block in K only).
    /// </summary>
    internal static bool CanUsePackedA(int m) => m <= MC;

    /// <summary>Floats <see cref="PackWholeA"/> writes for an m×k A.</summary>
    internal static long PackedALength(int m, int k)
    {
        int kBlocks = (k + KC - 1) / KC, kcMax = (k + kBlocks - 1) / kBlocks;
        return (long)RoundUp(m, Vector512.IsHardwareAccelerated ? MR : MR8) * kcMax * kBlocks;
    }

    /// <summary>
    /// α·op(A) packed once, all of its K blocks one after another (block b at b·RoundUp(m, mr)·kcMax), exactly as
    /// <see cref="SgemmRegion{TB}"/> would pack them call after call. A convolution's forward runs one small GEMM per
    /// image with the same weights; on 7×7 or 14×14 maps re-packing the weights for every image cost as much as a
    /// sizeable part of the multiply, so the weights are packed once per call and read by every image's GEMM.
    /// </summary>
    internal static void PackWholeA(bool transA, int m, int k, float alpha, float* a, long lda, float* dst)
    {
        int mr = Vector512.IsHardwareAccelerated ? MR : MR8;
        int kBlocks = (k + KC - 1) / KC, kcMax = (k + kBlocks - 1) / kBlocks;
        for (int pc = 0; pc < k; pc += kcMax)
            PackA(transA, a, lda, 0, m, pc, Math.Min(kcMax, k - pc), mr, alpha, dst + (long)(pc / kcMax) * RoundUp(m, mr) * kcMax);
    }

    /// <summary>
    /// Packs α·op(A)[ic..ic+mc, pc..pc+kc] into mr-row panels: panel r holds, for each k, the mr values of rows
    /// r·mr.. (zeros past the last row). op(A)(i, p) is A[i·lda + p], or A[p·lda + i] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(bool transA, float* a, long lda, int ic, int mc, int pc, int kc, int mr, float alpha, float* dst)
    {
        int rem = mc % mr;
        if (rem != 0) new Span<float>(dst + (long)(mc - rem) * kc, kc * mr).Clear();
        if (!transA)
        {
            // A 14-row panel is a 14×kc → kc×14 transpose: done 8 k at a time with two 8×8 register transposes,
            // rows 0–7 and rows 6–13 (the overlap rewrites columns 6 and 7 with equal values), so no row past the
            // panel is ever read. Partial panels and the k tail take the scalar path.
            float** rows = stackalloc float*[MR];
            var va = Vector256.Create(alpha);
            for (int ir = 0; ir < mc; ir += mr)
            {
                int nrows = Math.Min(mr, mc - ir);
                float* d = dst + (long)ir * kc;
                for (int r = 0; r < nrows; r++) rows[r] = a + (ic + ir + r) * lda + pc;
                int p0 = 0;
                if (nrows == MR && mr == MR && Avx.IsSupported)
                {
                    for (; p0 + 8 <= kc; p0 += 8)
                    {
                        Transpose8x8(rows[0] + p0, lda, d + (long)p0 * MR, MR, va);
                        Transpose8x8(rows[6] + p0, lda, d + (long)p0 * MR + 6, MR, va);
                    }
                }
                for (int p = p0; p < kc; p++)
                {
                    float* dd = d + (long)p * mr;
                    for (int r = 0; r < nrows; r++) dd[r] = alpha * rows[r][p];
                }
            }
        }
        else
        {
            // Transposed A: one contiguous run of mc values per k. Walk k outermost so every stored row is read once,
            // sequentially (walking panel by panel would revisit rows lda apart and thrash the cache sets when lda
            // is a power of two).
            var va = Vector256.Create(alpha);
            for (int p = 0; p < kc; p++)
            {
                float* src = a + (pc + p) * lda + ic;
                float* d = dst + (long)p * mr;
                for (int ir = 0; ir < mc; ir += mr, d += (long)mr * kc)
                {
                    int rows = Math.Min(mr, mc - ir);
                    if (rows == 14 && mr == 14 && Vector256.IsHardwareAccelerated)
                    {
                        // 14 = two overlapping 8-wide vectors ([0,8) and [6,14)); the overlap writes equal values.
                        Vector256.Store(va * Vector256.Load(src + ir), d);
                        Vector256.Store(va * Vector256.Load(src + ir + 6), d + 6);
                    }
                    else
                        for (int r = 0; r < rows; r++) d[r] = alpha * src[ir + r];
                }
            }
        }
    }

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] into nr-wide panels: panel j holds, for each k, the nr values of columns
    /// j·nr.. (zeros past the last column). op(B)(p, j) is B[p·ldb + j], or B[j·ldb + p] when transposed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void PackB(bool transB, float* b, long ldb, int pc, int kc, int jc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr)
        {
            int cols = Math.Min(nr, nc - jr);
            float* d = dst + (long)jr * kc;
            if (!transB)
            {
                if (cols == nr && nr == NR && Vector512.IsHardwareAccelerated)
                {
                    float* src = b + pc * ldb + jc + jr;
                    for (int p = 0; p < kc; p++, src += ldb)
                    {
                        Vector512.Store(Vector512.Load(src), d + p * NR);
                        Vector512.Store(Vector512.Load(src + 16), d + p * NR + 16);
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++)
                    {
                        float* src = b + (pc + p) * ldb + jc + jr;
                        float* dd = d + p * nr;
                        int j = 0;
                        for (; j < cols; j++) dd[j] = src[j];
                        for (; j < nr; j++) dd[j] = 0f;
                    }
                }
            }
            else
            {
                int p0 = 0;
                if (cols == nr && Avx.IsSupported)
                {
                    // 8×8 register transposes: 8 stored rows (8 columns of op(B)) × 8 consecutive k become 8 packed
                    // k-rows of 8 columns, with 8 loads and 8 stores instead of 64 scalar moves.
                    for (; p0 + 8 <= kc; p0 += 8)
                        for (int jg = 0; jg < nr; jg += 8)
                            Transpose8x8(b + (jc + jr + jg) * ldb + pc + p0, ldb, d + (long)p0 * nr + jg, nr, Vector256.Create(1f));
                }
                if (p0 < kc)
                {
                    for (int j = 0; j < nr; j++)
                    {
                        if (j < cols)
                        {
                            float* src = b + (jc + jr + j) * ldb + pc;
                            for (int p = p0; p < kc; p++) d[p * nr + j] = src[p];
                        }
                        else
                            for (int p = p0; p < kc; p++) d[p * nr + j] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>dst[k·ldd + i] = scale·src[i·lds + k] for i, k &lt; 8 (AVX unpack/shuffle/permute transpose).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, long lds, float* dst, long ldd, Vector256<float> scale)
    {
        var r0 = scale * Avx.LoadVector256(src); var r1 = scale * Avx.LoadVector256(src + lds);
        var r2 = scale * Avx.LoadVector256(src + 2 * lds); var r3 = scale * Avx.LoadVector256(src + 3 * lds);
        var r4 = scale * Avx.LoadVector256(src + 4 * lds); var r5 = scale * Avx.LoadVector256(src + 5 * lds);
        var r6 = scale * Avx.LoadVector256(src + 6 * lds); var r7 = scale * Avx.LoadVector256(src + 7 * lds);
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }

    // ------------------------------------------------------------------ float32 small-output, long-K path (A·Bᵀ)

    /// <summary>
    /// C = α·A·Bᵀ + β·C for a small C and a long K with both operands K-contiguous (a convolution's weight gradient
    /// with few channels: C is [OutC, C·KH·KW], K is the pixel count). Packing would cost about as much as the
    /// arithmetic here (each packed element feeds only 2mn/(m+n) flops), so this computes the dot products
    /// directly: 4×3 tiles of C held in 12 <c>Vector512</c> accumulators, 7 loads per 12 FMAs, K walked in blocks
    /// of <see cref="NtKBlock"/> so the rows being reused stay in L2. Rows past the edge of C are clamped to the last
    /// row (computed and discarded), so every tile runs the same code.
    /// </summary>
    private static void SmallNT(CpuParallel par, bool parallel, int m, int n, int k, float alpha, float* a, long lda, float* b, long ldb,
        float beta, float* c, long ldc)
    {
        int mTiles = (m + 3) / 4;
        if (parallel && par.Threads > 1 && mTiles > 1 && 2.0 * m * n * k > 4e6)
            SmallNTParallel(par, mTiles, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            for (int ti = 0; ti < mTiles; ti++) SmallNTRows(ti, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    // The lambda lives in its own method: C# allocates a closure object on entry to the method that declares the
    // captured variables, even on a path that never creates the lambda (a convolution's weight gradient calls this
    // once per chunk of rows, ~180 times per layer at 224×224).
    private static void SmallNTParallel(CpuParallel par, int mTiles, int m, int n, int k, float alpha, float* a, long lda, float* b, long ldb,
        float beta, float* c, long ldc)
        => par.For(mTiles, true, ti => SmallNTRows(ti, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc));

    /// <summary>Rows 4·ti .. 4·ti + 3 of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallNTRows(int ti, int m, int n, int k, float alpha, float* a, long lda, float* b, long ldb, float beta, float* c, long ldc)
    {
        int i0 = ti * 4;
        float* part = stackalloc float[12];
        float* acc = stackalloc float[4 * 3];
        for (int j0 = 0; j0 < n; j0 += 3)
        {
            new Span<float>(acc, 12).Clear();
            for (int p0 = 0; p0 < k; p0 += NtKBlock)
            {
                int kb = Math.Min(NtKBlock, k - p0);
                DotTile4x3(a, lda, b, ldb, m, n, i0, j0, p0, kb, part);
                for (int t = 0; t < 12; t++) acc[t] += part[t];
            }
            for (int ii = 0; ii < 4 && i0 + ii < m; ii++)
                for (int jj = 0; jj < 3 && j0 + jj < n; jj++)
                {
                    float* cij = c + (i0 + ii) * ldc + j0 + jj;
                    float v = alpha * acc[ii * 3 + jj];
                    *cij = beta == 0f ? v : v + beta * *cij;
                }
        }
    }

    private const int NtKBlock = 2048;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotTile4x3(float* a, long lda, float* b, long ldb, int m, int n, int i0, int j0, int p0, int kb, float* part)
    {
        float* a0 = a + Math.Min(i0, m - 1) * lda + p0, a1 = a + Math.Min(i0 + 1, m - 1) * lda + p0;
        float* a2 = a + Math.Min(i0 + 2, m - 1) * lda + p0, a3 = a + Math.Min(i0 + 3, m - 1) * lda + p0;
        float* b0 = b + Math.Min(j0, n - 1) * ldb + p0, b1 = b + Math.Min(j0 + 1, n - 1) * ldb + p0, b2 = b + Math.Min(j0 + 2, n - 1) * ldb + p0;
        Vector512<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        int p = 0;
        for (; p + 16 <= kb; p += 16)
        {
            var vb0 = Vector512.Load(b0 + p); var vb1 = Vector512.Load(b1 + p); var vb2 = Vector512.Load(b2 + p);
            var va = Vector512.Load(a0 + p);
            c00 = Vector512.FusedMultiplyAdd(va, vb0, c00); c01 = Vector512.FusedMultiplyAdd(va, vb1, c01); c02 = Vector512.FusedMultiplyAdd(va, vb2, c02);
            va = Vector512.Load(a1 + p);
            c10 = Vector512.FusedMultiplyAdd(va, vb0, c10); c11 = Vector512.FusedMultiplyAdd(va, vb1, c11); c12 = Vector512.FusedMultiplyAdd(va, vb2, c12);
            va = Vector512.Load(a2 + p);
            c20 = Vector512.FusedMultiplyAdd(va, vb0, c20); c21 = Vector512.FusedMultiplyAdd(va, vb1, c21); c22 = Vector512.FusedMultiplyAdd(va, vb2, c22);
            va = Vector512.Load(a3 + p);
            c30 = Vector512.FusedMultiplyAdd(va, vb0, c30); c31 = Vector512.FusedMultiplyAdd(va, vb1, c31); c32 = Vector512.FusedMultiplyAdd(va, vb2, c32);
        }
        part[0] = Vector512.Sum(c00); part[1] = Vector512.Sum(c01); part[2] = Vector512.Sum(c02);
        part[3] = Vector512.Sum(c10); part[4] = Vector512.Sum(c11); part[5] = Vector512.Sum(c12);
        part[6] = Vector512.Sum(c20); part[7] = Vector512.Sum(c21); part[8] = Vector512.Sum(c22);
        part[9] = Vector512.Sum(c30); part[10] = Vector512.Sum(c31); part[11] = Vector512.Sum(c32);
        for (; p < kb; p++)
        {
            float x0 = a0[p], x1 = a1[p], x2 = a2[p], x3 = a3[p], y0 = b0[p], y1 = b1[p], y2 = b2[p];
            part[0] += x0 * y0; part[1] += x0 * y1; part[2] += x0 * y2;
            part[3] += x1 * y0; part[4] += x1 * y1; part[5] += x1 * y2;
            part[6] += x2 * y0; part[7] += x2 * y1; part[8] += x2 * y2;
            part[9] += x3 * y0; part[10] += x3 * y1; part[11] += x3 * y2;
        }
    }

    // ------------------------------------------------------------------ simple path (float64, no-SIMD float32)

    /// <summary>
    /// Row-at-a-time GEMM: C[i,:] = β·C[i,:] + Σ_p (α·op(A)[i,p])·op(B)[p,:], the inner update a vector axpy over a
    /// contiguous row of op(B) (op(B) is first copied row-major when transposed). Exact enough and simple; float64
    /// only serves gradient checks.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SimpleGemm<T>(CpuParallel par, bool parallel, bool transA, bool transB, int m, int n, int k, T alpha,
        T* a, long lda, T* b, long ldb, T beta, T* c, long ldc) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* bp = b;
        long ldbp = ldb;
        if (transB)
        {
            // The calling thread's scratch holds op(B) row-major; the workers only read it.
            bp = Scratch<T>.Aux((long)k * n);
            for (int p = 0; p < k; p++)
                for (int j = 0; j < n; j++) bp[(long)p * n + j] = b[j * ldb + p];
            ldbp = n;
        }
        if (parallel && par.Threads > 1 && 2.0 * m * n * k > 1e6) SimpleGemmParallel(par, transA, m, n, k, alpha, a, lda, bp, ldbp, beta, c, ldc);
        else for (int i = 0; i < m; i++) SimpleGemmRow(i, transA, n, k, alpha, a, lda, bp, ldbp, beta, c, ldc);
    }

    /// <summary>
    /// The rows over the backend's threads. A separate method because C# allocates the lambda's closure on entry to the
    /// method that declares the captured variables, even when the serial path runs (convolutions call this GEMM once per
    /// image or chunk of rows: at the scalar tier that was 16 KB of a training step's allocations).
    /// </summary>
    private static void SimpleGemmParallel<T>(CpuParallel par, bool transA, int m, int n, int k, T alpha,
        T* a, long lda, T* bp, long ldbp, T beta, T* c, long ldc) where T : unmanaged, IFloatingPointIeee754<T> =>
        par.For(m, true, (i) => SimpleGemmRow(i, transA, n, k, alpha, a, lda, bp, ldbp, beta, c, ldc));

    /// <summary>C[i,:] = β·C[i,:] + Σ_p (α·op(A)[i,p])·B[p,:] with B row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SimpleGemmRow<T>(int i, bool transA, int n, int k, T alpha, T* a, long lda, T* bp, long ldbp, T beta, T* c, long ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* crow = c + i * ldc;
        if (beta == T.Zero) new Span<T>(crow, n).Clear();
        else if (beta != T.One) for (int j = 0; j < n; j++) crow[j] *= beta;
        for (int p = 0; p < k; p++)
        {
            T aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
            T* brow = bp + p * ldbp;
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var va = new Vector<T>(aip);
                for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
                    Vector.Store(Vector.Load(crow + j) + va * Vector.Load(brow + j), crow + j);
            }
            for (; j < n; j++) crow[j] += aip * brow[j];
        }
    }

    // ------------------------------------------------------------------ micro-kernels (generated: one line per C row)

    /// <summary>14×32 register block: C[14, 32] = A-panel·B-panel (+ beta·C unless <paramref name="overwrite"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel14x32(int kc, float* a, float* b, float* c, long ldc, float beta, bool overwrite)
    {
        // Start pulling the C tile into L1 now; it is only touched after the k loop, and a cold miss there would stall.
        if (Sse.IsSupported)
            for (int r = 0; r < 14; r++) { Sse.Prefetch0(c + r * ldc); Sse.Prefetch0(c + r * ldc + 16); }
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        Vector512<float> c8_0 = default; Vector512<float> c8_1 = default;
        Vector512<float> c9_0 = default; Vector512<float> c9_1 = default;
        Vector512<float> c10_0 = default; Vector512<float> c10_1 = default;
        Vector512<float> c11_0 = default; Vector512<float> c11_1 = default;
        Vector512<float> c12_0 = default; Vector512<float> c12_1 = default;
        Vector512<float> c13_0 = default; Vector512<float> c13_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            var a8 = Vector512.Create(a[8]); c8_0 = Vector512.FusedMultiplyAdd(a8, b0, c8_0); c8_1 = Vector512.FusedMultiplyAdd(a8, b1, c8_1);
            var a9 = Vector512.Create(a[9]); c9_0 = Vector512.FusedMultiplyAdd(a9, b0, c9_0); c9_1 = Vector512.FusedMultiplyAdd(a9, b1, c9_1);
            var a10 = Vector512.Create(a[10]); c10_0 = Vector512.FusedMultiplyAdd(a10, b0, c10_0); c10_1 = Vector512.FusedMultiplyAdd(a10, b1, c10_1);
            var a11 = Vector512.Create(a[11]); c11_0 = Vector512.FusedMultiplyAdd(a11, b0, c11_0); c11_1 = Vector512.FusedMultiplyAdd(a11, b1, c11_1);
            var a12 = Vector512.Create(a[12]); c12_0 = Vector512.FusedMultiplyAdd(a12, b0, c12_0); c12_1 = Vector512.FusedMultiplyAdd(a12, b1, c12_1);
            var a13 = Vector512.Create(a[13]); c13_0 = Vector512.FusedMultiplyAdd(a13, b0, c13_0); c13_1 = Vector512.FusedMultiplyAdd(a13, b1, c13_1);
            a += 14; b += 32;
        }
        if (overwrite)
        {
            Vector512.Store(c0_0, c + 0 * ldc + 0); Vector512.Store(c0_1, c + 0 * ldc + 16);
            Vector512.Store(c1_0, c + 1 * ldc + 0); Vector512.Store(c1_1, c + 1 * ldc + 16);
            Vector512.Store(c2_0, c + 2 * ldc + 0); Vector512.Store(c2_1, c + 2 * ldc + 16);
            Vector512.Store(c3_0, c + 3 * ldc + 0); Vector512.Store(c3_1, c + 3 * ldc + 16);
            Vector512.Store(c4_0, c + 4 * ldc + 0); Vector512.Store(c4_1, c + 4 * ldc + 16);
            Vector512.Store(c5_0, c + 5 * ldc + 0); Vector512.Store(c5_1, c + 5 * ldc + 16);
            Vector512.Store(c6_0, c + 6 * ldc + 0); Vector512.Store(c6_1, c + 6 * ldc + 16);
            Vector512.Store(c7_0, c + 7 * ldc + 0); Vector512.Store(c7_1, c + 7 * ldc + 16);
            Vector512.Store(c8_0, c + 8 * ldc + 0); Vector512.Store(c8_1, c + 8 * ldc + 16);
            Vector512.Store(c9_0, c + 9 * ldc + 0); Vector512.Store(c9_1, c + 9 * ldc + 16);
            Vector512.Store(c10_0, c + 10 * ldc + 0); Vector512.Store(c10_1, c + 10 * ldc + 16);
            Vector512.Store(c11_0, c + 11 * ldc + 0); Vector512.Store(c11_1, c + 11 * ldc + 16);
            Vector512.Store(c12_0, c + 12 * ldc + 0); Vector512.Store(c12_1, c + 12 * ldc + 16);
            Vector512.Store(c13_0, c + 13 * ldc + 0); Vector512.Store(c13_1, c + 13 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 0), c0_0), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 16), c0_1), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 0), c1_0), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 16), c1_1), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 0), c2_0), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 16), c2_1), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 0), c3_0), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 16), c3_1), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 4 * ldc + 0), c4_0), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 4 * ldc + 16), c4_1), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 5 * ldc + 0), c5_0), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 5 * ldc + 16), c5_1), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 6 * ldc + 0), c6_0), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 6 * ldc + 16), c6_1), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 7 * ldc + 0), c7_0), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 7 * ldc + 16), c7_1), c + 7 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 8 * ldc + 0), c8_0), c + 8 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 8 * ldc + 16), c8_1), c + 8 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 9 * ldc + 0), c9_0), c + 9 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 9 * ldc + 16), c9_1), c + 9 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 10 * ldc + 0), c10_0), c + 10 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 10 * ldc + 16), c10_1), c + 10 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 11 * ldc + 0), c11_0), c + 11 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 11 * ldc + 16), c11_1), c + 11 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 12 * ldc + 0), c12_0), c + 12 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 12 * ldc + 16), c12_1), c + 12 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 13 * ldc + 0), c13_0), c + 13 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 13 * ldc + 16), c13_1), c + 13 * ldc + 16);
        }
    }

    /// <summary>6×16 register block: C[6, 16] = A-panel·B-panel (+ beta·C unless <paramref name="overwrite"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, long ldc, float beta, bool overwrite)
    {
        Vector256<float> c0_0 = default; Vector256<float> c0_1 = default;
        Vector256<float> c1_0 = default; Vector256<float> c1_1 = default;
        Vector256<float> c2_0 = default; Vector256<float> c2_1 = default;
        Vector256<float> c3_0 = default; Vector256<float> c3_1 = default;
        Vector256<float> c4_0 = default; Vector256<float> c4_1 = default;
        Vector256<float> c5_0 = default; Vector256<float> c5_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]); c0_0 = Vector256.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Vector256.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a[1]); c1_0 = Vector256.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Vector256.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector256.Create(a[2]); c2_0 = Vector256.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Vector256.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector256.Create(a[3]); c3_0 = Vector256.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Vector256.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector256.Create(a[4]); c4_0 = Vector256.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Vector256.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector256.Create(a[5]); c5_0 = Vector256.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Vector256.FusedMultiplyAdd(a5, b1, c5_1);
            a += 6; b += 16;
        }
        if (overwrite)
        {
            Vector256.Store(c0_0, c + 0 * ldc + 0); Vector256.Store(c0_1, c + 0 * ldc + 8);
            Vector256.Store(c1_0, c + 1 * ldc + 0); Vector256.Store(c1_1, c + 1 * ldc + 8);
            Vector256.Store(c2_0, c + 2 * ldc + 0); Vector256.Store(c2_1, c + 2 * ldc + 8);
            Vector256.Store(c3_0, c + 3 * ldc + 0); Vector256.Store(c3_1, c + 3 * ldc + 8);
            Vector256.Store(c4_0, c + 4 * ldc + 0); Vector256.Store(c4_1, c + 4 * ldc + 8);
            Vector256.Store(c5_0, c + 5 * ldc + 0); Vector256.Store(c5_1, c + 5 * ldc + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 0 * ldc + 0), c0_0), c + 0 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 0 * ldc + 8), c0_1), c + 0 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 1 * ldc + 0), c1_0), c + 1 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 1 * ldc + 8), c1_1), c + 1 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 2 * ldc + 0), c2_0), c + 2 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 2 * ldc + 8), c2_1), c + 2 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 3 * ldc + 0), c3_0), c + 3 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 3 * ldc + 8), c3_1), c + 3 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 4 * ldc + 0), c4_0), c + 4 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 4 * ldc + 8), c4_1), c + 4 * ldc + 8);
            Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 5 * ldc + 0), c5_0), c + 5 * ldc + 0); Vector256.Store(Vector256.FusedMultiplyAdd(vb, Vector256.Load(c + 5 * ldc + 8), c5_1), c + 5 * ldc + 8);
        }
    }

    /// <summary>8×32 edge block for the last rows of an M not divisible by 14 (A panels keep their 14-float stride): no wasted FMAs on zero rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, long ldc, float beta, bool overwrite)
    {
        // Start pulling the C tile into L1 now; it is only touched after the k loop, and a cold miss there would stall.
        if (Sse.IsSupported)
            for (int r = 0; r < 8; r++) { Sse.Prefetch0(c + r * ldc); Sse.Prefetch0(c + r * ldc + 16); }
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        Vector512<float> c4_0 = default; Vector512<float> c4_1 = default;
        Vector512<float> c5_0 = default; Vector512<float> c5_1 = default;
        Vector512<float> c6_0 = default; Vector512<float> c6_1 = default;
        Vector512<float> c7_0 = default; Vector512<float> c7_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]); c4_0 = Vector512.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Vector512.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]); c5_0 = Vector512.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Vector512.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]); c6_0 = Vector512.FusedMultiplyAdd(a6, b0, c6_0); c6_1 = Vector512.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]); c7_0 = Vector512.FusedMultiplyAdd(a7, b0, c7_0); c7_1 = Vector512.FusedMultiplyAdd(a7, b1, c7_1);
            a += 14; b += 32;
        }
        if (overwrite)
        {
            Vector512.Store(c0_0, c + 0 * ldc + 0); Vector512.Store(c0_1, c + 0 * ldc + 16);
            Vector512.Store(c1_0, c + 1 * ldc + 0); Vector512.Store(c1_1, c + 1 * ldc + 16);
            Vector512.Store(c2_0, c + 2 * ldc + 0); Vector512.Store(c2_1, c + 2 * ldc + 16);
            Vector512.Store(c3_0, c + 3 * ldc + 0); Vector512.Store(c3_1, c + 3 * ldc + 16);
            Vector512.Store(c4_0, c + 4 * ldc + 0); Vector512.Store(c4_1, c + 4 * ldc + 16);
            Vector512.Store(c5_0, c + 5 * ldc + 0); Vector512.Store(c5_1, c + 5 * ldc + 16);
            Vector512.Store(c6_0, c + 6 * ldc + 0); Vector512.Store(c6_1, c + 6 * ldc + 16);
            Vector512.Store(c7_0, c + 7 * ldc + 0); Vector512.Store(c7_1, c + 7 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 0), c0_0), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 16), c0_1), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 0), c1_0), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 16), c1_1), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 0), c2_0), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 16), c2_1), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 0), c3_0), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 16), c3_1), c + 3 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 4 * ldc + 0), c4_0), c + 4 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 4 * ldc + 16), c4_1), c + 4 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 5 * ldc + 0), c5_0), c + 5 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 5 * ldc + 16), c5_1), c + 5 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 6 * ldc + 0), c6_0), c + 6 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 6 * ldc + 16), c6_1), c + 6 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 7 * ldc + 0), c7_0), c + 7 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 7 * ldc + 16), c7_1), c + 7 * ldc + 16);
        }
    }

    /// <summary>
    /// 2×32 edge block (A panels keep their 14-float stride), straight into C: without it the 2 rows left over by
    /// M = 16 ran the 4-row kernel into a stack tile and were copied out scalar by scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel2x32(int kc, float* a, float* b, float* c, long ldc, float beta, bool overwrite)
    {
        if (Sse.IsSupported)
            for (int r = 0; r < 2; r++) { Sse.Prefetch0(c + r * ldc); Sse.Prefetch0(c + r * ldc + 16); }
        Vector512<float> c0_0 = default, c0_1 = default, c1_0 = default, c1_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            a += 14; b += 32;
        }
        if (overwrite)
        {
            Vector512.Store(c0_0, c + 0 * ldc + 0); Vector512.Store(c0_1, c + 0 * ldc + 16);
            Vector512.Store(c1_0, c + 1 * ldc + 0); Vector512.Store(c1_1, c + 1 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 0), c0_0), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 16), c0_1), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 0), c1_0), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 16), c1_1), c + 1 * ldc + 16);
        }
    }

    /// <summary>4×32 edge block (A panels keep their 14-float stride); see <see cref="Kernel8x32"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x32(int kc, float* a, float* b, float* c, long ldc, float beta, bool overwrite)
    {
        if (Sse.IsSupported)
            for (int r = 0; r < 4; r++) { Sse.Prefetch0(c + r * ldc); Sse.Prefetch0(c + r * ldc + 16); }
        Vector512<float> c0_0 = default; Vector512<float> c0_1 = default;
        Vector512<float> c1_0 = default; Vector512<float> c1_1 = default;
        Vector512<float> c2_0 = default; Vector512<float> c2_1 = default;
        Vector512<float> c3_0 = default; Vector512<float> c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]); c0_0 = Vector512.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Vector512.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]); c1_0 = Vector512.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Vector512.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]); c2_0 = Vector512.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Vector512.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]); c3_0 = Vector512.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Vector512.FusedMultiplyAdd(a3, b1, c3_1);
            a += 14; b += 32;
        }
        if (overwrite)
        {
            Vector512.Store(c0_0, c + 0 * ldc + 0); Vector512.Store(c0_1, c + 0 * ldc + 16);
            Vector512.Store(c1_0, c + 1 * ldc + 0); Vector512.Store(c1_1, c + 1 * ldc + 16);
            Vector512.Store(c2_0, c + 2 * ldc + 0); Vector512.Store(c2_1, c + 2 * ldc + 16);
            Vector512.Store(c3_0, c + 3 * ldc + 0); Vector512.Store(c3_1, c + 3 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 0), c0_0), c + 0 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 0 * ldc + 16), c0_1), c + 0 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 0), c1_0), c + 1 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 1 * ldc + 16), c1_1), c + 1 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 0), c2_0), c + 2 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 2 * ldc + 16), c2_1), c + 2 * ldc + 16);
            Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 0), c3_0), c + 3 * ldc + 0); Vector512.Store(Vector512.FusedMultiplyAdd(vb, Vector512.Load(c + 3 * ldc + 16), c3_1), c + 3 * ldc + 16);
        }
    }
}
