namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>
/// The plan of one mosaic: which item of its split's Fashion-MNIST set sits in each of the four cells.
/// </summary>
/// <param name="Split"><c>train</c> or <c>test</c>; items come only from the official set of that name.</param>
/// <param name="Index">Position within the split (also the file name).</param>
/// <param name="Cells">Four entries, row-major (top-left, top-right, bottom-left, bottom-right): an item index, or
/// <see cref="Empty"/> for a black cell.</param>
internal sealed record MosaicSample(string Split, int Index, int[] Cells)
{
    /// <summary>Marks an empty (black) cell.</summary>
    public const int Empty = -1;

    /// <summary>Number of items placed (0–4).</summary>
    public int ItemCount => Cells.Count(c => c != Empty);
}
