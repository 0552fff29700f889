using System.Runtime.CompilerServices;
using System.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Inverted dropout: <c>mask[i] = DropoutRng.Keep(seed, i, p) ? 1/(1−p) : 0</c>, <c>y[i] = x[i]·mask[i]</c>.
/// The mask depends only on (seed, i) — a counter-based RNG — so ranges can run on any thread in any order and
/// the result equals the GPU backend's bit for bit.
/// </summary>
internal static unsafe class DropoutKernels
{
    public static void Forward<T>(CpuParallel par, T* x, T* mask, T* y, long n, double p, ulong seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // p = 1 drops everything; the scale is then never used (Keep is always false), so avoid an infinity.
        T scale = p < 1.0 ? T.CreateTruncating(1.0 / (1.0 - p)) : T.Zero;
        par.ForRanges(n, 8192, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                T mk = DropoutRng.Keep(seed, i, p) ? scale : T.Zero;
                mask[i] = mk;
                y[i] = x[i] * mk;
            }
        });
    }
}
