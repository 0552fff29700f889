using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A pointed leaf blade, used on stems and in the foliage background. Units are whatever the caller uses
/// (pixels or frame fractions), as long as the footprint passed to <see cref="Sample"/> matches.
/// </summary>
/// <remarks>
/// The blade runs from its base (<see cref="X"/>, <see cref="Y"/>) along direction (cos, sin) for
/// <see cref="Length"/>, half-width <see cref="HalfWidth"/> at 40 % of its length and pointed at both ends
/// (<see cref="Sdf.Blade"/>). It is folded along the midrib: each half's normal leans out by <see cref="Fold"/>, so
/// one half faces the light and the other is darker, and the midrib itself shows as a thin lighter line.
/// </remarks>
internal readonly record struct Leaf(double X, double Y, double Cos, double Sin, double Length, double HalfWidth, double Fold, Rgb Colour)
{
    /// <summary>Draws a leaf based at (x, y) pointing along <paramref name="angle"/>.</summary>
    public static Leaf Draw(double x, double y, double angle, double length, ref SkyRandom rng, double brightness = 1) =>
        new(x, y, Math.Cos(angle), Math.Sin(angle), length, length * rng.Uniform(0.17, 0.3), rng.Uniform(0.2, 0.6),
            PetalPalette.Green(ref rng, brightness));

    /// <summary>A loose bounding radius around the base point.</summary>
    public double Reach => Length + HalfWidth;

    /// <summary>Coverage and lit colour at (x, y); coverage 0 when outside.</summary>
    public (double Coverage, Rgb Colour) Sample(double x, double y, double footprint, in SceneLight light)
    {
        double dx = x - X, dy = y - Y;
        double u = Cos * dx + Sin * dy, v = -Sin * dx + Cos * dy;
        if (u < -footprint || u > Length + footprint || Math.Abs(v) > HalfWidth + footprint) return (0, default);
        double d = Sdf.Blade(u, v, 0, Length, HalfWidth, 0.4, pointed: true);
        double cov = Sdf.Coverage(d, footprint);
        if (cov <= 0) return (0, default);
        double side = v >= 0 ? 1 : -1;
        // Normal of the folded half, turned from the leaf frame into the caller's frame.
        double nu = 0, nv = side * Fold;
        var n = new Vec3(Cos * nu - Sin * nv, Sin * nu + Cos * nv, 1).Normalized();
        double t = Math.Clamp(u / Length, 0, 1);
        double tone = (0.85 + 0.25 * t) * (Math.Abs(v) < 0.1 * HalfWidth ? 1.25 : 1);
        return (cov, Colour * tone * light.Irradiance(n));
    }
}
