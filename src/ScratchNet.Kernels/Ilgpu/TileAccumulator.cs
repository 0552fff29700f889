using System.Numerics;
using ILGPU;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The shared-memory tiling used by the tiled GEMM and the implicit-GEMM convolutions on GPUs.
/// </summary>
/// <remarks>
/// A group of 16×16 = 256 threads computes a 64×64 block of C. Per step it stages a 64×16 slice of A and a
/// 16×64 slice of B in shared memory (each thread loads 4 elements of each), then every thread accumulates a
/// 4×4 register block: rows <c>ty + 16·r</c>, columns <c>tx + 16·c</c>. Strided (not contiguous) rows and
/// columns keep a warp's shared-memory reads on distinct banks (consecutive tx read consecutive B columns) and
/// its global stores coalesced. Each shared value is reused 4 times from registers, so one step does 16 FMAs per
/// 8 shared loads per thread instead of 1 per 2.
/// </remarks>
internal struct TileAccumulator<T> where T : unmanaged, INumber<T>
{
    /// <summary>Rows of C per group.</summary>
    public const int BM = 64;
    /// <summary>Columns of C per group.</summary>
    public const int BN = 64;
    /// <summary>Depth of one shared-memory step.</summary>
    public const int BK = 16;
    /// <summary>Threads along each group dimension (16×16).</summary>
    public const int Threads = 16;

    T c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;

    /// <summary>
    /// Accumulates one BK step: <c>acc[r][c] += Σ_kk As[kk][ty + 16r]·Bs[kk][tx + 16c]</c>; As is stored
    /// k-major (<c>As[kk·BM + row]</c>), Bs too (<c>Bs[kk·BN + col]</c>).
    /// </summary>
    public void MultiplyTile(ArrayView<T> As, ArrayView<T> Bs, int tx, int ty)
    {
        for (int kk = 0; kk < BK; kk++)
        {
            int ab = kk * BM + ty;
            int bb = kk * BN + tx;
            T a0 = As[ab], a1 = As[ab + 16], a2 = As[ab + 32], a3 = As[ab + 48];
            T b0 = Bs[bb], b1 = Bs[bb + 16], b2 = Bs[bb + 32], b3 = Bs[bb + 48];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
    }

    /// <summary>The accumulator for row block r and column block c (0..3); used once per element at the end.</summary>
    public readonly T Get(int r, int c)
    {
        int i = r * 4 + c;
        return i switch
        {
            0 => c00, 1 => c01, 2 => c02, 3 => c03,
            4 => c10, 5 => c11, 6 => c12, 7 => c13,
            8 => c20, 9 => c21, 10 => c22, 11 => c23,
            12 => c30, 13 => c31, 14 => c32, _ => c33,
        };
    }
}
