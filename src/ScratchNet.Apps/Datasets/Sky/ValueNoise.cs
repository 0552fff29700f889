namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Hash-based value noise and fractal Brownian motion (fBm), in one and two dimensions.
/// </summary>
/// <remarks>
/// Value noise puts a pseudo-random value on every integer lattice point (a hash of the coordinates and a
/// seed, so nothing is stored) and interpolates with the quintic fade 6t⁵ − 15t⁴ + 10t³, whose first and
/// second derivatives vanish at the lattice points, so no grid creases show. fBm sums octaves with
/// frequency ×2 and amplitude ×<c>gain</c>; with gain ½ it gives the 1/f-like spectrum of clouds, ridgelines
/// and stone. Results are normalised to roughly [0, 1].
/// </remarks>
internal static class ValueNoise
{
    private static float Lattice(int x, int y, uint seed)
    {
        uint h = (uint)x * 0x8DA6B343u ^ (uint)y * 0xD8163841u ^ seed * 0xCB1AB31Fu;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
        return (h & 0xFFFFFF) * (1f / 0x1000000);
    }

    private static double Fade(double t) => t * t * t * (t * (t * 6 - 15) + 10);

    /// <summary>Smooth 2-D value noise in [0, 1].</summary>
    public static double Noise(double x, double y, uint seed)
    {
        double fx = Math.Floor(x), fy = Math.Floor(y);
        int ix = (int)fx, iy = (int)fy;
        double tx = Fade(x - fx), ty = Fade(y - fy);
        double a = Lattice(ix, iy, seed), b = Lattice(ix + 1, iy, seed);
        double c = Lattice(ix, iy + 1, seed), d = Lattice(ix + 1, iy + 1, seed);
        double top = a + (b - a) * tx, bottom = c + (d - c) * tx;
        return top + (bottom - top) * ty;
    }

    /// <summary>Smooth 1-D value noise in [0, 1].</summary>
    public static double Noise(double x, uint seed) => Noise(x, 0.5, seed);

    /// <summary>2-D fBm, normalised by the amplitude sum so the result stays in [0, 1].</summary>
    public static double Fbm(double x, double y, uint seed, int octaves, double gain = 0.5)
    {
        double sum = 0, amp = 1, norm = 0;
        for (int o = 0; o < octaves; o++)
        {
            sum += amp * Noise(x, y, seed + (uint)o * 101u);
            norm += amp;
            amp *= gain;
            // Rotate-ish offset between octaves hides the lattice alignment.
            (x, y) = (x * 2.03 + 17.1, y * 2.01 - 9.7);
        }
        return sum / norm;
    }

    /// <summary>1-D fBm in [0, 1].</summary>
    public static double Fbm(double x, uint seed, int octaves, double gain = 0.5) => Fbm(x, 0.5, seed, octaves, gain);

    /// <summary>Hash of an integer cell to [0, 1) (for per-cell random choices such as brick tones).</summary>
    public static double Cell(int x, int y, uint seed) => Lattice(x, y, seed);
}
