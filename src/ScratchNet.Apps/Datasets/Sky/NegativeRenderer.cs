namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Renders the non-sky images (is_sky = 0, aqi = −1): procedural textures, surfaces, indoor-like and object-like
/// scenes, with hard cases that share the sky's smoothness and colours (flat grey/beige walls, blue paint, water,
/// asphalt). They go through the same <see cref="CameraPipeline"/> as the sky photos, so exposure, white balance,
/// noise and blur are no cue to the class.
/// </summary>
/// <remarks>
/// Scenes are built in linear light as functions of normalised coordinates (u right, v down, both in [0, 1]),
/// so they look the same at any output size. Each image draws from its own generator seeded with (seed, index).
/// </remarks>
public sealed class NegativeRenderer
{
    // Relative frequencies; the hard kinds together are about a third of the negatives.
    private static readonly double[] Weights = [1.0, 1.0, 0.9, 1.0, 0.7, 0.8, 0.8, 1.4, 1.4, 1.3, 1.2, 1.3, 0.8];

    /// <param name="seed">Dataset seed (the negatives use their own streams derived from it).</param>
    public NegativeRenderer(long seed) => Seed = seed;

    /// <summary>The dataset seed.</summary>
    public long Seed { get; }

    /// <summary>True for the kinds designed to look sky-like (smooth, grey or blue).</summary>
    public static bool IsHard(NegativeKind kind) =>
        kind is NegativeKind.FlatWall or NegativeKind.Water or NegativeKind.BlueSurface or NegativeKind.Asphalt;

    /// <summary>Which kind negative <paramref name="index"/> is.</summary>
    public NegativeKind KindOf(int index)
    {
        var rng = SkyRandom.Derive(Seed, 10, index);
        return (NegativeKind)rng.Pick(Weights);
    }

    /// <summary>Renders negative <paramref name="index"/> at <paramref name="size"/>×<paramref name="size"/> as packed RGB bytes.</summary>
    public byte[] Render(int index, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var kind = KindOf(index);
        var rng = SkyRandom.Derive(Seed, 11, index);
        var img = new float[size * size * 3];
        switch (kind)
        {
            case NegativeKind.Wood: Wood(img, size, ref rng); break;
            case NegativeKind.Stone: Stone(img, size, ref rng); break;
            case NegativeKind.Grass: Grass(img, size, ref rng); break;
            case NegativeKind.Fabric: Fabric(img, size, ref rng); break;
            case NegativeKind.AbstractNoise: AbstractNoise(img, size, ref rng); break;
            case NegativeKind.Brick: Brick(img, size, ref rng); break;
            case NegativeKind.Foliage: Foliage(img, size, ref rng); break;
            case NegativeKind.Indoor: Indoor(img, size, ref rng); break;
            case NegativeKind.Objects: Objects(img, size, ref rng); break;
            case NegativeKind.FlatWall: FlatWall(img, size, ref rng); break;
            case NegativeKind.Water: Water(img, size, ref rng); break;
            case NegativeKind.BlueSurface: BlueSurface(img, size, ref rng); break;
            default: Asphalt(img, size, ref rng); break;
        }
        var cam = CameraSettings.Draw(ref rng);
        return CameraPipeline.Develop(img, size, cam, 0.30, ref rng);
    }

    private delegate (double R, double G, double B) Shader(double u, double v);

    private static void Fill(float[] img, int size, Shader shade)
    {
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                var (r, g, b) = shade((x + 0.5) / size, (y + 0.5) / size);
                int o = (y * size + x) * 3;
                img[o] = (float)r; img[o + 1] = (float)g; img[o + 2] = (float)b;
            }
    }

    private static (double, double, double) Mix((double R, double G, double B) a, (double R, double G, double B) b, double t) =>
        (ColorMath.Lerp(a.R, b.R, t), ColorMath.Lerp(a.G, b.G, t), ColorMath.Lerp(a.B, b.B, t));

    private static (double, double, double) Scale((double R, double G, double B) a, double k) => (a.R * k, a.G * k, a.B * k);

    /// <summary>A random saturated-ish colour in linear RGB from hue/saturation/value.</summary>
    private static (double, double, double) Hsv(double h, double s, double v)
    {
        h = (h % 1 + 1) % 1 * 6;
        int i = (int)h;
        double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        var (r, g, b) = i switch { 0 => (v, t, p), 1 => (q, v, p), 2 => (p, v, t), 3 => (p, q, v), 4 => (t, p, v), _ => (v, p, q) };
        return (ColorMath.SrgbDecode(r), ColorMath.SrgbDecode(g), ColorMath.SrgbDecode(b));
    }

    /// <summary>Planks with growth-ring grain: a sine of the across-grain coordinate, warped by fBm.</summary>
    private static void Wood(float[] img, int size, ref SkyRandom rng)
    {
        double angle = rng.Uniform(0, Math.PI), ca = Math.Cos(angle), sa = Math.Sin(angle);
        double plank = rng.Uniform(0.15, 0.4), freq = rng.Uniform(6, 18);
        uint seed = rng.NextSeed();
        var light = Hsv(rng.Uniform(0.05, 0.1), rng.Uniform(0.45, 0.7), rng.Uniform(0.55, 0.85));
        var dark = Scale(light, rng.Uniform(0.35, 0.6));
        Fill(img, size, (u, v) =>
        {
            double a = u * ca + v * sa, b = -u * sa + v * ca;
            int p = (int)Math.Floor(a / plank);
            double inPlank = a / plank - p;
            double off = ValueNoise.Cell(p, 0, seed) * 10;
            double grain = 0.5 + 0.5 * Math.Sin((a * freq + 2.5 * ValueNoise.Fbm(a * 3 + off, b * 0.7, seed, 3)) * 2 * Math.PI);
            double tone = 0.8 + 0.4 * ValueNoise.Cell(p, 1, seed);
            double seam = inPlank < 0.025 || inPlank > 0.975 ? 0.35 : 1;
            return Scale(Mix(dark, light, grain * grain), tone * seam);
        });
    }

    /// <summary>Cobbles / flagstones: Worley (cellular) noise, dark joints where the nearest two cells tie.</summary>
    private static void Stone(float[] img, int size, ref SkyRandom rng)
    {
        double cells = rng.Uniform(3, 9);
        uint seed = rng.NextSeed();
        var baseC = Hsv(rng.Uniform(0.05, 0.12), rng.Uniform(0.05, 0.35), rng.Uniform(0.45, 0.75));
        var joint = Scale(baseC, 0.3);
        Fill(img, size, (u, v) =>
        {
            double x = u * cells, y = v * cells;
            int ix = (int)Math.Floor(x), iy = (int)Math.Floor(y);
            double f1 = 9, f2 = 9; int best = 0;
            for (int j = -1; j <= 1; j++)
                for (int i = -1; i <= 1; i++)
                {
                    double px = ix + i + ValueNoise.Cell(ix + i, iy + j, seed), py = iy + j + ValueNoise.Cell(ix + i, iy + j, seed + 1);
                    double d = Math.Sqrt((x - px) * (x - px) + (y - py) * (y - py));
                    if (d < f1) { f2 = f1; f1 = d; best = (ix + i) * 7919 + (iy + j); }
                    else if (d < f2) f2 = d;
                }
            double edge = ColorMath.Smoothstep(0.02, 0.09, f2 - f1);
            double tone = 0.7 + 0.6 * ValueNoise.Cell(best, 3, seed) + 0.3 * (ValueNoise.Fbm(u * 20, v * 20, seed, 3) - 0.5);
            return Mix(joint, Scale(baseC, tone), edge);
        });
    }

    /// <summary>Lawn or dry grass: streaky high-frequency noise stretched along the blades.</summary>
    private static void Grass(float[] img, int size, ref SkyRandom rng)
    {
        bool dry = rng.Chance(0.3);
        uint seed = rng.NextSeed();
        var dark = dry ? Hsv(0.1, 0.6, 0.3) : Hsv(rng.Uniform(0.22, 0.3), 0.8, 0.25);
        var lightC = dry ? Hsv(0.13, 0.5, 0.8) : Hsv(rng.Uniform(0.18, 0.26), 0.7, 0.7);
        double fine = rng.Uniform(40, 90);
        Fill(img, size, (u, v) =>
        {
            double blades = ValueNoise.Fbm(u * fine, v * fine * 0.15, seed, 2);
            double clump = ValueNoise.Fbm(u * 4, v * 4, seed + 9, 3);
            return Scale(Mix(dark, lightC, blades), 0.6 + 0.8 * clump);
        });
    }

    /// <summary>Woven cloth: over-under weave as a product of sines, optionally with plaid stripes; any hue, blue included.</summary>
    private static void Fabric(float[] img, int size, ref SkyRandom rng)
    {
        double weave = rng.Uniform(25, 60), stripe = rng.Uniform(3, 10);
        bool plaid = rng.Chance(0.5);
        var c1 = Hsv(rng.NextDouble(), rng.Uniform(0.3, 0.9), rng.Uniform(0.4, 0.9));
        var c2 = Hsv(rng.NextDouble(), rng.Uniform(0.3, 0.9), rng.Uniform(0.2, 0.8));
        double fold = rng.Uniform(2, 6), foldPhase = rng.Uniform(0, 6);
        Fill(img, size, (u, v) =>
        {
            double w = 0.5 + 0.5 * Math.Sin(u * weave * Math.PI * 2) * Math.Sin(v * weave * Math.PI * 2);
            double s = plaid ? 0.5 * (Math.Sin(u * stripe * 2 * Math.PI) > 0.3 ? 1 : 0) + 0.5 * (Math.Sin(v * stripe * 2 * Math.PI) > 0.3 ? 1 : 0) : 0;
            double folds = 0.75 + 0.25 * Math.Sin(u * fold * 2 * Math.PI + v * 3 + foldPhase);
            return Scale(Mix(c1, c2, s), (0.8 + 0.3 * w) * folds);
        });
    }

    /// <summary>Domain-warped fBm over a random three-colour palette (posters, marble, abstract art).</summary>
    private static void AbstractNoise(float[] img, int size, ref SkyRandom rng)
    {
        uint seed = rng.NextSeed();
        double sc = rng.Uniform(2, 8);
        var a = Hsv(rng.NextDouble(), rng.Uniform(0.2, 1), rng.Uniform(0.2, 0.9));
        var b = Hsv(rng.NextDouble(), rng.Uniform(0.2, 1), rng.Uniform(0.2, 0.9));
        var c = Hsv(rng.NextDouble(), rng.Uniform(0.2, 1), rng.Uniform(0.2, 0.9));
        Fill(img, size, (u, v) =>
        {
            double wx = ValueNoise.Fbm(u * sc, v * sc, seed, 4), wy = ValueNoise.Fbm(u * sc + 5, v * sc + 5, seed, 4);
            double n = ValueNoise.Fbm(u * sc + 3 * wx, v * sc + 3 * wy, seed + 1, 5);
            return n < 0.5 ? Mix(a, b, ColorMath.Smoothstep(0.3, 0.5, n)) : Mix(b, c, ColorMath.Smoothstep(0.5, 0.7, n));
        });
    }

    /// <summary>Running-bond brickwork: offset rows, mortar joints, per-brick tone.</summary>
    private static void Brick(float[] img, int size, ref SkyRandom rng)
    {
        double rows = rng.Uniform(6, 16), aspect = rng.Uniform(2, 3);
        uint seed = rng.NextSeed();
        var brick = Hsv(rng.Uniform(0.0, 0.07), rng.Uniform(0.4, 0.75), rng.Uniform(0.45, 0.75));
        var mortar = Hsv(0.1, 0.1, rng.Uniform(0.55, 0.8));
        Fill(img, size, (u, v) =>
        {
            double y = v * rows;
            int row = (int)Math.Floor(y);
            double x = u * rows / aspect + (row % 2) * 0.5;
            int col = (int)Math.Floor(x);
            double fx = x - col, fy = y - row;
            bool joint = fx < 0.05 || fy < 0.1;
            double tone = 0.75 + 0.5 * ValueNoise.Cell(col, row, seed) + 0.2 * (ValueNoise.Noise(u * 60, v * 60, seed) - 0.5);
            return joint ? mortar : Scale(brick, tone);
        });
    }

    /// <summary>A hedge or canopy seen close: overlapping leaf ellipses over dark shadow.</summary>
    private static void Foliage(float[] img, int size, ref SkyRandom rng)
    {
        int n = rng.Int(80, 200);
        var leaves = new (double X, double Y, double R, double Cos, double Sin, double Tone)[n];
        for (int i = 0; i < n; i++)
        {
            double angle;
            leaves[i] = (rng.NextDouble(), rng.NextDouble(), rng.Uniform(0.03, 0.08), Math.Cos(angle = rng.Uniform(0, Math.PI)), Math.Sin(angle), rng.Uniform(0.4, 1.2));
        }
        var green = Hsv(rng.Uniform(0.2, 0.32), rng.Uniform(0.5, 0.85), rng.Uniform(0.4, 0.7));
        var shadow = Hsv(0.3, 0.6, 0.08);
        Fill(img, size, (u, v) =>
        {
            (double, double, double) c = shadow;
            for (int i = 0; i < leaves.Length; i++)
            {
                var l = leaves[i];
                double dx = u - l.X, dy = v - l.Y;
                if (Math.Abs(dx) > l.R || Math.Abs(dy) > l.R) continue; // outside the leaf's bounding box
                double a = (dx * l.Cos + dy * l.Sin) / l.R, b = (-dx * l.Sin + dy * l.Cos) / (l.R * 0.45);
                if (a * a + b * b < 1) c = Scale(green, l.Tone * (0.8 + 0.2 * a));
            }
            return c;
        });
    }

    /// <summary>
    /// A room: back wall, floor below a random line, furniture rectangles, a picture frame, sometimes a window
    /// (blown-out bright) and a lamp with a glow that falls off as 1/(1 + r²/r0²).
    /// </summary>
    private static void Indoor(float[] img, int size, ref SkyRandom rng)
    {
        double floorLine = rng.Uniform(0.5, 0.8);
        var wall = Hsv(rng.NextDouble(), rng.Uniform(0.05, 0.45), rng.Uniform(0.5, 0.9));
        var floor = Hsv(rng.Uniform(0.05, 0.1), rng.Uniform(0.3, 0.7), rng.Uniform(0.25, 0.6));
        int nf = rng.Int(1, 4);
        var furniture = new (double X0, double X1, double Y0, (double, double, double) C)[nf];
        for (int i = 0; i < nf; i++)
        {
            double x0 = rng.Uniform(-0.1, 0.8);
            furniture[i] = (x0, x0 + rng.Uniform(0.15, 0.5), floorLine - rng.Uniform(0.1, 0.35), Hsv(rng.NextDouble(), rng.Uniform(0.2, 0.8), rng.Uniform(0.1, 0.5)));
        }
        bool window = rng.Chance(0.35);
        double wx0 = rng.Uniform(0.05, 0.6), wx1 = wx0 + rng.Uniform(0.15, 0.3), wy0 = rng.Uniform(0.05, 0.2), wy1 = wy0 + rng.Uniform(0.2, 0.3);
        double fx0 = rng.Uniform(0.1, 0.7), fy0 = rng.Uniform(0.1, 0.3), fw = rng.Uniform(0.1, 0.25), fh = rng.Uniform(0.08, 0.2);
        var art = Hsv(rng.NextDouble(), 0.6, 0.6);
        double lx = rng.Uniform(0.1, 0.9), ly = rng.Uniform(0.1, floorLine - 0.1), lr = rng.Uniform(0.02, 0.05);
        double plank = rng.Uniform(0.05, 0.12);
        uint seed = rng.NextSeed();
        Fill(img, size, (u, v) =>
        {
            double glow = 1 + 0.8 / (1 + ((u - lx) * (u - lx) + (v - ly) * (v - ly)) / 0.04);
            (double, double, double) c;
            if (v > floorLine)
            {
                double depth = (v - floorLine) / (1 - floorLine);
                double planks = 0.8 + 0.3 * ValueNoise.Cell((int)Math.Floor((u - 0.5) / (plank * (0.3 + depth)) ), 0, seed);
                c = Scale(floor, planks * (0.7 + 0.3 * depth));
            }
            else
            {
                c = Scale(wall, 0.9 + 0.1 * ValueNoise.Fbm(u * 8, v * 8, seed, 2));
                if (window && u > wx0 && u < wx1 && v > wy0 && v < wy1)
                    c = (u - wx0 < 0.015 || wx1 - u < 0.015 || Math.Abs(u - (wx0 + wx1) / 2) < 0.008) ? Scale(wall, 0.5) : (4.0, 4.0, 3.8);
                if (u > fx0 && u < fx0 + fw && v > fy0 && v < fy0 + fh)
                    c = (u - fx0 < 0.01 || fx0 + fw - u < 0.01 || v - fy0 < 0.01 || fy0 + fh - v < 0.01) ? (0.05, 0.04, 0.03) : Scale(art, 0.6 + 0.4 * ValueNoise.Fbm(u * 15, v * 15, seed, 2));
            }
            foreach (var f in furniture)
                if (u > f.X0 && u < f.X1 && v > f.Y0 && v < floorLine + 0.05) c = Scale(f.C, 0.8 + 0.2 * (v - f.Y0) / (floorLine - f.Y0 + 0.05));
            if ((u - lx) * (u - lx) + (v - ly) * (v - ly) < lr * lr) c = (6.0, 5.5, 4.5);
            return Scale(c, glow);
        });
    }

    /// <summary>A table top with shaded balls, boxes and cups, each casting a soft contact shadow.</summary>
    private static void Objects(float[] img, int size, ref SkyRandom rng)
    {
        double edge = rng.Uniform(0.35, 0.65);
        var wall = Hsv(rng.NextDouble(), rng.Uniform(0, 0.4), rng.Uniform(0.3, 0.8));
        var table = Hsv(rng.NextDouble(), rng.Uniform(0.1, 0.6), rng.Uniform(0.3, 0.8));
        int n = rng.Int(2, 6);
        var shapes = new (int Kind, double X, double Y, double R, (double, double, double) C)[n];
        for (int i = 0; i < n; i++)
        {
            double r = rng.Uniform(0.07, 0.18);
            shapes[i] = (rng.Int(0, 3), rng.Uniform(0.1, 0.9), rng.Uniform(edge + 0.1, 0.95), r, Hsv(rng.NextDouble(), rng.Uniform(0.3, 1), rng.Uniform(0.3, 0.95)));
        }
        Array.Sort(shapes, (a, b) => a.Y.CompareTo(b.Y)); // painter's order: far (higher up) first
        double lightX = rng.Uniform(-1, 1);
        Fill(img, size, (u, v) =>
        {
            (double, double, double) c = v < edge ? Scale(wall, 0.8 + 0.3 * (1 - v)) : Scale(table, 0.7 + 0.4 * (v - edge));
            foreach (var s in shapes)
            {
                double dx = u - s.X, dy = v - s.Y;
                // contact shadow on the table
                double sh = (dx * dx) / (s.R * s.R * 1.6) + (dy * dy) / (s.R * s.R * 0.12);
                if (sh < 1 && v > edge) c = Scale(c, 0.55 + 0.45 * sh);
                switch (s.Kind)
                {
                    case 0: // ball: Lambert shading of a sphere
                        double cy = s.Y - s.R, ddy = v - cy, rr = (dx * dx + ddy * ddy) / (s.R * s.R);
                        if (rr < 1)
                        {
                            double nz = Math.Sqrt(1 - rr), nx = dx / s.R, ny = ddy / s.R;
                            double lam = Math.Max(0, 0.5 * nz - 0.6 * ny + 0.4 * lightX * nx);
                            c = Scale(s.C, 0.2 + 0.9 * lam);
                        }
                        break;
                    case 1: // box
                        if (Math.Abs(dx) < s.R && v < s.Y && v > s.Y - 1.6 * s.R) c = Scale(s.C, dx * lightX > 0 ? 1.0 : 0.6);
                        break;
                    default: // cup: a cylinder with a darker rim ellipse
                        if (Math.Abs(dx) < s.R * 0.7 && v < s.Y && v > s.Y - 1.8 * s.R)
                            c = Scale(s.C, 0.5 + 0.5 * Math.Cos(dx / (s.R * 0.7) * 1.3 - lightX * 0.5));
                        double ey = (v - (s.Y - 1.8 * s.R)) / (s.R * 0.2), ex = dx / (s.R * 0.7);
                        if (ex * ex + ey * ey < 1) c = Scale(s.C, 0.3);
                        break;
                }
            }
            return c;
        });
    }

    /// <summary>
    /// Hard: a plain painted wall (grey, beige, white) lit by one lamp, i.e. a smooth gradient with faint plaster
    /// texture — statistically close to an overcast or smoggy sky. Sometimes a skirting board or switch plate.
    /// </summary>
    private static void FlatWall(float[] img, int size, ref SkyRandom rng)
    {
        var c = Hsv(rng.Uniform(0.05, 0.16), rng.Uniform(0, 0.25), rng.Uniform(0.55, 0.9));
        double lx = rng.Uniform(-0.5, 1.5), ly = rng.Uniform(-0.8, 0.5), falloff = rng.Uniform(0.3, 2);
        uint seed = rng.NextSeed();
        double texAmp = rng.Uniform(0.01, 0.05);
        double skirting = rng.Chance(0.3) ? rng.Uniform(0.85, 0.95) : 2;
        bool plate = rng.Chance(0.25);
        double px = rng.Uniform(0.2, 0.8), py = rng.Uniform(0.3, 0.7);
        Fill(img, size, (u, v) =>
        {
            double r2 = (u - lx) * (u - lx) + (v - ly) * (v - ly);
            double light = 1 / (1 + r2 * falloff);
            double tex = 1 + texAmp * (ValueNoise.Fbm(u * 30, v * 30, seed, 3) - 0.5) * 2;
            var col = Scale(c, light * tex);
            if (v > skirting) col = Scale(c, 0.5 * light);
            if (plate && Math.Abs(u - px) < 0.04 && Math.Abs(v - py) < 0.06) col = Scale((0.8, 0.8, 0.78), light);
            return col;
        });
    }

    /// <summary>
    /// Hard: water in blue/teal/grey tones. Surface waves are a sum of sines in perspective (wavelength shrinking
    /// toward the top), the reflected sky brightens the crests and sparkles appear where the slope mirrors the sun.
    /// </summary>
    private static void Water(float[] img, int size, ref SkyRandom rng)
    {
        var deep = Hsv(rng.Uniform(0.5, 0.62), rng.Uniform(0.3, 0.8), rng.Uniform(0.25, 0.55));
        var reflect = Hsv(rng.Uniform(0.55, 0.62), rng.Uniform(0.1, 0.4), rng.Uniform(0.7, 0.95));
        int waves = 5;
        var wv = new (double K, double A, double P)[waves];
        for (int i = 0; i < waves; i++) wv[i] = (rng.Uniform(8, 40), rng.Uniform(-0.6, 0.6), rng.Uniform(0, 6.3));
        double sparkle = rng.Uniform(0.9, 0.98);
        uint seed = rng.NextSeed();
        Fill(img, size, (u, v) =>
        {
            double z = 1 / (0.15 + v); // perspective: rows near the top are far away
            double h = 0;
            foreach (var w in wv) h += Math.Sin((u * Math.Cos(w.A) + z * 0.3 * Math.Sin(w.A) * 3) * w.K + z * w.K * 0.2 + w.P);
            h = h / waves + 0.3 * (ValueNoise.Fbm(u * 12, z * 3, seed, 3) - 0.5);
            double fresnel = 0.3 + 0.5 * (1 - v);
            var c = Mix(deep, reflect, Math.Clamp(fresnel + 0.4 * h, 0, 1));
            if (h > sparkle * 0.9) c = Scale(c, 2.5);
            return c;
        });
    }

    /// <summary>
    /// Hard: sky-blue paint — a wall, a car door, a tarp — as smooth shading of a sky-like blue, sometimes folded,
    /// sometimes with a dark object or floor band along the bottom (the sky photos have their skyline there).
    /// </summary>
    private static void BlueSurface(float[] img, int size, ref SkyRandom rng)
    {
        var blue = Hsv(rng.Uniform(0.54, 0.64), rng.Uniform(0.2, 0.65), rng.Uniform(0.6, 0.95));
        double gx = rng.Uniform(-1, 1), gy = rng.Uniform(-1, 1), gAmp = rng.Uniform(0.1, 0.4);
        bool folds = rng.Chance(0.4);
        double fk = rng.Uniform(3, 9), fa = rng.Uniform(0, Math.PI);
        double band = rng.Chance(0.35) ? rng.Uniform(0.7, 0.9) : 2;
        var bandC = Hsv(rng.NextDouble(), rng.Uniform(0, 0.5), rng.Uniform(0.05, 0.35));
        bool highlight = rng.Chance(0.4);
        double hx = rng.Uniform(0.2, 0.8), hy = rng.Uniform(0.1, 0.6);
        uint seed = rng.NextSeed();
        Fill(img, size, (u, v) =>
        {
            double shade = 1 + gAmp * (gx * (u - 0.5) + gy * (v - 0.5));
            if (folds) shade *= 0.8 + 0.2 * Math.Sin((u * Math.Cos(fa) + v * Math.Sin(fa)) * fk * 2 * Math.PI + 2 * ValueNoise.Fbm(u * 3, v * 3, seed, 2));
            if (highlight) shade += 0.8 * Math.Exp(-((u - hx) * (u - hx) + (v - hy) * (v - hy)) / 0.01);
            shade *= 1 + 0.02 * (ValueNoise.Fbm(u * 40, v * 40, seed, 2) - 0.5);
            return v > band ? Scale(bandC, 0.9 + 0.2 * ValueNoise.Noise(u * 20, v * 20, seed)) : Scale(blue, shade);
        });
    }

    /// <summary>Hard-ish: asphalt, concrete or sand — grey or beige speckle with little structure, sometimes a painted line.</summary>
    private static void Asphalt(float[] img, int size, ref SkyRandom rng)
    {
        var c = Hsv(rng.Uniform(0.05, 0.14), rng.Uniform(0, 0.3), rng.Uniform(0.25, 0.75));
        uint seed = rng.NextSeed();
        double grain = rng.Uniform(40, 120);
        bool line = rng.Chance(0.3);
        double lx = rng.Uniform(0.2, 0.8), la = rng.Uniform(-0.3, 0.3);
        Fill(img, size, (u, v) =>
        {
            double speck = ValueNoise.Noise(u * grain, v * grain, seed) - 0.5;
            double stain = ValueNoise.Fbm(u * 3, v * 3, seed + 5, 3) - 0.5;
            var col = Scale(c, 1 + 0.35 * speck + 0.3 * stain);
            if (line && Math.Abs(u - lx - la * (v - 0.5)) < 0.03) col = Scale((0.8, 0.75, 0.5), 1 + 0.2 * speck);
            return col;
        });
    }
}
