using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Inverted dropout with the counter-based <see cref="DropoutRng"/>, so masks match the CPU backend bit for bit.</summary>
internal static class DropoutKernels
{
    /// <summary>
    /// <c>mask[i] = DropoutRng.Keep(seed, i, p) ? 1/(1−p) : 0</c>, <c>y[i] = x[i]·mask[i]</c>. The backward is
    /// <c>dx = dy·mask</c> (a broadcast Mul), so it has no kernel of its own. <paramref name="scale"/> is 1/(1−p)
    /// computed on the host in double and rounded once, as the CPU backend does.
    /// </summary>
    public static void DropoutForward<T, R>(ArrayView<T> x, ArrayView<T> mask, ArrayView<T> y, long n, double p, ulong seed, T scale)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T m = DropoutRng.Keep(seed, i, p) ? scale : T.Zero;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }
}
