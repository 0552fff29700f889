using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A rose-like head: 4–6 rings of overlapping, cupped round petals, each ring smaller and turned by the golden
/// angle against the last, so the layers read as a spiral closing into a tight, dark, swirled centre.
/// </summary>
/// <remarks>
/// <para><b>Petal.</b> A petal of ring i is an ellipse laid along the ring, in polar coordinates about the head centre:
/// radial offset ρ − cᵢ (semi-axis aᵢ) and arc length cᵢ·Δθ (semi-axis bᵢ), where Δθ is the angle from the petal's
/// centre. Bent along the circle like that, inner petals become the curved, wrapping bands of a real rose. Ring i has
/// scale sᵢ = qⁱ (q = 0.66–0.76) with cᵢ ≈ 0.52·sᵢ and aᵢ ≈ 0.48·sᵢ, so the outer ring's tips reach radius ≈ 1;
/// bᵢ = (1.25–1.6)·(1 + 0.15 i)·π·cᵢ/kᵢ for kᵢ petals, so neighbours overlap like shingles.</para>
/// <para><b>Shading.</b> Petals are cups: inside a petal with normalised coordinates (u radial, v along the ring) the
/// surface normal leans towards the cup's middle by (−u, −v)·cup, on top of the whole head's dome. The rolled outer rim
/// is lighter, the cup's inner half darker, and everything darkens towards the centre (deep layers get less light).
/// Each petal casts a soft contact shadow on the petals it covers, which draws the dark lines between layers. The
/// centre is a dark bud crossed by a two-armed logarithmic spiral groove. Roses sometimes show their green sepals
/// between the outer petals.</para>
/// <para><b>Open roses.</b> One in five is fully open: only 2–3 rings, and in the middle a ring of yellow stamens
/// around a green-gold pistil instead of the bud. Like a daisy's disc, it is a yellow centre, so "yellow in the
/// middle" alone does not tell the types apart — the petals' shape has to.</para>
/// </remarks>
internal sealed class RoseHead : IFlowerHead
{
    private readonly record struct Petal(double Angle, double Center, double Radial, double Along, double Scale, Rgb Colour);

    private readonly record struct Sepal(double Cos, double Sin, double Length, double HalfWidth, Rgb Colour);

    private readonly Sepal[] _sepals; // drawn first, under everything
    private readonly Petal[] _petals; // outer ring first
    private readonly double _budRadius, _spiralTwist, _spiralPhase, _dome, _cup;
    private readonly Rgb _budColour;
    private readonly bool _open;
    private readonly uint _stamenSeed;

    private RoseHead(Sepal[] sepals, Petal[] petals, double budRadius, Rgb budColour, double spiralTwist, double spiralPhase, double dome, double cup,
                     bool open, uint stamenSeed)
    {
        _open = open;
        _stamenSeed = stamenSeed;
        _sepals = sepals;
        _petals = petals;
        _budRadius = budRadius;
        _budColour = budColour;
        _spiralTwist = spiralTwist;
        _spiralPhase = spiralPhase;
        _dome = dome;
        _cup = cup;
        Reach = Math.Max(petals.Max(p => p.Center + p.Radial), sepals.Length == 0 ? 0 : sepals.Max(s => s.Length)) + 0.05;
    }

    /// <inheritdoc/>
    public double Reach { get; }

    /// <summary>Draws a rose with petals of albedo around <paramref name="petalColour"/>.</summary>
    public static RoseHead Draw(Rgb petalColour, ref SkyRandom rng)
    {
        bool open = rng.Chance(0.2);
        int rings = open ? rng.Int(2, 4) : rng.Int(4, 7);
        double q = rng.Uniform(0.66, 0.76);
        double angle = rng.Uniform(0, 2 * Math.PI);
        var petals = new List<Petal>();
        for (int i = 0; i < rings; i++)
        {
            double s = Math.Pow(q, i);
            int k = i == 0 ? rng.Int(5, 8) : i <= 2 ? rng.Int(4, 6) : rng.Int(3, 5);
            angle += 2.39996; // the golden angle keeps rings from lining up, which reads as a spiral
            double c = 0.52 * s * rng.Uniform(0.95, 1.05);
            for (int j = 0; j < k; j++)
            {
                double a = 0.48 * s * rng.Uniform(0.88, 1.08);
                // Inner petals wrap further round the ring (they are furled), which reads as the spiral.
                double b = rng.Uniform(1.25, 1.6) * (1 + 0.15 * i) * Math.PI * c / k;
                double phi = angle + 2 * Math.PI * (j + rng.Uniform(-0.15, 0.15)) / k;
                petals.Add(new Petal(phi, c, a, b, s, PetalPalette.Vary(petalColour, ref rng)));
            }
        }

        var sepals = new List<Sepal>();
        if (rng.Chance(0.5))
        {
            var green = PetalPalette.Green(ref rng, 0.9);
            double phase = rng.Uniform(0, 2 * Math.PI);
            for (int j = 0; j < 5; j++)
            {
                double phi = phase + 2 * Math.PI * (j + rng.Uniform(-0.12, 0.12)) / 5;
                sepals.Add(new Sepal(Math.Cos(phi), Math.Sin(phi), rng.Uniform(0.95, 1.25), rng.Uniform(0.05, 0.09), green));
            }
        }

        double bud = (open ? 0.45 : 0.5) * Math.Pow(q, rings) * rng.Uniform(0.9, 1.3);
        var budColour = open ? Rgb.FromHsv(rng.Uniform(40, 52), rng.Uniform(0.75, 0.95), rng.Uniform(0.8, 0.95)) : petalColour * rng.Uniform(0.45, 0.65);
        return new RoseHead(sepals.ToArray(), petals.ToArray(), bud, budColour,
            spiralTwist: rng.Uniform(2.5, 4.5), spiralPhase: rng.Uniform(0, 2 * Math.PI), dome: rng.Uniform(0.15, 0.4), cup: rng.Uniform(0.3, 0.7),
            open, rng.NextSeed());
    }

    /// <inheritdoc/>
    public ShapeSample Shade(double x, double y, double footprint, in SceneLight light)
    {
        double rho = Math.Sqrt(x * x + y * y);
        if (rho > Reach) return default;
        double theta = Math.Atan2(y, x);
        double erx = rho > 1e-9 ? x / rho : 1, ery = rho > 1e-9 ? y / rho : 0; // radial unit vector; tangent is (−ery, erx)
        var stack = new Layering();

        foreach (ref readonly var s in _sepals.AsSpan())
        {
            double u = s.Cos * x + s.Sin * y, v = -s.Sin * x + s.Cos * y;
            double d = Sdf.Blade(u, v, 0.3, s.Length, s.HalfWidth, 0.35, pointed: true);
            double cov = Sdf.Coverage(d, footprint);
            if (cov > 0) stack.Over(s.Colour * light.Irradiance(new Vec3(erx * 0.3, ery * 0.3, 1).Normalized()), cov, FlowerPart.Other);
        }

        foreach (ref readonly var p in _petals.AsSpan())
        {
            double dTheta = Math.IEEERemainder(theta - p.Angle, 2 * Math.PI);
            double ru = rho - p.Center, rv = p.Center * dTheta;
            if (Math.Abs(ru) > p.Radial + 0.12 || Math.Abs(rv) > p.Along + 0.12) continue;
            double d = Sdf.Ellipse(ru, rv, p.Radial, p.Along);
            stack.Shade(Sdf.Shadow(d, 0.04 + 0.08 * p.Scale, 0.6));
            double cov = Sdf.Coverage(d, footprint);
            if (cov <= 0) continue;

            double u = ru / p.Radial, v = rv / p.Along;
            // Cup (normal towards the petal's middle) on a dome (normal away from the head centre).
            double nr = _dome * Math.Min(rho, 1) - _cup * u, nt = -_cup * v;
            var shade = light.Irradiance(new Vec3(nr * erx - nt * ery, nr * ery + nt * erx, 1).Normalized());
            double tone = 0.78 + 0.22 * Math.Clamp((u + 1) / 2, 0, 1);        // the cup's inner half is in shade
            tone *= 0.35 + 0.65 * Math.Pow(Math.Min(1, rho / 0.85), 0.7);      // deeper layers get less light
            if (u > 0) tone *= 1 + 0.3 * Math.Clamp(1 + d / (0.06 * p.Scale + 0.01), 0, 1); // rolled rim catches light
            stack.Over(p.Colour * shade * tone, cov, FlowerPart.Petal);
        }

        double db = rho - _budRadius;
        stack.Shade(Sdf.Shadow(db, 0.05, 0.4));
        double budCov = Sdf.Coverage(db, footprint);
        if (budCov > 0 && _open)
            stack.Over(StamenColour(x, y, rho, light), budCov, FlowerPart.Disc);
        else if (budCov > 0)
        {
            // Two spiral arms ψ = 2(θ − twist·ln ρ): the groove is dark where ψ is near a multiple of 2π.
            double psi = 2 * (theta - _spiralPhase - _spiralTwist * Math.Log(Math.Max(rho, 1e-4) / _budRadius));
            double groove = Math.Pow(0.5 + 0.5 * Math.Cos(psi), 6);
            stack.Over(_budColour * (1 - 0.6 * groove) * light.Irradiance(new Vec3(0, 0, 1)), budCov, FlowerPart.Petal);
        }
        return stack.Result;
    }

    /// <summary>An open rose's centre: a ring of yellow anthers (noise dots) around a green-gold pistil.</summary>
    private Rgb StamenColour(double x, double y, double rho, in SceneLight light)
    {
        double scale = 7 / _budRadius;
        double dots = ValueNoise.Noise(x * scale, y * scale, _stamenSeed);
        var albedo = rho < 0.35 * _budRadius ? Rgb.Lerp(_budColour, Rgb.FromHsv(75, 0.6, 0.5), 0.6) : _budColour * (0.6 + 0.6 * dots);
        return albedo * light.Irradiance(new Vec3(0, 0, 1));
    }
}
