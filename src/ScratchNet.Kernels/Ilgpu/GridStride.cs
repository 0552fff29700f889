using ILGPU;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// The grid-stride loop shared by every "simple" kernel: thread g of a 1-D grid handles elements
/// g, g + S, g + 2S, … where S is the number of threads in the grid.
/// </summary>
/// <remarks>
/// Read <see cref="Grid"/> and <see cref="Group"/> once, outside the loop: on ILGPU's CPU simulator those
/// properties are thread-context lookups, and reading them every iteration makes a kernel ~100× slower.
/// </remarks>
internal static class GridStride
{
    /// <summary>This thread's first element.</summary>
    internal static long Start() => Grid.GlobalLinearIndex;

    /// <summary>Threads in the whole 1-D grid.</summary>
    internal static long Step() => (long)Grid.DimX * Group.DimX;
}
