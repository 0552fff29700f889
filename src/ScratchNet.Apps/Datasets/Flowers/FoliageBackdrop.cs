using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Foliage behind the flower: a dark green fBm shade layer with 10–25 overlapping lit leaves on top, nearer
/// (later) leaves larger and brighter, then a depth-of-field blur.
/// </summary>
internal static class FoliageBackdrop
{
    /// <summary>Fills <paramref name="img"/> with foliage.</summary>
    public static void Render(float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        var deep = PetalPalette.Green(ref rng, 0.35);
        var mid = PetalPalette.Green(ref rng, 0.8);
        uint seed = rng.NextSeed();
        double freq = rng.Uniform(3, 7);
        int n = rng.Int(10, 26);
        var leaves = new Leaf[n];
        for (int i = 0; i < n; i++)
        {
            double depth = (i + 1.0) / n;
            leaves[i] = Leaf.Draw(rng.Uniform(-0.15, 1.15), rng.Uniform(-0.15, 1.15), rng.Uniform(0, 2 * Math.PI),
                                  rng.Uniform(0.12, 0.3) * (0.7 + 0.6 * depth), ref rng, 0.55 + 0.55 * depth);
        }
        double blur = rng.Uniform(0.3, 1.6);
        var lit = light.FacingCamera;
        double footprint = 1.0 / size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size, v = (y + 0.5) / size;
                double t = ValueNoise.Fbm(u * freq, v * freq, seed, 4);
                var c = Rgb.Lerp(deep, mid, t) * lit * (0.5 + 0.5 * ValueNoise.Noise(u * freq * 0.7 + 31, v * freq * 0.7, seed + 3));
                foreach (var leaf in leaves)
                {
                    var (cov, lc) = leaf.Sample(u, v, footprint, light);
                    if (cov > 0) c = Rgb.Lerp(c, lc, cov);
                }
                Backdrops.Set(img, size, x, y, c);
            }
        CameraPipeline.GaussianBlur(img, size, blur * size / 64.0);
    }
}
