using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// A <see cref="DeviceBuffer"/> in host memory: a managed <c>float[]</c>, <c>double[]</c> or <c>int[]</c>.
/// </summary>
/// <remarks>
/// The array is allocated uninitialised on the pinned object heap, so it never moves: kernels take a raw pointer
/// once (no <c>fixed</c> per call, no GC handle) and can hand it to worker threads. Uninitialised is allowed by the
/// contract ("contents are unspecified") and saves a memset of every fresh activation.
/// </remarks>
public sealed unsafe class CpuBuffer : DeviceBuffer
{
    private Array _data;
    private readonly nint _ptr;

    internal CpuBuffer(IBackend backend, DType dtype, long length) : base(backend, dtype, length)
    {
        if (length < 0 || length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length), length, $"cpu: cannot allocate {length} elements of {dtype.Name()}");
        int len = (int)length;
        switch (dtype)
        {
            case DType.Float32:
                var f = GC.AllocateUninitializedArray<float>(len, pinned: true);
                _data = f;
                _ptr = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(f));
                break;
            case DType.Float64:
                var d = GC.AllocateUninitializedArray<double>(len, pinned: true);
                _data = d;
                _ptr = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(d));
                break;
            case DType.Int32:
                var i = GC.AllocateUninitializedArray<int>(len, pinned: true);
                _data = i;
                _ptr = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(i));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "cpu: unknown dtype");
        }
    }

    /// <summary>The backing array (float[], double[] or int[]).</summary>
    public Array Data => _data;

    /// <summary>The elements as a span; <typeparamref name="T"/> must match <see cref="DeviceBuffer.DType"/>.</summary>
    public Span<T> AsSpan<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new ArgumentException($"cpu: buffer holds {DType.Name()}, not {typeof(T).Name}");
        return new Span<T>((void*)_ptr, (int)Length);
    }

    /// <summary>Pointer to element 0; valid while the buffer is alive (the array is pinned).</summary>
    internal T* Ptr<T>() where T : unmanaged => (T*)_ptr;

    /// <inheritdoc/>
    protected override void Release()
    {
        // Drop the reference; the GC reclaims the pinned array. Kernels never see a disposed buffer
        // (the Tensors layer owns lifetimes), so no pointer outlives this.
        _data = Array.Empty<byte>();
    }
}
