namespace ScratchNet.Nn.Data;

/// <summary>
/// Derives independent RNG seeds from tuples such as (seed, epoch) or (seed, epoch, sample): SplitMix64's finaliser
/// over the parts. Seeding <see cref="Random"/> with <c>seed + epoch</c> would make neighbouring runs share streams;
/// hashing keeps them unrelated while staying a pure function, which exact resume needs.
/// </summary>
internal static class SeedMix
{
    public static int Mix(long a, long b = 0, long c = 0)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        h = Step(h ^ (ulong)a);
        h = Step(h ^ (ulong)b);
        h = Step(h ^ (ulong)c);
        return (int)(h & 0x7FFFFFFF);
    }

    private static ulong Step(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Fisher–Yates shuffle with <see cref="Random"/>(seed) — System.Random's seeded generator is stable across .NET versions.</summary>
    public static void Shuffle<T>(T[] items, int seed)
    {
        var rng = new Random(seed);
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
