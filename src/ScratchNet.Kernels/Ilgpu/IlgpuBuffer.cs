using ILGPU;
using ILGPU.Runtime;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// A device buffer of an <see cref="IlgpuBackend"/>: one <c>MemoryBuffer1D&lt;float|double|int, Stride1D.Dense&gt;</c>.
/// Kernels receive <see cref="View{T}"/>, the whole allocation; sizes always come from the op's arguments.
/// </summary>
public sealed class IlgpuBuffer : DeviceBuffer
{
    private readonly MemoryBuffer _buffer;
    private readonly Accelerator _accelerator;

    internal IlgpuBuffer(IlgpuBackend backend, Accelerator accelerator, DType dtype, long length)
        : base(backend, dtype, length)
    {
        _accelerator = accelerator;
        // ILGPU cannot allocate 0 elements on every target; keep at least one so views stay valid.
        long n = Math.Max(1, length);
        _buffer = dtype switch
        {
            DType.Float32 => accelerator.Allocate1D<float>(n),
            DType.Float64 => accelerator.Allocate1D<double>(n),
            DType.Int32 => accelerator.Allocate1D<int>(n),
            _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
        };
    }

    /// <summary>The allocation as a contiguous view of <typeparamref name="T"/>; T must match <see cref="DeviceBuffer.DType"/>.</summary>
    internal ArrayView<T> View<T>() where T : unmanaged
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(IlgpuBuffer), "the ILGPU buffer was disposed");
        if (DTypeExtensions.Of<T>() != DType)
            throw new ArgumentException($"buffer holds {DType.Name()}, but {DTypeExtensions.Of<T>().Name()} was requested");
        return _buffer.AsArrayView<T>(0, Math.Max(1, Length));
    }

    /// <inheritdoc/>
    protected override void Release()
    {
        // Kernels already launched may still read or write this memory; wait for them before freeing it (CUDA's
        // cudaFree does the same). The caching allocator makes frees rare, so this costs little.
        _accelerator.Synchronize();
        _buffer.Dispose();
    }
}
