using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A stem from under a flower head out of the frame, curved, with 0–2 leaves along it. Planned in frame fractions,
/// drawn in output pixels.
/// </summary>
/// <remarks>
/// The stem is the quadratic Bézier B(t) = (1−t)²P₀ + 2t(1−t)P₁ + t²P₂ from the head centre P₀, flattened into
/// <see cref="Segments"/> straight pieces; its signed distance is the distance to the nearest piece minus the
/// half-width, which tapers by a third towards the head. The stem is a cylinder: its normal turns across its width,
/// so one side is lit.
/// </remarks>
internal sealed class StemShape : IForegroundShape
{
    private const int Segments = 16;
    private readonly (double X, double Y)[] _points;
    private readonly double _halfWidth;
    private readonly Rgb _colour;
    private readonly Leaf[] _leaves;
    private readonly SceneLight _light;

    private StemShape((double X, double Y)[] points, double halfWidth, Rgb colour, Leaf[] leaves, SceneLight light)
    {
        _points = points;
        _halfWidth = halfWidth;
        _colour = colour;
        _leaves = leaves;
        _light = light;
    }

    /// <summary>The random part of a stem, in frame fractions; <see cref="At"/> turns it into a drawable shape.</summary>
    public readonly record struct Plan((double X, double Y)[] Points, double HalfWidth, Rgb Colour, Leaf[] Leaves);

    /// <summary>Draws a stem leaving a head of radius <paramref name="radius"/> at (x, y), heading roughly downwards.</summary>
    public static Plan Draw(double x, double y, double radius, ref SkyRandom rng)
    {
        double heading = Math.PI / 2 + rng.Uniform(-0.65, 0.65); // image y points down
        double length = 1.6;                                      // long enough to leave the frame from anywhere
        double bend = rng.Uniform(-0.25, 0.25);
        double ex = x + Math.Cos(heading) * length, ey = y + Math.Sin(heading) * length;
        double cx = (x + ex) / 2 - Math.Sin(heading) * bend * length / 2, cy = (y + ey) / 2 + Math.Cos(heading) * bend * length / 2;
        var points = new (double, double)[Segments + 1];
        for (int i = 0; i <= Segments; i++)
        {
            double t = i / (double)Segments, a = (1 - t) * (1 - t), b = 2 * t * (1 - t), c = t * t;
            points[i] = (a * x + b * cx + c * ex, a * y + b * cy + c * ey);
        }

        var leaves = new List<Leaf>();
        int count = rng.Pick([0.35, 0.4, 0.25]);
        for (int i = 0; i < count; i++)
        {
            // Leaves sit just beyond the head (where they are still likely in frame); the Bézier parameter is
            // close enough to arc length along this gentle curve.
            int k = Math.Clamp((int)(Segments * radius * rng.Uniform(0.9, 1.7) / length), 1, Segments - 1);
            var (px, py) = points[k];
            var (qx, qy) = points[k + 1];
            double tangent = Math.Atan2(qy - py, qx - px);
            double side = (i % 2 == 0 ? 1 : -1) * (rng.Chance(0.5) ? 1 : -1);
            leaves.Add(Leaf.Draw(px, py, tangent + side * rng.Uniform(0.5, 1.1), radius * rng.Uniform(0.6, 1.1), ref rng));
        }
        return new Plan(points, Math.Max(0.006, radius * rng.Uniform(0.05, 0.09)), PetalPalette.Green(ref rng), leaves.ToArray());
    }

    /// <summary>The stem of <paramref name="plan"/> in output pixels for an image of side <paramref name="size"/>.</summary>
    public static StemShape At(Plan plan, double size, SceneLight light) => new(
        plan.Points.Select(p => (p.X * size, p.Y * size)).ToArray(), plan.HalfWidth * size, plan.Colour,
        plan.Leaves.Select(l => l with { X = l.X * size, Y = l.Y * size, Length = l.Length * size, HalfWidth = l.HalfWidth * size }).ToArray(),
        light);

    /// <inheritdoc/>
    public (int X0, int Y0, int X1, int Y1) Bounds(int size)
    {
        double x0 = double.MaxValue, y0 = double.MaxValue, x1 = double.MinValue, y1 = double.MinValue;
        foreach (var (x, y) in _points) { x0 = Math.Min(x0, x); y0 = Math.Min(y0, y); x1 = Math.Max(x1, x); y1 = Math.Max(y1, y); }
        foreach (var l in _leaves) { x0 = Math.Min(x0, l.X - l.Reach); y0 = Math.Min(y0, l.Y - l.Reach); x1 = Math.Max(x1, l.X + l.Reach); y1 = Math.Max(y1, l.Y + l.Reach); }
        double pad = _halfWidth + 1;
        return (Math.Max(0, (int)(x0 - pad)), Math.Max(0, (int)(y0 - pad)), Math.Min(size, (int)Math.Ceiling(x1 + pad)), Math.Min(size, (int)Math.Ceiling(y1 + pad)));
    }

    /// <inheritdoc/>
    public ShapeSample Sample(double x, double y, double footprint)
    {
        var stack = new Layering();
        double best = double.MaxValue, across = 0, along = 0, nx = 0, ny = 0;
        for (int i = 0; i < Segments; i++)
        {
            var (ax, ay) = _points[i];
            var (bx, by) = _points[i + 1];
            double vx = bx - ax, vy = by - ay, len2 = vx * vx + vy * vy;
            double t = Math.Clamp(((x - ax) * vx + (y - ay) * vy) / len2, 0, 1);
            double px = ax + t * vx - x, py = ay + t * vy - y;
            double dist = Math.Sqrt(px * px + py * py);
            if (dist < best)
            {
                best = dist;
                along = (i + t) / Segments;
                // Signed offset across the segment, and the segment's unit normal in the image plane.
                across = (vx * (y - ay) - vy * (x - ax)) >= 0 ? dist : -dist;
                double len = Math.Sqrt(len2);
                (nx, ny) = (-vy / len, vx / len);
            }
        }
        double half = _halfWidth * (0.67 + 0.33 * Math.Min(1, along * 3));
        double cov = Sdf.Coverage(best - half, footprint);
        if (cov > 0)
        {
            double s = Math.Clamp(across / half, -1, 1);
            // A cylinder: the normal turns from the camera towards the side by the offset across the stem.
            var n = new Vec3(nx * s, ny * s, Math.Sqrt(Math.Max(0.05, 1 - s * s))).Normalized();
            stack.Over(_colour * _light.Irradiance(n), cov, FlowerPart.Other);
        }
        foreach (var leaf in _leaves)
        {
            var (lc, colour) = leaf.Sample(x, y, footprint, _light);
            stack.Over(colour, lc, FlowerPart.Other);
        }
        return stack.Result;
    }
}
