using System.Collections.Concurrent;
using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// One backend per device name for the whole test run: creating an ILGPU context (and loading its kernels)
/// is slow, so every kernel test shares it; the fixture disposes what it created when the run ends.
/// A backend whose creation throws keeps throwing the same exception (Lazy caches it), so every test of that
/// backend fails with the real cause rather than hanging or retrying.
/// </summary>
public sealed class KernelBackendFixture : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IBackend>> _backends = new();

    /// <summary>The shared backend for <paramref name="name"/> (<c>cpu</c>, <c>ilgpu-cpu</c>).</summary>
    public IBackend Get(string name) =>
        _backends.GetOrAdd(name, n => new Lazy<IBackend>(() => n == "reference" ? new HostReferenceBackend() : Backends.Create(n), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    /// <summary>A harness for one test: the shared backend, a dtype and a seeded RNG; dispose it to free its buffers.</summary>
    public KernelHarness Harness(string backend, DType dtype, int seed) => new(Get(backend), backend, dtype, seed);

    public void Dispose()
    {
        foreach (var lazy in _backends.Values)
        {
            if (!lazy.IsValueCreated) continue;
            lazy.Value.Dispose();
        }
        _backends.Clear();
    }
}

/// <summary>
/// Every kernel test class belongs to this collection: they share <see cref="KernelBackendFixture"/> and run
/// one after another (a backend instance is not required to be used from two threads at once).
/// </summary>
[CollectionDefinition(Name)]
public sealed class KernelCollection : ICollectionFixture<KernelBackendFixture>
{
    public const string Name = "Kernels";
}
