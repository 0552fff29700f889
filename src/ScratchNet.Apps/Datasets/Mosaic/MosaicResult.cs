namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>Summary of a finished mosaic generation.</summary>
/// <param name="OutDir">The dataset directory (full path).</param>
/// <param name="TrainMosaics">Mosaics in train/ (items from the official training set).</param>
/// <param name="TestMosaics">Mosaics in test/ (items from the official test set).</param>
/// <param name="Items">Fashion-MNIST items placed in all mosaics together.</param>
/// <param name="Elapsed">Wall-clock time, reading the IDX files included.</param>
public sealed record MosaicResult(string OutDir, int TrainMosaics, int TestMosaics, long Items, TimeSpan Elapsed);
