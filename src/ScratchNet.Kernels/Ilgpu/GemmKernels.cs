using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// Row-major GEMM <c>C = α·op(A)·op(B) + β·C</c> (C is [M, N], op(A) [M, K], op(B) [K, N]). Two variants:
/// a grid-stride kernel (one thread per C element, its own dot product over K: what the CPU simulator runs)
/// and a shared-memory tiled kernel with 4×4 register blocking (what GPUs run; see <see cref="TileAccumulator{T}"/>).
/// </summary>
internal static class GemmKernels
{
    /// <summary>
    /// Simple GEMM, one thread per C element: <c>C[i,j] = α·Σ_p op(A)[i,p]·op(B)[p,j] + β·C[i,j]</c>, where
    /// <c>op(A)[i,p] = transA ? A[p·M + i] : A[i·K + p]</c> and <c>op(B)[p,j] = transB ? B[j·K + p] : B[p·N + j]</c>.
    /// β = 0 overwrites C without reading it (so old NaNs do not leak).
    /// </summary>
    public static void GemmSimple<T, R>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, int m, int n, int k,
        int transA, int transB, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)m * n;
        long strideAi = transA != 0 ? 1 : k, strideAp = transA != 0 ? m : 1;
        long strideBp = transB != 0 ? 1 : n, strideBj = transB != 0 ? k : 1;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            long i = idx / n, j = idx - i * n;
            long ai = i * strideAi, bj = j * strideBj;
            T sum = T.Zero;
            for (int p = 0; p < k; p++) sum += a[ai + p * strideAp] * b[p * strideBp + bj];
            c[idx] = beta == T.Zero ? alpha * sum : alpha * sum + beta * c[idx];
        }
    }

    /// <summary>
    /// Tiled GEMM for GPUs: group (bx, by) of 16×16 threads computes <c>C[by·64 .. +64, bx·64 .. +64]</c>, staging
    /// 64×16 tiles of op(A) and 16×64 tiles of op(B) in shared memory (zero-filled past the matrix edges) and
    /// accumulating 4×4 per thread in registers. Launch with grid (⌈N/64⌉, ⌈M/64⌉) and groups (16, 16).
    /// Tile loads follow the stored layout so that consecutive threads read consecutive addresses.
    /// </summary>
    public static void GemmTiled<T, R>(ArrayView<T> a, ArrayView<T> b, ArrayView<T> c, int m, int n, int k,
        int transA, int transB, T alpha, T beta)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        const int BM = TileAccumulator<T>.BM, BN = TileAccumulator<T>.BN, BK = TileAccumulator<T>.BK;
        var As = SharedMemory.Allocate<T>(BK * BM);
        var Bs = SharedMemory.Allocate<T>(BK * BN);
        int tx = Group.IdxX, ty = Group.IdxY;
        int tid = ty * TileAccumulator<T>.Threads + tx;
        int row0 = Grid.IdxY * BM, col0 = Grid.IdxX * BN;
        var acc = new TileAccumulator<T>();
        for (int k0 = 0; k0 < k; k0 += BK)
        {
            for (int l = 0; l < 4; l++)
            {
                int e = tid + l * 256;
                // A tile: stored [M, K] → contiguous along k; stored [K, M] (transA) → contiguous along m.
                int r, kk;
                if (transA != 0) { r = e % BM; kk = e / BM; }
                else { kk = e % BK; r = e / BK; }
                int gr = row0 + r, gk = k0 + kk;
                As[kk * BM + r] = gr < m && gk < k ? a[transA != 0 ? (long)gk * m + gr : (long)gr * k + gk] : T.Zero;
                // B tile: stored [K, N] → contiguous along n; stored [N, K] (transB) → contiguous along k.
                int col;
                if (transB != 0) { kk = e % BK; col = e / BK; }
                else { col = e % BN; kk = e / BN; }
                int gc = col0 + col;
                gk = k0 + kk;
                Bs[kk * BN + col] = gc < n && gk < k ? b[transB != 0 ? (long)gc * k + gk : (long)gk * n + gc] : T.Zero;
            }
            Group.Barrier();
            acc.MultiplyTile(As, Bs, tx, ty);
            Group.Barrier();
        }
        bool betaZero = beta == T.Zero;
        for (int rr = 0; rr < 4; rr++)
        {
            int gr = row0 + ty + 16 * rr;
            if (gr >= m) continue;
            for (int cc = 0; cc < 4; cc++)
            {
                int gc = col0 + tx + 16 * cc;
                if (gc >= n) continue;
                long o = (long)gr * n + gc;
                T v = alpha * acc.Get(rr, cc);
                c[o] = betaZero ? v : v + beta * c[o];
            }
        }
    }
}
