using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// A tiny stand-in for Fashion-MNIST written in the real file names, so the exporter and the mosaic generator can be
/// tested without /usr/share/datasets. Every image is a distinct, non-symmetric ramp, so a decoded image (or mosaic
/// cell) identifies exactly which item it is; train pixels lie in 1–100 and test pixels in 150–249, so a cell also
/// tells which split it came from. No pixel is 0, so an empty (black) mosaic cell is unmistakable.
/// </summary>
internal static class FakeFashionMnist
{
    public const int Size = 28;

    /// <summary>Pixel (x, y) of train item <paramref name="i"/>.</summary>
    public static byte TrainPixel(int i, int x, int y) => (byte)(1 + (i + x + 2 * y) % 100);

    /// <summary>Pixel (x, y) of test item <paramref name="j"/>.</summary>
    public static byte TestPixel(int j, int x, int y) => (byte)(150 + (j + x + 2 * y) % 100);

    public static int TrainLabel(int i) => i % 10;

    public static int TestLabel(int j) => (3 * j + 1) % 10;

    /// <summary>
    /// Writes the four files into <paramref name="dir"/>: train images gzipped, train labels plain, test images plain
    /// under the .gz name (gzip is detected by content, not name), test labels gzipped.
    /// </summary>
    public static string Write(string dir, int train = 12, int test = 6)
    {
        Directory.CreateDirectory(dir);
        IdxBytes.Write(Path.Combine(dir, "train-images-idx3-ubyte.gz"), Images(train, TrainPixel), gzip: true);
        IdxBytes.Write(Path.Combine(dir, "train-labels-idx1-ubyte"), Labels(train, TrainLabel));
        IdxBytes.Write(Path.Combine(dir, "t10k-images-idx3-ubyte.gz"), Images(test, TestPixel));
        IdxBytes.Write(Path.Combine(dir, "t10k-labels-idx1-ubyte.gz"), Labels(test, TestLabel), gzip: true);
        return dir;
    }

    public static byte[] Image(int index, Func<int, int, int, byte> pixel)
    {
        var px = new byte[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
                px[y * Size + x] = pixel(index, x, y);
        return px;
    }

    private static byte[] Images(int n, Func<int, int, int, byte> pixel) =>
        IdxBytes.Make([n, Size, Size], Enumerable.Range(0, n).SelectMany(i => Image(i, pixel)).ToArray());

    private static byte[] Labels(int n, Func<int, int> label) =>
        IdxBytes.Make([n], Enumerable.Range(0, n).Select(i => (byte)label(i)).ToArray());
}
