using SkiaSharp;

namespace ScratchNet.Tests.Data;

/// <summary>A temporary folder deleted on dispose, plus writers for small test images made with SkiaSharp (and by hand where Skia cannot encode).</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "scratchnet-data-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Sub(string name)
    {
        var p = File(name);
        Directory.CreateDirectory(p);
        return p;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

internal static class TestImages
{
    /// <summary>An opaque RGBA bitmap whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static SKBitmap Make(int w, int h, Func<int, int, SKColor> color)
    {
        // Bytes are written directly: SetPixel on an unpremultiplied bitmap premultiplies, losing colour under alpha 0.
        var bmp = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var px = bmp.GetPixelSpan();
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                var c = color(x, y);
                int i = bmp.RowBytes * y + 4 * x;
                (px[i], px[i + 1], px[i + 2], px[i + 3]) = (c.Red, c.Green, c.Blue, c.Alpha);
            }
        }
        return bmp;
    }

    public static byte[] Encode(SKBitmap bmp, SKEncodedImageFormat format, int quality = 95)
    {
        using var data = bmp.Encode(format, quality) ?? throw new InvalidOperationException($"Skia cannot encode {format} here");
        return data.ToArray();
    }

    public static string Write(string path, SKBitmap bmp, SKEncodedImageFormat format, int quality = 95)
    {
        System.IO.File.WriteAllBytes(path, Encode(bmp, format, quality));
        return path;
    }

    /// <summary>A solid-colour PNG.</summary>
    public static string SolidPng(string path, int w, int h, SKColor c)
    {
        using var bmp = Make(w, h, (_, _) => c);
        return Write(path, bmp, SKEncodedImageFormat.Png);
    }

    /// <summary>24-bit uncompressed BMP, bottom-up rows padded to 4 bytes (Skia has no BMP encoder).</summary>
    public static string WriteBmp(string path, int w, int h, Func<int, int, SKColor> color)
    {
        int rowBytes = (3 * w + 3) & ~3;
        int size = 54 + rowBytes * h;
        var b = new byte[size];
        b[0] = (byte)'B';
        b[1] = (byte)'M';
        BitConverter.TryWriteBytes(b.AsSpan(2), size);
        BitConverter.TryWriteBytes(b.AsSpan(10), 54);
        BitConverter.TryWriteBytes(b.AsSpan(14), 40);
        BitConverter.TryWriteBytes(b.AsSpan(18), w);
        BitConverter.TryWriteBytes(b.AsSpan(22), h);
        BitConverter.TryWriteBytes(b.AsSpan(26), (short)1);
        BitConverter.TryWriteBytes(b.AsSpan(28), (short)24);
        BitConverter.TryWriteBytes(b.AsSpan(34), rowBytes * h);
        for (int y = 0; y < h; y++)
        {
            int row = 54 + (h - 1 - y) * rowBytes;
            for (int x = 0; x < w; x++)
            {
                var c = color(x, y);
                b[row + 3 * x] = c.Blue;
                b[row + 3 * x + 1] = c.Green;
                b[row + 3 * x + 2] = c.Red;
            }
        }
        System.IO.File.WriteAllBytes(path, b);
        return path;
    }

    /// <summary>
    /// Inserts an APP1 Exif segment holding only the orientation tag (0x0112) right after a JPEG's SOI marker:
    /// a big-endian TIFF header and a one-entry IFD, the least a reader needs to find the tag.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, ushort orientation)
    {
        var tiff = new List<byte> { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8 };
        tiff.AddRange([0, 1]); // one entry
        tiff.AddRange([0x01, 0x12, 0, 3, 0, 0, 0, 1, (byte)(orientation >> 8), (byte)orientation, 0, 0]);
        tiff.AddRange([0, 0, 0, 0]); // no next IFD
        var payload = new List<byte>("Exif\0\0"u8.ToArray());
        payload.AddRange(tiff);
        int len = payload.Count + 2;
        var seg = new List<byte> { 0xFF, 0xE1, (byte)(len >> 8), (byte)len };
        seg.AddRange(payload);
        var outBytes = new List<byte> { jpeg[0], jpeg[1] };
        outBytes.AddRange(seg);
        outBytes.AddRange(jpeg.Skip(2));
        return outBytes.ToArray();
    }

    /// <summary>Pixel (x, y) of packed RGB bytes.</summary>
    public static (int R, int G, int B) Px(byte[] rgb, int w, int x, int y)
    {
        int i = 3 * (y * w + x);
        return (rgb[i], rgb[i + 1], rgb[i + 2]);
    }

    public static void Near((int R, int G, int B) actual, SKColor expected, int tol, string what = "")
    {
        Assert.True(Math.Abs(actual.R - expected.Red) <= tol && Math.Abs(actual.G - expected.Green) <= tol && Math.Abs(actual.B - expected.Blue) <= tol,
            $"{what} expected ~({expected.Red},{expected.Green},{expected.Blue}) ±{tol}, got {actual}");
    }
}
