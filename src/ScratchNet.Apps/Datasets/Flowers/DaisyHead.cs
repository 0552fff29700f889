using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A daisy-like head: 14–34 thin, slightly irregular ray petals radiating from under a textured yellow/orange disc,
/// often with a second, darker ring of petals showing between them.
/// </summary>
/// <remarks>
/// <para><b>Petal.</b> In the petal's own frame (u along its axis from the head centre, v across) it spans
/// u ∈ [r₀, r₁] with half-width h(t) = w·√(1 − ((t − m)/m')²), t = (u − r₀)/(r₁ − r₀): two half-ellipses meeting at
/// the widest point m ≈ 0.6, so the base tapers and the tip is round. The axis bends by b·t²·(r₁ − r₀) (petals curl).
/// The signed distance is |v − bend| − h(t) inside the span and the distance to the end point beyond it. Widths are
/// tied to the spacing: w ≈ (0.75–1.05)·π·r_mid/n so neighbours nearly touch, clamped to [0.05, 0.12] so that a petal
/// stays at least ~3.5 times as long as it is wide, yet is about a pixel wide even on the smallest head at 64 px
/// (radius ≈ 10 px) — thinner, its colour would drown in the background.</para>
/// <para><b>Shading.</b> The head is a shallow bowl (petals rise towards the tips), each petal a shallow trough across
/// its width; both tilt the normal, so one side of a petal catches the light. Petal bases darken in the disc's shadow,
/// top petals cast a thin contact shadow on the under ring, and the disc is a textured dome (florets as value noise,
/// a lighter pollen rim, sometimes an unopened greenish centre).</para>
/// </remarks>
internal sealed class DaisyHead : IFlowerHead
{
    private readonly record struct Petal(double Cos, double Sin, double R0, double R1, double HalfWidth, double Widest,
                                         double Bend, Rgb Colour, bool Top);

    private readonly Petal[] _petals; // drawn in order: under ring first
    private readonly double _discRadius, _bowl, _crease, _rimLight, _budRadius;
    private readonly Rgb _discColour, _budColour;
    private readonly uint _discSeed;

    private DaisyHead(Petal[] petals, double discRadius, Rgb discColour, Rgb budColour, double budRadius, double bowl, double crease, double rimLight, uint discSeed)
    {
        _petals = petals;
        _discRadius = discRadius;
        _discColour = discColour;
        _budColour = budColour;
        _budRadius = budRadius;
        _bowl = bowl;
        _crease = crease;
        _rimLight = rimLight;
        _discSeed = discSeed;
        Reach = petals.Max(p => p.R1 + Math.Abs(p.Bend) * (p.R1 - p.R0)) + 0.05;
    }

    /// <inheritdoc/>
    public double Reach { get; }

    /// <summary>Draws a daisy with petals of albedo around <paramref name="petalColour"/>.</summary>
    public static DaisyHead Draw(Rgb petalColour, FlowerColour label, ref SkyRandom rng)
    {
        int n = rng.Int(14, 35);
        double disc = rng.Uniform(0.17, 0.29);
        double baseLength = rng.Uniform(0.88, 1.0);
        double widthFactor = rng.Uniform(0.75, 1.05);
        double phase = rng.Uniform(0, 2 * Math.PI);
        var petals = new List<Petal>();

        // Under ring: offset by half a spacing, a little shorter and darker (it is in the top ring's shade).
        if (rng.Chance(0.65))
        {
            int m = n + rng.Int(-2, 3);
            for (int i = 0; i < m; i++)
                petals.Add(DrawPetal(phase + (i + 0.5) * 2 * Math.PI / m, m, disc, baseLength * 0.92, widthFactor, petalColour * 0.8, false, ref rng));
        }
        for (int i = 0; i < n; i++)
            petals.Add(DrawPetal(phase + i * 2 * Math.PI / n, n, disc, baseLength, widthFactor, petalColour, true, ref rng));

        var discColour = PetalPalette.Disc(label, ref rng);
        // Some daisies still have the unopened, greener florets in the middle of the disc.
        var bud = rng.Chance(0.45) ? Rgb.Lerp(discColour, Rgb.FromHsv(rng.Uniform(60, 85), 0.7, 0.45), rng.Uniform(0.4, 0.8)) : discColour * 0.85;
        return new DaisyHead(petals.ToArray(), disc, discColour, bud, disc * rng.Uniform(0.3, 0.55),
            bowl: rng.Uniform(0.1, 0.4), crease: rng.Uniform(0.15, 0.45), rimLight: rng.Uniform(1.05, 1.25), rng.NextSeed());
    }

    private static Petal DrawPetal(double angle, int n, double disc, double length, double widthFactor, Rgb colour, bool top, ref SkyRandom rng)
    {
        angle += rng.Uniform(-0.22, 0.22) * 2 * Math.PI / n;
        double r1 = length * rng.Uniform(0.86, 1.04);
        if (rng.Chance(0.1)) r1 *= rng.Uniform(0.65, 0.85); // a drooping or folded petal looks short from above
        double r0 = disc * 0.55;
        double mid = (r0 + r1) / 2;
        double half = Math.Clamp(widthFactor * Math.PI * mid / n * rng.Uniform(0.8, 1.2), 0.05, 0.12);
        return new Petal(Math.Cos(angle), Math.Sin(angle), r0, r1, half, rng.Uniform(0.5, 0.7), rng.Uniform(-0.12, 0.12),
                         PetalPalette.Vary(colour, ref rng), top);
    }

    /// <inheritdoc/>
    public ShapeSample Shade(double x, double y, double footprint, in SceneLight light)
    {
        double rho = Math.Sqrt(x * x + y * y);
        if (rho > Reach) return default;
        var stack = new Layering();
        foreach (ref readonly var p in _petals.AsSpan())
        {
            // The petal frame: u along the axis from the head centre, v across it.
            double u = p.Cos * x + p.Sin * y, v = -p.Sin * x + p.Cos * y;
            double len = p.R1 - p.R0;
            if (u < p.R0 - 0.05 || u > p.R1 + 0.05 || Math.Abs(v) > p.HalfWidth + Math.Abs(p.Bend) * len + 0.05) continue;
            double t = Math.Clamp((u - p.R0) / len, 0, 1);
            double vc = v - p.Bend * len * t * t;
            double d = Sdf.Blade(u, vc, p.R0, p.R1, p.HalfWidth, p.Widest, pointed: false);

            if (p.Top) stack.Shade(Sdf.Shadow(d, 0.035, 0.3));
            double cov = Sdf.Coverage(d, footprint);
            if (cov <= 0) continue;

            // Normal: the bowl tilts it towards the centre, the trough across the petal tilts it towards the axis.
            double across = Math.Clamp(vc / p.HalfWidth, -1, 1);
            double nx = -_bowl * x / Math.Max(rho, 1e-6) * Math.Min(1, rho) + _crease * across * -p.Sin;
            double ny = -_bowl * y / Math.Max(rho, 1e-6) * Math.Min(1, rho) + _crease * across * p.Cos;
            var shade = light.Irradiance(new Vec3(nx, ny, 1).Normalized());
            // The midrib catches a little more light; the base sits in the disc's shadow.
            double tone = (1 + 0.08 * (1 - across * across)) * (1 - 0.35 * Math.Exp(-Math.Max(0, u - _discRadius) / 0.06));
            stack.Over(p.Colour * shade * tone, cov, FlowerPart.Petal);
        }

        // A slightly irregular rim: noise sampled on a circle (not on the angle, which would leave a seam at ±π).
        double cx = rho > 1e-9 ? x / rho : 1, cy = rho > 1e-9 ? y / rho : 0;
        double discEdge = _discRadius * (1 + 0.05 * (ValueNoise.Noise(cx * 2 + 10, cy * 2 + 10, _discSeed) - 0.5));
        double dd = rho - discEdge;
        stack.Shade(Sdf.Shadow(dd, 0.06, 0.35));
        double discCov = Sdf.Coverage(dd, footprint);
        if (discCov > 0) stack.Over(DiscColour(x, y, rho, light), discCov, FlowerPart.Disc);
        return stack.Result;
    }

    /// <summary>The disc as a dome of florets: noise texture, a lighter pollen rim, an optional greener bud in the middle.</summary>
    private Rgb DiscColour(double x, double y, double rho, in SceneLight light)
    {
        double k = 0.75 / _discRadius; // dome: the normal leans outwards by up to ~37°
        var n = new Vec3(x * k, y * k, 1).Normalized();
        double scale = 10 / _discRadius; // ~20 florets across
        double florets = 0.78 + 0.44 * ValueNoise.Noise(x * scale, y * scale, _discSeed);
        var albedo = rho < _budRadius ? _budColour : _discColour;
        if (rho > _discRadius * 0.7) albedo *= _rimLight;
        return albedo * florets * light.Irradiance(n);
    }
}
