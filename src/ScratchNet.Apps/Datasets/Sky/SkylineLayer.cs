namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>What a skyline silhouette layer is made of; decides its profile shape and albedo.</summary>
internal enum LayerKind
{
    Hills,
    Buildings,
    Trees,
}

/// <summary>
/// One silhouette layer of a station's skyline: everything at (roughly) one distance from the camera,
/// stored as a height profile over the full circle of azimuths.
/// </summary>
/// <remarks>
/// Treating the scene as a few layers at known distances d is what makes Koschmieder's law usable:
/// each layer's contrast against the horizon sky is multiplied by t = e^(−β·d), so near trees stay crisp while
/// hills 20 km away vanish as β (i.e. PM2.5) rises. The relative visibility of the layers is the main
/// exposure-independent cue to the AQI.
/// </remarks>
internal sealed class SkylineLayer
{
    /// <summary>Samples over 360° of azimuth (≈ 0.09° each, finer than a pixel up to ~600 px wide at 60° FOV).</summary>
    public const int Resolution = 4096;

    public required LayerKind Kind { get; init; }

    /// <summary>Distance from the camera, km.</summary>
    public required double DistanceKm { get; init; }

    /// <summary>Top of the silhouette above the camera's ground level, metres, per azimuth sample.</summary>
    public required float[] Heights { get; init; }

    /// <summary>Albedo multiplier per azimuth sample (per building block, per tree crown).</summary>
    public required float[] Tone { get; init; }

    /// <summary>Base albedo, linear RGB.</summary>
    public required (double R, double G, double B) Albedo { get; init; }

    /// <summary>Seed of the surface texture noise.</summary>
    public required uint TextureSeed { get; init; }

    /// <summary>Sample index of an azimuth in radians (any value; wraps around).</summary>
    public static int IndexOf(double azimuth)
    {
        int i = (int)Math.Floor(azimuth * (Resolution / (2 * Math.PI)));
        i %= Resolution;
        return i < 0 ? i + Resolution : i;
    }
}
