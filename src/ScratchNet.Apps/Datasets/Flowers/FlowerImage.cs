namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>One rendered picture with its ground truth (for the generator, tests and tools).</summary>
/// <param name="Rgb">Packed 8-bit sRGB, size² × 3.</param>
/// <param name="Size">Side in pixels.</param>
/// <param name="Petal">Per-pixel coverage of visible petals (all heads), in [0, 1].</param>
/// <param name="Disc">Per-pixel coverage of visible centres (daisy discs, open-rose stamens; all heads), in [0, 1].</param>
/// <param name="Type">The type label.</param>
/// <param name="Colour">The colour label.</param>
/// <param name="Layout">The composition (frame fractions).</param>
internal sealed record FlowerImage(byte[] Rgb, int Size, float[] Petal, float[] Disc, FlowerType Type, FlowerColour Colour, FlowerLayout Layout);
