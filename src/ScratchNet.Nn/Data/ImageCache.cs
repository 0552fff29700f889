using System.Collections.Concurrent;

namespace ScratchNet.Nn.Data;

/// <summary>
/// Decoded, resized RGB images (3·W·H bytes each) kept in memory, keyed by path and size, so every epoch after the
/// first decodes nothing: decoding a JPEG costs far more than a training step's share of the image. Thread-safe.
/// </summary>
/// <remarks>
/// With a capacity, images are cached until the next one would exceed it; after that, images not yet cached are
/// decoded on every request and not stored (no eviction: with a uniformly shuffled dataset LRU would evict exactly
/// what the next epoch needs, so a stable cached subset is the better use of the memory). Failures are not cached
/// here; <see cref="DataLoader"/> remembers them. Two threads asking for the same uncached image at once may both
/// decode it; only one copy is kept.
/// </remarks>
public sealed class ImageCache
{
    private readonly ConcurrentDictionary<(string Path, int Width, int Height), byte[]> entries = new();
    private long cachedBytes;
    private long decodes;
    private long hits;

    /// <summary>Creates a cache holding at most <paramref name="capacityBytes"/> bytes of pixels (default: unbounded).</summary>
    public ImageCache(long capacityBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    /// <summary>The byte budget for cached pixels.</summary>
    public long CapacityBytes { get; }

    /// <summary>Bytes of pixels currently cached.</summary>
    public long CachedBytes => Interlocked.Read(ref cachedBytes);

    /// <summary>Number of cached images.</summary>
    public int Count => entries.Count;

    /// <summary>How many decodes this cache has performed (a test for "epoch 2 decodes nothing" reads this).</summary>
    public long Decodes => Interlocked.Read(ref decodes);

    /// <summary>How many requests were answered from memory.</summary>
    public long Hits => Interlocked.Read(ref hits);

    /// <summary>
    /// The RGB bytes of <paramref name="path"/> at <paramref name="width"/>×<paramref name="height"/>, decoding on a
    /// miss. The returned array is shared: callers must not modify it. Throws <see cref="ImageDecodeException"/>.
    /// </summary>
    public byte[] GetOrDecode(string path, int width, int height)
    {
        var key = (path, width, height);
        if (entries.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref hits);
            return cached;
        }
        var rgb = ImageDecoder.DecodeRgb(path, width, height);
        Interlocked.Increment(ref decodes);
        if (TryReserve(rgb.Length))
        {
            if (!entries.TryAdd(key, rgb))
            {
                Interlocked.Add(ref cachedBytes, -rgb.Length);
                return entries[key];
            }
        }
        return rgb;
    }

    /// <summary>True when the image is cached (no decode happens).</summary>
    public bool Contains(string path, int width, int height) => entries.ContainsKey((path, width, height));

    /// <summary>Drops every cached image (counters are kept).</summary>
    public void Clear()
    {
        foreach (var key in entries.Keys)
            if (entries.TryRemove(key, out var v))
                Interlocked.Add(ref cachedBytes, -v.Length);
    }

    private bool TryReserve(long bytes)
    {
        while (true)
        {
            long now = Interlocked.Read(ref cachedBytes);
            if (now + bytes > CapacityBytes)
                return false;
            if (Interlocked.CompareExchange(ref cachedBytes, now + bytes, now) == now)
                return true;
        }
    }
}
