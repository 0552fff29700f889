using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A garden far out of focus: a low-frequency blend of greens and browns with 8–27 bokeh discs (out-of-focus
/// highlights: leaf glints, sun sparkles and, about a quarter of the time, other flowers in any colour), blurred hard.
/// </summary>
/// <remarks>
/// Bokeh discs in flower colours are drawn independently of the label, so a model cannot read the colour label off
/// the background — it has to find the sharp flower.
/// </remarks>
internal static class BokehBackdrop
{
    /// <summary>Fills <paramref name="img"/> with a bokeh garden.</summary>
    public static void Render(float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        var a = PetalPalette.Green(ref rng, rng.Uniform(0.4, 1.1));
        var b = rng.Chance(0.3) ? Rgb.FromHsv(rng.Uniform(20, 45), rng.Uniform(0.3, 0.6), rng.Uniform(0.2, 0.5)) : PetalPalette.Green(ref rng, rng.Uniform(0.4, 1.2));
        uint seed = rng.NextSeed();
        double freq = rng.Uniform(1.5, 3.5);
        int n = rng.Int(8, 28);
        var discs = new (double X, double Y, double R, Rgb C)[n];
        for (int i = 0; i < n; i++)
        {
            var c = rng.Pick([0.45, 0.3, 0.25]) switch
            {
                0 => Rgb.FromHsv(rng.Uniform(60, 110), rng.Uniform(0.3, 0.7), rng.Uniform(0.6, 0.9)), // leaf glint
                1 => Rgb.FromHsv(rng.Uniform(40, 60), rng.Uniform(0.05, 0.3), rng.Uniform(0.85, 1.0)), // sun sparkle
                _ => Rgb.FromHsv(rng.Uniform(0, 360), rng.Uniform(0.0, 0.8), rng.Uniform(0.6, 1.0)),   // another flower
            };
            discs[i] = (rng.NextDouble(), rng.NextDouble(), rng.Uniform(0.03, 0.12), c * rng.Uniform(0.25, 0.8));
        }
        double blur = rng.Uniform(1.0, 2.5);
        double k = Backdrops.Strength(light);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size, v = (y + 0.5) / size;
                var c = Rgb.Lerp(a, b, ValueNoise.Fbm(u * freq, v * freq, seed, 3));
                foreach (var d in discs)
                {
                    double r = Math.Sqrt((u - d.X) * (u - d.X) + (v - d.Y) * (v - d.Y)) / d.R;
                    // Out-of-focus highlights add light; the rim of a bokeh disc is a little brighter.
                    if (r < 1) c += d.C * (0.8 + 0.3 * r * r);
                }
                Backdrops.Set(img, size, x, y, c * k);
            }
        CameraPipeline.GaussianBlur(img, size, blur * size / 64.0);
    }
}
