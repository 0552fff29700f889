namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Small deterministic random generator (SplitMix64). Every image gets its own instance seeded from
/// (dataset seed, stream, index) through <see cref="Derive"/>, so the pixels never depend on which
/// thread rendered them or in which order — the dataset is byte-identical for a seed.
/// </summary>
/// <remarks>
/// SplitMix64 is chosen because it is tiny, passes BigCrush, and its output function is also a good
/// 64-bit hash, which is what deriving independent per-image streams needs. System.Random is avoided
/// so the sequence is defined by this file, not by a runtime version.
/// </remarks>
internal struct SkyRandom
{
    private ulong _state;

    public SkyRandom(ulong seed) => _state = seed;

    /// <summary>A generator for item <paramref name="index"/> of stream <paramref name="stream"/> under <paramref name="seed"/>.</summary>
    public static SkyRandom Derive(long seed, ulong stream, long index) =>
        new(Hash(Hash(Hash((ulong)seed) ^ (stream * 0x9E3779B97F4A7C15UL)) ^ (ulong)index));

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    public static ulong Hash(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        ulong z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    public double Uniform(double lo, double hi) => lo + (hi - lo) * NextDouble();

    /// <summary>Uniform integer in [lo, hi).</summary>
    public int Int(int lo, int hi) => lo + (int)(NextDouble() * (hi - lo));

    public bool Chance(double p) => NextDouble() < p;

    /// <summary>Standard normal by Box–Muller (one value per call; the pair's second half is dropped for simplicity).</summary>
    public double Normal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A 32-bit seed for the hash-based noise functions.</summary>
    public uint NextSeed() => (uint)(NextULong() >> 32);

    /// <summary>Index drawn with probability proportional to <paramref name="weights"/>.</summary>
    public int Pick(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (var w in weights) total += w;
        double r = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            r -= weights[i];
            if (r < 0) return i;
        }
        return weights.Length - 1;
    }
}
