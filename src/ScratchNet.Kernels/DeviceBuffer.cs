namespace ScratchNet.Kernels;

/// <summary>
/// A flat block of device memory owned by one <see cref="IBackend"/>. It knows only its dtype and capacity:
/// shapes, views and lifetimes belong to the Tensors layer.
/// </summary>
/// <remarks>
/// A buffer may be larger than the tensor that uses it (the caching allocator rounds sizes up), so every
/// kernel takes its element counts from its size arguments, never from <see cref="Length"/>.
/// </remarks>
public abstract class DeviceBuffer : IDisposable
{
    /// <summary>Creates the bookkeeping part of a buffer.</summary>
    protected DeviceBuffer(IBackend backend, DType dtype, long length)
    {
        Backend = backend;
        DType = dtype;
        Length = length;
    }

    /// <summary>The backend whose kernels can read and write this buffer.</summary>
    public IBackend Backend { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Capacity in elements.</summary>
    public long Length { get; }

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>Releases the device memory.</summary>
    public void Dispose()
    {
        if (IsDisposed) return;
        IsDisposed = true;
        Release();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the backend's memory; called once.</summary>
    protected abstract void Release();
}
