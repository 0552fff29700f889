using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>Options for <see cref="SkyAqiManifest.Load"/>.</summary>
public sealed record SkyAqiManifestOptions
{
    /// <summary>Throw <see cref="ManifestException"/> at the first bad row instead of skipping it (the CLI's <c>--strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>
    /// Decode every image while loading so undecodable files are found up front (slow: one decode per file).
    /// When false, decoding happens lazily in <see cref="DataLoader"/>, which skips and records failures.
    /// </summary>
    public bool VerifyDecode { get; init; }

    /// <summary>Side length used for the verification decode (small: only decodability is checked).</summary>
    public int VerifySize { get; init; } = 16;

    /// <summary>Largest AQI accepted; the scale tops out at 500 and the seed's data at 450, so 1000 only catches typos and sentinels.</summary>
    public double MaxAqi { get; init; } = 1000;
}
