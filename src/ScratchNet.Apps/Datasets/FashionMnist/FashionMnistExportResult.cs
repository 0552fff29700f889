namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>Summary of a finished export.</summary>
/// <param name="OutDir">The dataset directory (full path).</param>
/// <param name="TrainImages">PNGs written to train/.</param>
/// <param name="TestImages">PNGs written to test/.</param>
/// <param name="Elapsed">Wall-clock time, reading the IDX files included.</param>
public sealed record FashionMnistExportResult(string OutDir, int TrainImages, int TestImages, TimeSpan Elapsed);
