using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// A comparison tolerance: |actual − expected| ≤ Abs + Rel·|expected|. The factories encode how much each
/// class of op may differ from the float64 reference in each dtype.
/// </summary>
public readonly record struct Tol(double Abs, double Rel)
{
    /// <summary>Bit-exact: copies, fills, masks, ReLU.</summary>
    public static readonly Tol Exact = new(0, 0);

    /// <summary>A few correctly rounded operations per element (add, mul, div, exp, sqrt).</summary>
    public static Tol Elementwise(DType d) => d == DType.Float64 ? new(1e-12, 1e-10) : new(1e-5, 1e-4);

    /// <summary>Ops built on a series or approximation (erf in GELU): float32 erf is only good to ~1.5e-7 absolute.</summary>
    public static Tol Series(DType d) => d == DType.Float64 ? new(1e-12, 1e-9) : new(2e-5, 2e-4);

    /// <summary>
    /// Reductions of <paramref name="k"/> terms of magnitude ~1 (GEMM, conv, sums, batch-norm statistics):
    /// the absolute part grows with k to allow for any summation order (blocked, tree, parallel).
    /// </summary>
    public static Tol Reduction(DType d, long k) => d == DType.Float64
        ? new(1e-12 + 1e-14 * k, 1e-10)
        : new(1e-5 * (1 + Math.Sqrt(k)) + 2e-7 * k, 1e-4);

    public override string ToString() => $"{Abs:G3} + {Rel:G3}·|expected|";
}
