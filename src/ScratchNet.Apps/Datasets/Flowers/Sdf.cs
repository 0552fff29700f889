namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>Signed distances (negative inside) of the few primitives the shapes are built from, and coverage from them.</summary>
internal static class Sdf
{
    /// <summary>
    /// Approximate signed distance to the axis-aligned ellipse x²/a² + y²/b² = 1: with k₀ = |(x/a, y/b)| and
    /// k₁ = |(x/a², y/b²)|, d ≈ k₀(k₀ − 1)/k₁ — the implicit function divided by its gradient length, exact on the
    /// curve and good to a few per cent within a petal width of it.
    /// </summary>
    public static double Ellipse(double x, double y, double a, double b)
    {
        double k0 = Math.Sqrt(x * x / (a * a) + y * y / (b * b));
        double k1 = Math.Sqrt(x * x / (a * a * a * a) + y * y / (b * b * b * b));
        return k1 > 1e-12 ? k0 * (k0 - 1) / k1 : -Math.Min(a, b);
    }

    /// <summary>
    /// Signed distance to a blade (petal, sepal, leaf) lying along the u axis from u = <paramref name="r0"/> to
    /// <paramref name="r1"/>. With t = (u − r₀)/(r₁ − r₀) and s the signed offset from the widest point m, scaled to
    /// [−1, 1] on either side of it, the half-width is h = w·√(1 − s²) (round ends) or w·(1 − s²) (pointed ends).
    /// Inside the span the distance is |v| − h(t); beyond it, the distance to the end point. Not exact where h
    /// changes quickly, but within a sample of it at the edge, which is all anti-aliasing needs.
    /// </summary>
    public static double Blade(double u, double v, double r0, double r1, double halfWidth, double widest, bool pointed)
    {
        double len = r1 - r0, t = (u - r0) / len;
        if (t < 0) return Math.Sqrt(v * v + t * len * t * len);
        if (t > 1) return Math.Sqrt(v * v + (t - 1) * len * (t - 1) * len);
        double s = (t - widest) / (t < widest ? widest : 1 - widest);
        double q = Math.Max(0, 1 - s * s);
        return Math.Abs(v) - halfWidth * (pointed ? q : Math.Sqrt(q));
    }

    /// <summary>
    /// Coverage of a pixel of width <paramref name="footprint"/> by the inside of a shape at signed distance
    /// <paramref name="d"/>: a linear ramp across one footprint, which is the exact box-filtered coverage of a straight edge.
    /// </summary>
    public static double Coverage(double d, double footprint) => Math.Clamp(0.5 - d / footprint, 0, 1);

    /// <summary>A contact shadow: <paramref name="strength"/> at the edge (d = 0) fading to 0 at d = <paramref name="width"/>; 0 inside.</summary>
    public static double Shadow(double d, double width, double strength) =>
        d <= 0 || d >= width ? 0 : strength * (1 - d / width) * (1 - d / width);

    /// <summary>The point (x, y) in the frame of a piece centred at (cx, cy) whose first axis is the unit vector (cos, sin).</summary>
    public static (double U, double V) ToFrame(double x, double y, double cx, double cy, double cos, double sin)
    {
        double dx = x - cx, dy = y - cy;
        return (cos * dx + sin * dy, -sin * dx + cos * dy);
    }
}
