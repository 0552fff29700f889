namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>Summary of a finished generation.</summary>
/// <param name="OutDir">The dataset directory (absolute).</param>
/// <param name="Images">Images written (= requested count).</param>
/// <param name="ClassCounts">Images per class, keyed "type/colour" (e.g. "rose/pink"), in class order.</param>
/// <param name="Elapsed">Wall-clock time of the generation.</param>
public sealed record FlowersDatasetResult(string OutDir, int Images, IReadOnlyDictionary<string, int> ClassCounts, TimeSpan Elapsed);
