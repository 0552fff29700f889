using ScratchNet.Kernels;

namespace ScratchNet.Tensors.Memory;

/// <summary>
/// Reuses device buffers so a steady-state training step asks the backend for no new memory
/// (PyTorch's CUDA caching allocator idea). Freed buffers go to a free list keyed by (dtype, size class)
/// and the next request of that class takes one back.
/// </summary>
/// <remarks>
/// Size classes: powers of two up to 1 Mi elements, then steps of 1/8 of the power of two below (so at most
/// 12.5 % is wasted on a large activation). Kernels never read <see cref="DeviceBuffer.Length"/>, so a
/// rounded-up buffer is safe. Thread-safe: data-loader threads may free tensors while the trainer allocates.
/// </remarks>
public sealed class CachingAllocator : IDisposable
{
    private readonly IBackend backend;
    private readonly Dictionary<(DType, long), Stack<DeviceBuffer>> free = new();
    private readonly object gate = new();
    private bool disposed;

    /// <summary>Creates an allocator over <paramref name="backend"/>.</summary>
    public CachingAllocator(IBackend backend) => this.backend = backend;

    /// <summary>Buffers the backend has allocated through this allocator (a steady state stops increasing it).</summary>
    public long BackendAllocations { get; private set; }

    /// <summary>Bytes currently held from the backend (in use plus cached).</summary>
    public long BytesReserved { get; private set; }

    /// <summary>Requests served from the cache.</summary>
    public long CacheHits { get; private set; }

    /// <summary>The size class <paramref name="length"/> is rounded up to.</summary>
    public static long SizeClass(long length)
    {
        if (length <= 64) return 64;
        long pow = (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)length);
        if (pow <= 1L << 20) return pow;
        long step = pow / 16; // the power of two below, in eighths
        return (length + step - 1) / step * step;
    }

    /// <summary>A buffer of at least <paramref name="length"/> elements (contents unspecified).</summary>
    public DeviceBuffer Rent(DType dtype, long length)
    {
        long size = SizeClass(length);
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (free.TryGetValue((dtype, size), out var stack) && stack.Count > 0)
            {
                CacheHits++;
                return stack.Pop();
            }
            BackendAllocations++;
            BytesReserved += size * dtype.SizeOf();
        }
        return backend.Allocate(dtype, size);
    }

    /// <summary>Takes a buffer back for reuse.</summary>
    public void Return(DeviceBuffer buffer)
    {
        lock (gate)
        {
            if (disposed) { buffer.Dispose(); return; }
            var key = (buffer.DType, buffer.Length);
            if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<DeviceBuffer>();
            stack.Push(buffer);
        }
    }

    /// <summary>Gives every cached (unused) buffer back to the backend.</summary>
    public void EmptyCache()
    {
        lock (gate)
        {
            foreach (var stack in free.Values)
                while (stack.Count > 0)
                {
                    var b = stack.Pop();
                    BytesReserved -= b.Length * b.DType.SizeOf();
                    b.Dispose();
                }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        EmptyCache();
        lock (gate) disposed = true;
    }
}
