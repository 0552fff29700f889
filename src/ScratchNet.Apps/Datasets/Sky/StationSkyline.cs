namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// A monitoring station: where it is (for the sun position), how high the camera stands, which way it usually
/// looks, and its procedurally generated skyline. Every group ("station + timestamp") at a station shares
/// this skyline, like the real photos taken from a fixed spot.
/// </summary>
internal sealed class StationSkyline
{
    public required string Name { get; init; }
    public required double LatitudeDeg { get; init; }
    public required double LongitudeDeg { get; init; }

    /// <summary>Camera height above ground, metres (street level to a rooftop).</summary>
    public required double CameraHeightM { get; init; }

    /// <summary>The azimuth (radians from north, clockwise) photographers at this station tend to face.</summary>
    public required double BaseYaw { get; init; }

    /// <summary>Skyline layers, nearest first.</summary>
    public required SkylineLayer[] Layers { get; init; }

    public required (double R, double G, double B) GroundAlbedo { get; init; }
    public required uint GroundSeed { get; init; }

    /// <summary>Builds station <paramref name="index"/> from its own random stream (independent of every other station).</summary>
    public static StationSkyline Create(long seed, int index)
    {
        var rng = SkyRandom.Derive(seed, 1, index);
        double camH = rng.Uniform(2, 15);
        var layers = new List<SkylineLayer>();
        int landscape = rng.Int(0, 3);
        switch (landscape)
        {
            case 0: // valley town ringed by hills (Kathmandu, Biratnagar foothills)
                layers.Add(Hills(ref rng, rng.Uniform(10, 22), rng.Uniform(700, 2200)));
                if (rng.Chance(0.6)) layers.Add(Hills(ref rng, rng.Uniform(4, 8), rng.Uniform(150, 500)));
                layers.Add(Buildings(ref rng, rng.Uniform(0.8, 2.0), 8, 40, 0.6));
                break;
            case 1: // plains megacity (Delhi, Noida, Faridabad)
                layers.Add(Buildings(ref rng, rng.Uniform(3, 7), 25, 160, 0.9));
                layers.Add(Buildings(ref rng, rng.Uniform(1.0, 2.5), 15, 80, 0.8));
                break;
            default: // green suburb with a ridge on the horizon (Bengaluru, Dimapur)
                layers.Add(Hills(ref rng, rng.Uniform(6, 16), rng.Uniform(200, 700)));
                layers.Add(Buildings(ref rng, rng.Uniform(1.5, 4), 10, 50, 0.5));
                break;
        }
        // Every station has a foreground (a tree line or the next block of houses) that stays visible in any smog,
        // as in the real photos taken from a roof or a street.
        if (rng.Chance(0.5)) layers.Add(Trees(ref rng, rng.Uniform(0.04, 0.15)));
        else layers.Add(Buildings(ref rng, rng.Uniform(0.12, 0.4), 10, 55, 0.75));
        layers.Sort((a, b) => a.DistanceKm.CompareTo(b.DistanceKm));
        double g = rng.Uniform(0.08, 0.2);
        return new StationSkyline
        {
            Name = $"Station-{index + 1:D2}",
            LatitudeDeg = rng.Uniform(12, 29),
            LongitudeDeg = rng.Uniform(74, 88),
            CameraHeightM = camH,
            BaseYaw = rng.Uniform(0, 2 * Math.PI),
            Layers = layers.ToArray(),
            GroundAlbedo = (g * 1.1, g, g * 0.85),
            GroundSeed = rng.NextSeed(),
        };
    }

    /// <summary>Ridgelines: ridged fBm over azimuth, so peaks are sharp and valleys round, like eroded hills.</summary>
    private static SkylineLayer Hills(ref SkyRandom rng, double distanceKm, double heightM)
    {
        uint seed = rng.NextSeed();
        double freq = rng.Uniform(4, 10); // ridge features per radian
        double baseFrac = rng.Uniform(0.05, 0.35);
        var h = new float[SkylineLayer.Resolution];
        var tone = new float[SkylineLayer.Resolution];
        for (int i = 0; i < h.Length; i++)
        {
            double a = i * (2 * Math.PI / SkylineLayer.Resolution);
            // Sample the noise on a circle so the profile wraps around without a seam.
            double nx = Math.Cos(a) * freq, ny = Math.Sin(a) * freq;
            double n = ValueNoise.Fbm(nx, ny, seed, 5);
            double ridged = 1 - Math.Abs(2 * n - 1);
            h[i] = (float)(heightM * (baseFrac + (1 - baseFrac) * ridged * ridged));
            tone[i] = 1f;
        }
        double r = rng.Uniform(0.07, 0.14);
        return new SkylineLayer
        {
            Kind = LayerKind.Hills,
            DistanceKm = distanceKm,
            Heights = h,
            Tone = tone,
            Albedo = (r, r * rng.Uniform(1.0, 1.25), r * rng.Uniform(0.6, 0.9)),
            TextureSeed = rng.NextSeed(),
        };
    }

    /// <summary>
    /// A row of building blocks: piecewise-constant heights with log-normal spread, occasional towers, masts
    /// and gaps; each block gets its own facade tone (paint, glass, concrete).
    /// </summary>
    private static SkylineLayer Buildings(ref SkyRandom rng, double distanceKm, double lowM, double highM, double density)
    {
        var h = new float[SkylineLayer.Resolution];
        var tone = new float[SkylineLayer.Resolution];
        double metresPerSample = distanceKm * 1000 * 2 * Math.PI / SkylineLayer.Resolution;
        int i = 0;
        while (i < SkylineLayer.Resolution)
        {
            double widthM = rng.Uniform(15, 70);
            int w = Math.Max(1, (int)(widthM / metresPerSample));
            bool gap = !rng.Chance(density);
            double height = gap ? rng.Uniform(0, lowM * 0.6) : lowM * Math.Exp(rng.Uniform(0, Math.Log(highM / lowM)));
            float blockTone = (float)rng.Uniform(0.6, 1.4);
            int mast = !gap && rng.Chance(0.08) ? rng.Int(0, w) : -1;
            bool stepped = rng.Chance(0.25);
            for (int j = 0; j < w && i + j < SkylineLayer.Resolution; j++)
            {
                double hh = height;
                if (stepped && (j < w / 4 || j >= w - w / 4)) hh *= 0.8;
                if (j == mast) hh += height * 0.35;
                h[i + j] = (float)hh;
                tone[i + j] = blockTone;
            }
            i += w;
        }
        double c = rng.Uniform(0.18, 0.4);
        return new SkylineLayer
        {
            Kind = LayerKind.Buildings,
            DistanceKm = distanceKm,
            Heights = h,
            Tone = tone,
            Albedo = (c * rng.Uniform(0.95, 1.15), c, c * rng.Uniform(0.8, 1.0)),
            TextureSeed = rng.NextSeed(),
        };
    }

    /// <summary>A tree line: crowns are bumps of noise at the crown scale (~8 m) over a canopy height, with clearings.</summary>
    private static SkylineLayer Trees(ref SkyRandom rng, double distanceKm)
    {
        uint seed = rng.NextSeed(), gapSeed = rng.NextSeed();
        double canopy = rng.Uniform(10, 22);
        double circumferenceM = distanceKm * 1000 * 2 * Math.PI;
        double crownsPerRadian = circumferenceM / 8.0 / (2 * Math.PI);
        var h = new float[SkylineLayer.Resolution];
        var tone = new float[SkylineLayer.Resolution];
        for (int i = 0; i < h.Length; i++)
        {
            double a = i * (2 * Math.PI / SkylineLayer.Resolution);
            double crowns = ValueNoise.Fbm(a * crownsPerRadian, 0.3, seed, 3);
            double clearing = ValueNoise.Noise(Math.Cos(a) * 6, Math.Sin(a) * 6, gapSeed);
            double height = canopy * (0.55 + 0.7 * crowns) * ColorMath.Smoothstep(0.25, 0.4, clearing);
            h[i] = (float)height;
            tone[i] = (float)(0.75 + 0.5 * crowns);
        }
        double g = rng.Uniform(0.03, 0.07);
        return new SkylineLayer
        {
            Kind = LayerKind.Trees,
            DistanceKm = distanceKm,
            Heights = h,
            Tone = tone,
            Albedo = (g * 0.8, g * 1.3, g * 0.5),
            TextureSeed = rng.NextSeed(),
        };
    }
}
