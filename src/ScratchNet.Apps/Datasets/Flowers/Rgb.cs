namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>A linear-light RGB triple (albedo or radiance), with the little arithmetic the renderer needs.</summary>
internal readonly record struct Rgb(double R, double G, double B)
{
    public static Rgb operator *(Rgb c, double k) => new(c.R * k, c.G * k, c.B * k);

    public static Rgb operator *(Rgb a, Rgb b) => new(a.R * b.R, a.G * b.G, a.B * b.B);

    public static Rgb operator +(Rgb a, Rgb b) => new(a.R + b.R, a.G + b.G, a.B + b.B);

    /// <summary>a + (b − a)·t per channel.</summary>
    public static Rgb Lerp(Rgb a, Rgb b, double t) => new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

    /// <summary>Grey of the given level.</summary>
    public static Rgb Grey(double v) => new(v, v, v);

    /// <summary>
    /// From sRGB-encoded hue (degrees, any range), saturation and value in [0, 1] to linear RGB: the usual hexcone
    /// HSV → sRGB, then the sRGB decoding curve. Colours are specified in HSV because that is how a person names them.
    /// </summary>
    public static Rgb FromHsv(double hueDeg, double s, double v)
    {
        double h = ((hueDeg % 360) + 360) % 360 / 60;
        s = Math.Clamp(s, 0, 1);
        v = Math.Clamp(v, 0, 1);
        double c = v * s, x = c * (1 - Math.Abs(h % 2 - 1)), m = v - c;
        (double r, double g, double b) = (int)h switch
        {
            0 => (c, x, 0.0),
            1 => (x, c, 0.0),
            2 => (0.0, c, x),
            3 => (0.0, x, c),
            4 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        return new(Sky.ColorMath.SrgbDecode(r + m), Sky.ColorMath.SrgbDecode(g + m), Sky.ColorMath.SrgbDecode(b + m));
    }
}
