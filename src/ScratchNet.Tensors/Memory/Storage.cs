using ScratchNet.Kernels;

namespace ScratchNet.Tensors.Memory;

/// <summary>
/// A reference-counted device buffer shared by a tensor and its views (reshape, flatten, the copies autograd
/// saves for backward). The last release hands the buffer back to the device's caching allocator.
/// </summary>
public sealed class Storage
{
    private int refCount = 1;

    internal Storage(Device device, DeviceBuffer buffer, long count)
    {
        Device = device;
        Buffer = buffer;
        Count = count;
    }

    /// <summary>The device that owns the buffer.</summary>
    public Device Device { get; }

    /// <summary>The backend buffer (may be larger than <see cref="Count"/>).</summary>
    public DeviceBuffer Buffer { get; }

    /// <summary>Elements in use.</summary>
    public long Count { get; }

    /// <summary>True once the last reference is gone.</summary>
    public bool IsReleased => Volatile.Read(ref refCount) <= 0;

    internal void AddRef()
    {
        if (Interlocked.Increment(ref refCount) <= 1)
            throw new ObjectDisposedException(nameof(Storage), "the tensor's memory was already released");
    }

    internal void Release()
    {
        int left = Interlocked.Decrement(ref refCount);
        if (left == 0) Device.Allocator.Return(Buffer);
    }
}
