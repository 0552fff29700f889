using System.Numerics;
using ILGPU;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Shared-memory tree reductions for explicitly grouped kernels of 256 threads.</summary>
internal static class GroupReduce
{
    /// <summary>
    /// Returns, to every thread of the group, the sum of <paramref name="value"/> over the group's 256 threads.
    /// Classic tree: each step halves the active threads, with a barrier between steps; the trailing barrier
    /// lets the caller reuse <paramref name="scratch"/> right away. Every thread of the group must call it.
    /// </summary>
    internal static T Sum<T>(ArrayView<T> scratch, int tid, T value) where T : unmanaged, INumber<T>
    {
        scratch[tid] = value;
        Group.Barrier();
        for (int s = ElementwiseKernels.ReduceGroupSize / 2; s > 0; s >>= 1)
        {
            if (tid < s) scratch[tid] += scratch[tid + s];
            Group.Barrier();
        }
        T total = scratch[0];
        Group.Barrier();
        return total;
    }
}
