using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// The petal colour of each label as a distribution in sRGB-encoded HSV, turned into a linear albedo.
/// </summary>
/// <remarks>
/// <para>Neighbouring labels touch in hue and differ in saturation, as real red, pink and white flowers do:</para>
/// <list type="table">
/// <listheader><term>label</term><description>hue (°) · saturation · value</description></listheader>
/// <item><term>red</term><description>−14…+8 (crimson to scarlet) · 0.74–0.97 · 0.50–0.85</description></item>
/// <item><term>pink</term><description>−32…−4 (magenta-pink to salmon-pink) · 0.30–0.56 · 0.80–0.98</description></item>
/// <item><term>white</term><description>cream, blush or green-white · 0.00–0.08 · 0.86–0.97</description></item>
/// <item><term>yellow</term><description>40…56 · 0.66–0.95 · 0.84–0.98</description></item>
/// </list>
/// <para>The saturation gaps (0.56 → 0.74 and 0.08 → 0.30) keep the classes separable after lighting, white
/// balance and noise shift them, yet a dark pink and a pale red are close, as in photos. Values stay below 1 so
/// lit petals are not all clipped.</para>
/// </remarks>
internal static class PetalPalette
{
    /// <summary>Draws one flower's base petal albedo for <paramref name="colour"/>.</summary>
    public static Rgb Draw(FlowerColour colour, ref SkyRandom rng)
    {
        switch (colour)
        {
            case FlowerColour.Red: return Rgb.FromHsv(rng.Uniform(-14, 8), rng.Uniform(0.74, 0.97), rng.Uniform(0.50, 0.85));
            case FlowerColour.Pink: return Rgb.FromHsv(rng.Uniform(-32, -4), rng.Uniform(0.30, 0.56), rng.Uniform(0.80, 0.98));
            case FlowerColour.Yellow: return Rgb.FromHsv(rng.Uniform(40, 56), rng.Uniform(0.66, 0.95), rng.Uniform(0.84, 0.98));
            default:
                // White: a faint cream, blush or green cast, as white petals have.
                double hue = rng.Pick([0.5, 0.3, 0.2]) switch { 0 => 48.0, 1 => 340.0, _ => 90.0 };
                return Rgb.FromHsv(hue + rng.Uniform(-10, 10), rng.Uniform(0.0, 0.08), rng.Uniform(0.86, 0.97));
        }
    }

    /// <summary>
    /// A small per-petal variation of <paramref name="baseColour"/>: brightness ×(1 ± 6 %) and a hue-free channel
    /// wobble of ±3 %, so petals read as separate pieces without drifting across a label boundary.
    /// </summary>
    public static Rgb Vary(Rgb baseColour, ref SkyRandom rng)
    {
        double k = rng.Uniform(0.94, 1.06);
        return new(baseColour.R * k * rng.Uniform(0.97, 1.03), baseColour.G * k * rng.Uniform(0.97, 1.03), baseColour.B * k * rng.Uniform(0.97, 1.03));
    }

    /// <summary>
    /// The daisy disc: golden yellow to orange, and a darker orange-brown behind yellow petals so the disc still
    /// stands out from them. One in six is dark brown (gerbera- or coneflower-like) whatever the petals.
    /// </summary>
    public static Rgb Disc(FlowerColour petals, ref SkyRandom rng)
    {
        if (rng.Chance(1.0 / 6)) return Rgb.FromHsv(rng.Uniform(15, 35), rng.Uniform(0.55, 0.8), rng.Uniform(0.15, 0.3));
        return petals == FlowerColour.Yellow
            ? Rgb.FromHsv(rng.Uniform(18, 32), rng.Uniform(0.8, 0.95), rng.Uniform(0.45, 0.65))
            : Rgb.FromHsv(rng.Uniform(36, 50), rng.Uniform(0.78, 0.95), rng.Uniform(0.78, 0.95));
    }

    /// <summary>A leaf or stem green: yellow-green to blue-green, mid to dark.</summary>
    public static Rgb Green(ref SkyRandom rng, double brightness = 1) =>
        Rgb.FromHsv(rng.Uniform(78, 135), rng.Uniform(0.45, 0.8), rng.Uniform(0.28, 0.55) * brightness);
}
