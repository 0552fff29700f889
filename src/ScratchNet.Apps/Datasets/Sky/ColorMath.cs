namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>Colour-space helpers: CIE xyY → linear sRGB, luminance, the sRGB transfer curve.</summary>
internal static class ColorMath
{
    /// <summary>
    /// CIE xyY → linear sRGB (D65). X = x·Y/y, Z = (1 − x − y)·Y/y, then the standard XYZ→sRGB matrix.
    /// Negative components (out-of-gamut chromaticities) are clipped to 0.
    /// </summary>
    public static (double R, double G, double B) XyYToLinearRgb(double x, double y, double Y)
    {
        if (y <= 1e-9) return (0, 0, 0);
        double X = x * Y / y, Z = (1 - x - y) * Y / y;
        double r = 3.2406 * X - 1.5372 * Y - 0.4986 * Z;
        double g = -0.9689 * X + 1.8758 * Y + 0.0415 * Z;
        double b = 0.0557 * X - 0.2040 * Y + 1.0570 * Z;
        return (Math.Max(r, 0), Math.Max(g, 0), Math.Max(b, 0));
    }

    /// <summary>Relative luminance of linear sRGB (Rec. 709 weights).</summary>
    public static double Luminance(double r, double g, double b) => 0.2126 * r + 0.7152 * g + 0.0722 * b;

    /// <summary>The sRGB opto-electronic transfer function (linear → encoded), input clamped to [0, 1].</summary>
    public static double SrgbEncode(double v)
    {
        v = Math.Clamp(v, 0, 1);
        return v <= 0.0031308 ? 12.92 * v : 1.055 * Math.Pow(v, 1 / 2.4) - 0.055;
    }

    /// <summary>Inverse of <see cref="SrgbEncode"/>: encoded [0, 1] → linear.</summary>
    public static double SrgbDecode(double v) => v <= 0.04045 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);

    public static double Smoothstep(double e0, double e1, double x)
    {
        double t = Math.Clamp((x - e0) / (e1 - e0), 0, 1);
        return t * t * (3 - 2 * t);
    }

    public static double Lerp(double a, double b, double t) => a + (b - a) * t;
}
