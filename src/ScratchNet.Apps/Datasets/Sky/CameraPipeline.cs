namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Per-image camera settings: the nuisance factors a phone camera adds on top of the scene.
/// </summary>
/// <param name="ExposureEv">Exposure offset from auto-exposure, in stops (±0.5 ≈ a metering error).</param>
/// <param name="WhiteBalanceTemp">Colour-temperature error: red gain × (1 + t), blue gain × (1 − t).</param>
/// <param name="WhiteBalanceTint">Green–magenta error: green gain × (1 + g).</param>
/// <param name="NoiseSigma">Sensor noise standard deviation in encoded units (0–1 scale).</param>
/// <param name="BlurSigma">Optical blur / camera shake, Gaussian σ in pixels at the output size.</param>
internal readonly record struct CameraSettings(double ExposureEv, double WhiteBalanceTemp, double WhiteBalanceTint, double NoiseSigma, double BlurSigma)
{
    /// <summary>Draws moderate settings: strong enough to be nuisances, weak enough to keep the sky colour informative.</summary>
    public static CameraSettings Draw(ref SkyRandom rng) => new(
        ExposureEv: rng.Uniform(-0.5, 0.5),
        WhiteBalanceTemp: rng.Uniform(-0.08, 0.08),
        WhiteBalanceTint: rng.Uniform(-0.03, 0.03),
        NoiseSigma: rng.Uniform(0.4, 3.0) / 255.0,
        BlurSigma: rng.Chance(0.3) ? 0 : rng.Uniform(0.3, 0.9));
}

/// <summary>
/// "Develops" a linear-light HDR render into 8-bit sRGB the way a phone camera would:
/// optical blur → auto-exposure → white-balance gains → highlight shoulder → sRGB encoding → sensor noise → quantisation.
/// </summary>
/// <remarks>
/// Blur is applied in linear light (where optics act). Auto-exposure scales the image so that its mean
/// luminance (with outliers such as the sun disc clipped at 4× the mean) lands on a key value; because of it,
/// absolute brightness carries no label information, as with real phone photos, and a model has to use colour,
/// contrast and the haze gradient instead. The shoulder keeps values below 0.8 linear and rolls off above, so the
/// sun and bright clouds clip softly instead of posterising.
/// </remarks>
internal static class CameraPipeline
{
    private const int LutSize = 4096;
    private static readonly byte[] EncodeLut = BuildLut();

    private static byte[] BuildLut()
    {
        var lut = new byte[LutSize + 1];
        for (int i = 0; i <= LutSize; i++) lut[i] = (byte)Math.Round(ColorMath.SrgbEncode(i / (double)LutSize) * 255);
        return lut;
    }

    /// <summary>Turns the linear RGB buffer <paramref name="hdr"/> (size·size·3, modified in place) into sRGB bytes.</summary>
    public static byte[] Develop(float[] hdr, int size, CameraSettings cam, double key, ref SkyRandom rng)
    {
        if (cam.BlurSigma > 0.05) GaussianBlur(hdr, size, cam.BlurSigma);

        int n = size * size;
        double mean = 0;
        for (int i = 0; i < n; i++) mean += ColorMath.Luminance(hdr[3 * i], hdr[3 * i + 1], hdr[3 * i + 2]);
        mean /= n;
        double clipped = 0, cap = 4 * mean;
        for (int i = 0; i < n; i++) clipped += Math.Min(ColorMath.Luminance(hdr[3 * i], hdr[3 * i + 1], hdr[3 * i + 2]), cap);
        clipped = Math.Max(clipped / n, 1e-9);
        double scale = key * Math.Pow(2, cam.ExposureEv) / clipped;
        double gr = scale * (1 + cam.WhiteBalanceTemp), gg = scale * (1 + cam.WhiteBalanceTint), gb = scale * (1 - cam.WhiteBalanceTemp);

        var rgb = new byte[n * 3];
        for (int i = 0; i < n; i++)
        {
            // Luminance-correlated noise (photon shot + read noise mostly shows as grain) plus a little chroma noise.
            double lumaNoise = rng.Normal() * cam.NoiseSigma;
            rgb[3 * i] = Quantise(hdr[3 * i] * gr, lumaNoise + rng.Normal() * cam.NoiseSigma * 0.5);
            rgb[3 * i + 1] = Quantise(hdr[3 * i + 1] * gg, lumaNoise + rng.Normal() * cam.NoiseSigma * 0.5);
            rgb[3 * i + 2] = Quantise(hdr[3 * i + 2] * gb, lumaNoise + rng.Normal() * cam.NoiseSigma * 0.5);
        }
        return rgb;
    }

    private static byte Quantise(double linear, double noise)
    {
        double v = Shoulder(linear);
        double enc = EncodeLut[(int)(Math.Clamp(v, 0, 1) * LutSize)] + noise * 255 + 0.5;
        return (byte)Math.Clamp((int)Math.Floor(enc), 0, 255);
    }

    /// <summary>Identity below 0.8, exponential roll-off to 1 above.</summary>
    private static double Shoulder(double x) => x < 0.8 ? x : 0.8 + 0.2 * (1 - Math.Exp(-(x - 0.8) / 0.2));

    /// <summary>Separable Gaussian blur with clamped edges, in place.</summary>
    public static void GaussianBlur(float[] img, int size, double sigma)
    {
        int radius = Math.Max(1, (int)Math.Ceiling(2.5 * sigma));
        var k = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++) sum += k[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.Length; i++) k[i] /= sum;

        var tmp = new float[img.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++)
                {
                    float acc = 0;
                    for (int i = -radius; i <= radius; i++)
                        acc += k[i + radius] * img[(y * size + Math.Clamp(x + i, 0, size - 1)) * 3 + c];
                    tmp[(y * size + x) * 3 + c] = acc;
                }
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                for (int c = 0; c < 3; c++)
                {
                    float acc = 0;
                    for (int i = -radius; i <= radius; i++)
                        acc += k[i + radius] * tmp[(Math.Clamp(y + i, 0, size - 1) * size + x) * 3 + c];
                    img[(y * size + x) * 3 + c] = acc;
                }
    }
}
