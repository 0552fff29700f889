namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>Tiles square RGB images into one grid image (documentation and eyeballing the generator).</summary>
internal static class SkyContactSheet
{
    /// <summary>Packs <paramref name="tiles"/> (each tileSize² RGB) into a grid with <paramref name="columns"/> columns and a white gap.</summary>
    public static (byte[] Rgb, int Width, int Height) Compose(IReadOnlyList<byte[]> tiles, int tileSize, int columns, int gap = 2)
    {
        int rows = (tiles.Count + columns - 1) / columns;
        int w = columns * tileSize + (columns + 1) * gap, h = rows * tileSize + (rows + 1) * gap;
        var rgb = new byte[w * h * 3];
        Array.Fill(rgb, (byte)255);
        for (int t = 0; t < tiles.Count; t++)
        {
            int ox = gap + (t % columns) * (tileSize + gap), oy = gap + (t / columns) * (tileSize + gap);
            for (int y = 0; y < tileSize; y++)
                Array.Copy(tiles[t], y * tileSize * 3, rgb, ((oy + y) * w + ox) * 3, tileSize * 3);
        }
        return (rgb, w, h);
    }

    /// <summary>Writes the sheet as PNG.</summary>
    public static void WritePng(string path, IReadOnlyList<byte[]> tiles, int tileSize, int columns, int gap = 2)
    {
        var (rgb, w, h) = Compose(tiles, tileSize, columns, gap);
        File.WriteAllBytes(path, ImageCodec.Encode(rgb, w, h, SkyImageFormat.Png, 90));
    }
}
