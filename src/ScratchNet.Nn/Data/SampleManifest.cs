namespace ScratchNet.Nn.Data;

/// <summary>
/// The result of reading a dataset description: the usable samples, the schema naming their targets, and the rows
/// that were skipped (for <c>skipped.csv</c>).
/// </summary>
/// <param name="Schema">Names of the target slots.</param>
/// <param name="Samples">Usable samples, in manifest order (CSV rows first, then negatives sorted by path).</param>
/// <param name="Skipped">Bad rows and files, in the order found.</param>
public sealed record SampleManifest(SampleSchema Schema, IReadOnlyList<Sample> Samples, IReadOnlyList<SkippedRow> Skipped);
