namespace ScratchNet.Kernels;

/// <summary>
/// The counter-based random numbers behind dropout: element i of a mask depends only on (seed, i), so every
/// backend — and every thread order — draws the same mask, and a gradient check can replay it.
/// </summary>
/// <remarks>
/// SplitMix64's finaliser (Steele, Lea, Flood 2014) over <c>seed + (i+1)·golden-ratio</c>: a strong 64-bit mix
/// that needs only integer multiply, shift and xor, which every ILGPU target has.
/// </remarks>
public static class DropoutRng
{
    /// <summary>A uniform number in [0, 1) for element <paramref name="index"/> of the stream <paramref name="seed"/>.</summary>
    public static double Uniform(ulong seed, long index)
    {
        ulong z = seed + ((ulong)index + 1UL) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        // Top 53 bits → a double in [0, 1).
        return (z >> 11) * (1.0 / 9007199254740992.0);
    }

    /// <summary>True when element <paramref name="index"/> survives dropout with drop probability <paramref name="p"/>.</summary>
    public static bool Keep(ulong seed, long index, double p) => Uniform(seed, index) >= p;
}
