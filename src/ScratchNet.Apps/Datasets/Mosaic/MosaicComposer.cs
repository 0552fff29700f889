using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>Paints a planned mosaic: a 2×2 grid of item-sized cells, black where a cell is empty.</summary>
internal static class MosaicComposer
{
    /// <summary>
    /// The greyscale pixels of <paramref name="sample"/>, (2·cols)×(2·rows), row-major, with the items taken from
    /// <paramref name="items"/> (the set of the sample's own split).
    /// </summary>
    public static byte[] Compose(MosaicSample sample, IdxImageSet items)
    {
        int rows = items.Rows, cols = items.Cols, width = 2 * cols;
        var pixels = new byte[4 * rows * cols];
        for (int cell = 0; cell < MosaicPlanner.CellCount; cell++)
        {
            int item = sample.Cells[cell];
            if (item == MosaicSample.Empty) continue;
            var src = items.Pixels(item);
            int top = cell / 2 * rows, left = cell % 2 * cols;
            for (int y = 0; y < rows; y++)
                src.Slice(y * cols, cols).CopyTo(pixels.AsSpan((top + y) * width + left, cols));
        }
        return pixels;
    }
}
