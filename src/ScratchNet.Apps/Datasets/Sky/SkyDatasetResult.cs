namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>Summary of a finished generation.</summary>
/// <param name="OutDir">The dataset directory.</param>
/// <param name="SkyImages">Sky images written (= requested count).</param>
/// <param name="Groups">"Station + timestamp" groups among them.</param>
/// <param name="Negatives">Negatives in negatives/ (procedural + copied).</param>
/// <param name="CopiedNegatives">How many of the negatives were copied from <see cref="SkyDatasetOptions.NegativesFrom"/>.</param>
/// <param name="HardNegatives">Procedural negatives of a hard kind (flat wall, water, blue surface, asphalt).</param>
/// <param name="Elapsed">Wall-clock time of the generation.</param>
public sealed record SkyDatasetResult(string OutDir, int SkyImages, int Groups, int Negatives, int CopiedNegatives, int HardNegatives, TimeSpan Elapsed);
