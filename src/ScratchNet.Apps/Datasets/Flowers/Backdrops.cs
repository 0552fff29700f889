using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Renders the background into a linear RGB buffer at output resolution. Scenes are functions of frame fractions
/// (u right, v down, in [0, 1]) and every random draw happens before the pixel loops, so a backdrop looks the same at
/// any size and consumes the same random numbers.
/// </summary>
internal static class Backdrops
{
    /// <summary>Relative frequencies of <see cref="BackdropKind"/> (foliage, bokeh, sky, soil, studio).</summary>
    public static readonly double[] Weights = [0.3, 0.25, 0.12, 0.13, 0.2];

    /// <summary>Fills <paramref name="img"/> (size² × 3) with a backdrop of <paramref name="kind"/>.</summary>
    public static void Render(BackdropKind kind, float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        switch (kind)
        {
            case BackdropKind.Foliage: FoliageBackdrop.Render(img, size, light, ref rng); break;
            case BackdropKind.Bokeh: BokehBackdrop.Render(img, size, light, ref rng); break;
            case BackdropKind.Sky: SkyBackdrop(img, size, light, ref rng); break;
            case BackdropKind.Soil: Soil(img, size, light, ref rng); break;
            default: Studio(img, size, light, ref rng); break;
        }
    }

    /// <summary>Writes one pixel.</summary>
    public static void Set(float[] img, int size, int x, int y, Rgb c)
    {
        int o = (y * size + x) * 3;
        img[o] = (float)c.R; img[o + 1] = (float)c.G; img[o + 2] = (float)c.B;
    }

    /// <summary>Overall brightness of the light, for backdrops that are not lit like a surface (sky, distant bokeh).</summary>
    public static double Strength(in SceneLight light) =>
        (light.Direct.R + light.Direct.G + light.Direct.B + light.Ambient.R + light.Ambient.G + light.Ambient.B) / 3;

    /// <summary>Blue sky from below: zenith-to-horizon gradient along a random "up", fBm clouds with soft edges.</summary>
    private static void SkyBackdrop(float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        var zenith = Rgb.FromHsv(rng.Uniform(200, 222), rng.Uniform(0.45, 0.75), rng.Uniform(0.7, 0.9));
        var horizon = Rgb.FromHsv(rng.Uniform(195, 215), rng.Uniform(0.1, 0.3), rng.Uniform(0.85, 0.97));
        double up = -Math.PI / 2 + rng.Uniform(-0.8, 0.8);
        double cover = rng.Uniform(0, 0.55), freq = rng.Uniform(2, 5);
        double ox = rng.Uniform(0, 100), oy = rng.Uniform(0, 100);
        uint seed = rng.NextSeed();
        double k = 1.3 * Strength(light);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size - 0.5, v = (y + 0.5) / size - 0.5;
                double h = Math.Clamp(0.5 + u * Math.Cos(up) + v * Math.Sin(up), 0, 1);
                var c = Rgb.Lerp(horizon, zenith, h);
                double cloud = ColorMath.Smoothstep(1 - cover, 1.15 - cover, ValueNoise.Fbm(u * freq + ox, v * freq + oy, seed, 5));
                Set(img, size, x, y, Rgb.Lerp(c, Rgb.Grey(0.95), cloud) * k);
            }
    }

    /// <summary>Soil: brown fBm at two scales, with pebbles (lighter, greyer ellipses with a shadow below).</summary>
    private static void Soil(float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        var dark = Rgb.FromHsv(rng.Uniform(15, 35), rng.Uniform(0.35, 0.65), rng.Uniform(0.15, 0.3));
        var bright = Rgb.FromHsv(rng.Uniform(20, 40), rng.Uniform(0.25, 0.5), rng.Uniform(0.35, 0.55));
        uint seed = rng.NextSeed();
        double freq = rng.Uniform(4, 10);
        int n = rng.Int(4, 20);
        var pebbles = new (double X, double Y, double R, Rgb C)[n];
        for (int i = 0; i < n; i++)
            pebbles[i] = (rng.NextDouble(), rng.NextDouble(), rng.Uniform(0.015, 0.05), Rgb.FromHsv(rng.Uniform(20, 50), rng.Uniform(0.05, 0.3), rng.Uniform(0.3, 0.55)));
        var lit = light.FacingCamera;
        double footprint = 1.0 / size;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size, v = (y + 0.5) / size;
                double t = ValueNoise.Fbm(u * freq, v * freq, seed, 4, 0.6);
                double grain = ValueNoise.Noise(u * freq * 8, v * freq * 8, seed + 7);
                var c = Rgb.Lerp(dark, bright, t) * (0.8 + 0.4 * grain);
                foreach (var p in pebbles)
                {
                    // A pebble is a flattened ellipse, lit from above, with a contact shadow beneath it.
                    double dy = (v - p.Y) / (p.R * 0.75);
                    double d = Sdf.Ellipse(u - p.X, v - p.Y, p.R, p.R * 0.75);
                    c *= 1 - Sdf.Shadow(d - 0.3 * p.R * Math.Max(0, dy), 0.6 * p.R, 0.4);
                    c = Rgb.Lerp(c, p.C * (1.05 - 0.35 * Math.Clamp(dy, -1, 1)), Sdf.Coverage(d, footprint));
                }
                Set(img, size, x, y, c * lit);
            }
    }

    /// <summary>Studio sweep: a plain colour with a light fall-off towards the light and a vignette.</summary>
    private static void Studio(float[] img, int size, in SceneLight light, ref SkyRandom rng)
    {
        var c = rng.Pick([0.2, 0.15, 0.15, 0.15, 0.2, 0.15]) switch
        {
            0 => Rgb.Grey(rng.Uniform(0.01, 0.04)),                                          // black velvet
            1 => Rgb.Grey(rng.Uniform(0.08, 0.2)),                                           // dark grey
            2 => Rgb.Grey(rng.Uniform(0.3, 0.5)),                                            // mid grey
            3 => Rgb.FromHsv(rng.Uniform(30, 60), rng.Uniform(0, 0.06), rng.Uniform(0.85, 0.95)), // white card
            4 => Rgb.FromHsv(rng.Uniform(0, 360), rng.Uniform(0.12, 0.35), rng.Uniform(0.7, 0.9)), // pastel
            _ => Rgb.FromHsv(rng.Uniform(0, 360), rng.Uniform(0.3, 0.6), rng.Uniform(0.15, 0.35)), // dark colour
        };
        double vignette = rng.Uniform(0, 0.5), falloff = rng.Uniform(0, 0.5);
        double lx = light.Direction.X, ly = light.Direction.Y;
        var lit = light.FacingCamera;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5) / size - 0.5, v = (y + 0.5) / size - 0.5;
                double k = (1 - vignette * 2 * (u * u + v * v)) * (1 + falloff * (u * lx + v * ly));
                Set(img, size, x, y, c * lit * Math.Max(0.05, k));
            }
    }
}
