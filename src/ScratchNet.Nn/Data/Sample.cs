namespace ScratchNet.Nn.Data;

/// <summary>
/// One training example before decoding: an image file, the group it belongs to, and one target per slot of a
/// <see cref="SampleSchema"/>. The target vector is generic so the same loader serves the sky/AQI task
/// (<c>[is_sky, aqi]</c>) and any multi-task CSV; <see cref="double.NaN"/> marks a missing label, which a masked
/// loss skips. PyTorch's twin is what a <c>Dataset.__getitem__</c> returns, minus the pixels.
/// </summary>
/// <param name="ImagePath">Full path of the image file.</param>
/// <param name="GroupKey">
/// Samples with equal keys are near-duplicates (for the AQI data: same station and timestamp) and must land in the
/// same split; a sample with no such relatives uses its own path.
/// </param>
/// <param name="Targets">One value per schema slot; NaN = missing.</param>
public sealed record Sample(string ImagePath, string GroupKey, double[] Targets)
{
    /// <summary>1-based line of the manifest row this sample came from (0 when it did not come from a CSV row).</summary>
    public int SourceLine { get; init; }

    /// <summary>True when target slot <paramref name="slot"/> has a label.</summary>
    public bool HasTarget(int slot) => !double.IsNaN(Targets[slot]);
}
