using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// One image's light: a directional key light (sun or lamp) plus a coloured ambient term (sky or room fill).
/// </summary>
/// <remarks>
/// Radiance of a surface with albedo ρ and normal n is ρ ⊙ (A + D · max(0, n·l)), with l the unit direction
/// towards the light. D and A carry the light's colour, so white petals pick up a warm or cool cast that the
/// camera's white balance only partly removes — as in photos.
/// </remarks>
/// <param name="Direction">Unit vector towards the light, in image space (x right, y down, z towards the camera).</param>
/// <param name="Direct">Key-light colour and strength.</param>
/// <param name="Ambient">Ambient colour and strength.</param>
internal readonly record struct SceneLight(Vec3 Direction, Rgb Direct, Rgb Ambient)
{
    /// <summary>
    /// Draws the light: azimuth anywhere, elevation 25–80°, key strength 0.6–1.4, ambient 25–60 % of it (overcast
    /// days are flat, sunny ones contrasty), and a colour temperature from warm (late sun) to cool (shade).
    /// </summary>
    public static SceneLight Draw(ref SkyRandom rng)
    {
        double azimuth = rng.Uniform(0, 2 * Math.PI), elevation = rng.Uniform(25, 80) * Math.PI / 180;
        var dir = new Vec3(Math.Cos(elevation) * Math.Cos(azimuth), Math.Cos(elevation) * Math.Sin(azimuth), Math.Sin(elevation));
        double warmth = rng.Uniform(-1, 1);
        var tint = new Rgb(1 + 0.05 * warmth, 1 + 0.01 * warmth, 1 - 0.06 * warmth);
        double strength = rng.Uniform(0.6, 1.4), ambient = rng.Uniform(0.25, 0.6);
        // The ambient fill is skylight: a touch bluer than the key.
        var ambientTint = new Rgb(0.96, 1.0, 1.06);
        return new(dir, tint * strength, ambientTint * (strength * ambient));
    }

    /// <summary>The radiance multiplier A + D·max(0, n·l) for a unit normal given in the same frame as <see cref="Direction"/>.</summary>
    public Rgb Irradiance(Vec3 normal) => Ambient + Direct * Math.Max(0, normal.Dot(Direction));

    /// <summary>The multiplier for a surface facing the camera (normal +z), e.g. a flat background.</summary>
    public Rgb FacingCamera => Irradiance(new Vec3(0, 0, 1));

    /// <summary>The same light with its direction re-expressed in another frame (e.g. a tilted flower head's own).</summary>
    public SceneLight InFrame(Vec3 direction) => this with { Direction = direction };
}
