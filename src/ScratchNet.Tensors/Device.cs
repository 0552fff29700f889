using System.Collections.Concurrent;
using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu.Simd;
using ScratchNet.Tensors.Memory;

namespace ScratchNet.Tensors;

/// <summary>
/// Where tensors live and which kernels run on them: a backend plus its caching allocator.
/// PyTorch's twin: <c>torch.device</c>. Names: <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>,
/// <c>auto</c> (a CUDA GPU, else an OpenCL GPU, else <c>cpu</c>). One instance per name per process (the CPU one per SIMD tier).
/// </summary>
public sealed class Device
{
    private static readonly ConcurrentDictionary<string, Lazy<Device>> Cache = new();

    private Device(IBackend backend)
    {
        Backend = backend;
        Allocator = new CachingAllocator(backend);
    }

    /// <summary>The kernels.</summary>
    public IBackend Backend { get; }

    /// <summary>The buffer cache.</summary>
    public CachingAllocator Allocator { get; }

    /// <summary>The backend's short name (<c>cpu</c>, <c>cuda</c>, …).</summary>
    public string Name => Backend.Name;

    /// <summary>The SIMD CPU backend, always present.</summary>
    public static Device Cpu => Get("cpu");

    /// <summary>
    /// The device named <paramref name="name"/>, created on first use. Throws
    /// <see cref="DeviceNotAvailableException"/> when it is not on this machine and <see cref="ArgumentException"/>
    /// for an unknown name.
    /// </summary>
    public static Device Get(string name)
    {
        // The CPU device is cached per SIMD tier: SCRATCHNET_SIMD (set by --simd inside a host process) must not hand
        // a later caller the backend of another tier.
        static string CacheKey(string backend) => backend == "cpu" ? $"cpu/{SimdTiers.Name(SimdTiers.Default)}" : backend;
        string key = name.Trim().ToLowerInvariant();
        if (key == "auto")
        {
            // Resolve once, then share the instance under its real name.
            var backend = Backends.Create("auto");
            var resolved = Cache.GetOrAdd(CacheKey(backend.Name), _ => new Lazy<Device>(() => new Device(backend))).Value;
            if (!ReferenceEquals(resolved.Backend, backend)) backend.Dispose();
            return resolved;
        }
        var lazy = Cache.GetOrAdd(CacheKey(key), _ => new Lazy<Device>(() => new Device(Backends.Create(key))));
        try
        {
            return lazy.Value;
        }
        catch
        {
            Cache.TryRemove(CacheKey(key), out _); // a failed creation must not poison later attempts
            throw;
        }
    }

    /// <summary>
    /// A device over a backend the caller configured (e.g. <c>new CpuBackend(threads: 1)</c> for a benchmark).
    /// Not shared through <see cref="Get"/>; the caller disposes the backend when done.
    /// </summary>
    public static Device FromBackend(IBackend backend) => new(backend);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
