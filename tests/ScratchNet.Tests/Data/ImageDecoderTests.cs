using ScratchNet.Nn.Data;
using SkiaSharp;

namespace ScratchNet.Tests.Data;

public class ImageDecoderTests
{
    private static readonly SKColor Red = new(220, 30, 30), Green = new(30, 200, 40), Blue = new(20, 40, 210), Yellow = new(230, 220, 20);

    // Four flat quadrants: TL red, TR green, BL blue, BR yellow.
    private static SKColor Quadrants(int x, int y, int w, int h) =>
        y < h / 2 ? (x < w / 2 ? Red : Green) : (x < w / 2 ? Blue : Yellow);

    private static void AssertQuadrants(byte[] rgb, int size, int tol, string what)
    {
        TestImages.Near(TestImages.Px(rgb, size, 1, 1), Red, tol, what + " TL");
        TestImages.Near(TestImages.Px(rgb, size, size - 2, 1), Green, tol, what + " TR");
        TestImages.Near(TestImages.Px(rgb, size, 1, size - 2), Blue, tol, what + " BL");
        TestImages.Near(TestImages.Px(rgb, size, size - 2, size - 2), Yellow, tol, what + " BR");
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, 0)]
    [InlineData(SKEncodedImageFormat.Jpeg, 12)]
    [InlineData(SKEncodedImageFormat.Webp, 12)]
    public void DecodesAndResizesEncodedFormats(SKEncodedImageFormat format, int tol)
    {
        using var dir = new TempDir();
        using var bmp = TestImages.Make(64, 48, (x, y) => Quadrants(x, y, 64, 48));
        var path = TestImages.Write(dir.File("q." + format.ToString().ToLowerInvariant()), bmp, format);
        var rgb = ImageDecoder.DecodeRgb(path, 16, 16, out var report);
        Assert.Equal(3 * 16 * 16, rgb.Length);
        Assert.Equal(format, report.Format);
        Assert.Equal((64, 48), (report.SourceWidth, report.SourceHeight));
        AssertQuadrants(rgb, 16, tol, format.ToString());
    }

    [Fact]
    public void DecodesBmp()
    {
        using var dir = new TempDir();
        var path = TestImages.WriteBmp(dir.File("q.bmp"), 30, 20, (x, y) => Quadrants(x, y, 30, 20));
        var rgb = ImageDecoder.DecodeRgb(path, 10, 10, out var report);
        Assert.Equal(SKEncodedImageFormat.Bmp, report.Format);
        AssertQuadrants(rgb, 10, 0, "bmp");
    }

    [Fact]
    public void LargeBmpStreamsBottomUpRowsIntoTheRightPlace()
    {
        // 400×400 → 16: the box-reduced row path runs, and BMP delivers rows bottom-up.
        using var dir = new TempDir();
        var path = TestImages.WriteBmp(dir.File("big.bmp"), 400, 400, (x, y) => Quadrants(x, y, 400, 400));
        var rgb = ImageDecoder.DecodeRgb(path, 16, 16);
        AssertQuadrants(rgb, 16, 0, "bmp rows");
    }

    [Fact]
    public void SameSizeDecodeIsLossless()
    {
        using var dir = new TempDir();
        var rnd = new Random(3);
        var colors = Enumerable.Range(0, 64).Select(_ => new SKColor((byte)rnd.Next(256), (byte)rnd.Next(256), (byte)rnd.Next(256))).ToArray();
        using var bmp = TestImages.Make(8, 8, (x, y) => colors[y * 8 + x]);
        var path = TestImages.Write(dir.File("p.png"), bmp, SKEncodedImageFormat.Png);
        var rgb = ImageDecoder.DecodeRgb(path, 8, 8);
        for (int i = 0; i < 64; i++)
            Assert.Equal((colors[i].Red, colors[i].Green, colors[i].Blue), ((byte)rgb[3 * i], (byte)rgb[3 * i + 1], (byte)rgb[3 * i + 2]));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void GreyscaleBecomesEqualRgb(SKEncodedImageFormat format)
    {
        using var dir = new TempDir();
        using var grey = new SKBitmap(new SKImageInfo(12, 12, SKColorType.Gray8, SKAlphaType.Opaque));
        for (int y = 0; y < 12; y++)
            for (int x = 0; x < 12; x++)
                grey.SetPixel(x, y, new SKColor(150, 150, 150));
        var path = TestImages.Write(dir.File("g." + format), grey, format);
        var rgb = ImageDecoder.DecodeRgb(path, 6, 6);
        for (int i = 0; i < 36; i++)
        {
            Assert.Equal(rgb[3 * i], rgb[3 * i + 1]);
            Assert.Equal(rgb[3 * i], rgb[3 * i + 2]);
            Assert.InRange(rgb[3 * i], 146, 154);
        }
    }

    [Fact]
    public void AlphaIsDroppedLikePilConvertRgb()
    {
        using var dir = new TempDir();
        // Unpremultiplied colour under partial and zero alpha: PIL's convert('RGB') keeps the colour bytes as they are.
        using var bmp = TestImages.Make(8, 8, (x, _) => x < 4 ? new SKColor(200, 100, 50, 0) : new SKColor(10, 250, 90, 128));
        var path = TestImages.Write(dir.File("a.png"), bmp, SKEncodedImageFormat.Png);
        var rgb = ImageDecoder.DecodeRgb(path, 8, 8);
        Assert.Equal((200, 100, 50), TestImages.Px(rgb, 8, 0, 3));
        Assert.Equal((10, 250, 90), TestImages.Px(rgb, 8, 7, 3));
    }

    [Theory]
    [InlineData(1, 16, 8, 0, 0, 15, 0)] // TL red, TR green → display 16×8 as stored
    [InlineData(6, 8, 16, 0, 0, 7, 0)] // rotate 90° CW: stored bottom-left (blue) at display top-left, stored top-left (red) at top-right
    [InlineData(3, 16, 8, 0, 0, 15, 0)]
    [InlineData(8, 8, 16, 0, 0, 7, 0)]
    public void ExifOrientationIsHonoured(ushort orientation, int w, int h, int x0, int y0, int x1, int y1)
    {
        using var dir = new TempDir();
        using var bmp = TestImages.Make(32, 16, (x, y) => Quadrants(x, y, 32, 16));
        var jpeg = TestImages.WithExifOrientation(TestImages.Encode(bmp, SKEncodedImageFormat.Jpeg, 98), orientation);
        var path = dir.File($"o{orientation}.jpg");
        File.WriteAllBytes(path, jpeg);
        var rgb = ImageDecoder.DecodeRgb(path, w, h, out var report);
        Assert.Equal((SKEncodedOrigin)orientation, report.Origin);
        var (tl, tr) = orientation switch
        {
            1 => (Red, Green),
            6 => (Blue, Red),
            3 => (Yellow, Blue),
            8 => (Green, Yellow),
            _ => throw new InvalidOperationException(),
        };
        TestImages.Near(TestImages.Px(rgb, w, x0, y0), tl, 16, $"orientation {orientation} top-left");
        TestImages.Near(TestImages.Px(rgb, w, x1, y1), tr, 16, $"orientation {orientation} top-right");
    }

    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, 0, 0, 2, 0)]
    [InlineData(SKEncodedOrigin.TopRight, 2, 0, 0, 0)]
    [InlineData(SKEncodedOrigin.BottomRight, 2, 1, 0, 1)]
    [InlineData(SKEncodedOrigin.BottomLeft, 0, 1, 2, 1)]
    [InlineData(SKEncodedOrigin.LeftTop, 0, 0, 0, 1)]
    [InlineData(SKEncodedOrigin.RightTop, 0, 1, 0, 0)]
    [InlineData(SKEncodedOrigin.RightBottom, 2, 1, 2, 0)]
    [InlineData(SKEncodedOrigin.LeftBottom, 2, 0, 2, 1)]
    public void ApplyOriginMapsStoredCornersToDisplayCorners(SKEncodedOrigin origin, int tlx, int tly, int trx, int try_)
    {
        // Stored 3×2 image; pixel value encodes its stored (x, y).
        const int w = 3, h = 2;
        var rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                (rgb[3 * (y * w + x)], rgb[3 * (y * w + x) + 1]) = ((byte)x, (byte)y);
        var outRgb = ImageDecoder.ApplyOrigin(rgb, w, h, origin, out int ow, out int oh);
        bool swap = ImageDecoder.SwapsAxes(origin);
        Assert.Equal(swap ? (h, w) : (w, h), (ow, oh));
        Assert.Equal((tlx, tly), ((int)outRgb[0], (int)outRgb[1]));
        int tr = 3 * (ow - 1);
        Assert.Equal((trx, try_), ((int)outRgb[tr], (int)outRgb[tr + 1]));
    }

    [Fact]
    public void HugeJpegNeverAllocatesItsFullSize()
    {
        // 8000×6000 would be 192 MB as RGBA. JPEG decodes at 1/8 scale natively, then rows are box-reduced as they stream.
        using var dir = new TempDir();
        var path = dir.File("huge.jpg");
        using (var bmp = new SKBitmap(new SKImageInfo(8000, 6000, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            using (var canvas = new SKCanvas(bmp))
            {
                canvas.Clear(Red);
                using var paint = new SKPaint { Color = Blue };
                canvas.DrawRect(0, 3000, 8000, 3000, paint); // bottom half blue
            }
            TestImages.Write(path, bmp, SKEncodedImageFormat.Jpeg, 80);
        }
        GC.Collect();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var rgb = ImageDecoder.DecodeRgb(path, 64, 64, out var report);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal((8000, 6000), (report.SourceWidth, report.SourceHeight));
        Assert.True(report.Downscaled);
        Assert.True(report.DecodedWidth <= 1000, $"decoded at {report.DecodedWidth}×{report.DecodedHeight}");
        // Managed buffers: the file, one row, the reduced sums; pixel buffers are all managed, so this bounds the peak.
        Assert.True(allocated < 8L << 20, $"decode allocated {allocated >> 20} MiB managed memory");
        TestImages.Near(TestImages.Px(rgb, 64, 10, 5), Red, 6, "top");
        TestImages.Near(TestImages.Px(rgb, 64, 10, 60), Blue, 6, "bottom");
    }

    [Fact]
    public void ZeroByteFileIsRejectedNamingIt()
    {
        using var dir = new TempDir();
        var path = dir.File("empty.jpg");
        File.WriteAllBytes(path, []);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 8, 8));
        Assert.Contains("empty.jpg", e.Message);
        Assert.Contains("empty", e.Reason);
    }

    // /dev/zero would be read forever (it once ate 4 GB and threw OutOfMemory) and a FIFO would block the open:
    // both are refused from their size, before they are opened, as is a folder.
    [Fact]
    public async Task DevicesPipesAndFoldersAreRefusedWithoutReadingThem()
    {
        using var dir = new TempDir();
        var zero = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb("/dev/zero", 8, 8));
        Assert.Contains("/dev/zero", zero.Message);
        Assert.Contains("not a regular file", zero.Reason);

        string fifo = dir.File("pipe.png");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        Assert.True(File.Exists(fifo), "mkfifo failed");
        var task = Task.Run(() => Assert.Throws<ImageDecodeException>(() => ImageDecoder.Probe(fifo)));
        Assert.True(await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10))) == task, "reading a FIFO blocked");
        Assert.Contains("not a regular file", (await task).Reason);

        var folder = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(dir.Path, 8, 8));
        Assert.Contains("is a folder", folder.Reason);
        var missing = Assert.Throws<ImageDecodeException>(() => ImageDecoder.Probe(dir.File("nope.png")));
        Assert.Contains("file not found", missing.Reason);
    }

    [Fact]
    public void ProbeReadsTheSizeAndRefusesNonImages()
    {
        using var dir = new TempDir();
        using var bmp = TestImages.Make(20, 12, (x, y) => Quadrants(x, y, 20, 12));
        var png = TestImages.Write(dir.File("ok.png"), bmp, SKEncodedImageFormat.Png);
        Assert.Equal((20, 12), ImageDecoder.Probe(png));
        var text = dir.File("notes.jpg");
        File.WriteAllText(text, "this is not a photo\n");
        Assert.Contains("holds text", Assert.Throws<ImageDecodeException>(() => ImageDecoder.Probe(text)).Reason);
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    public void TruncatedFileIsRejectedNotHalfDecoded(SKEncodedImageFormat format)
    {
        using var dir = new TempDir();
        var rnd = new Random(1);
        // Noise so the compressed stream is long and the cut lands inside the pixel data.
        using var bmp = TestImages.Make(64, 64, (_, _) => new SKColor((byte)rnd.Next(256), (byte)rnd.Next(256), (byte)rnd.Next(256)));
        var bytes = TestImages.Encode(bmp, format);
        var path = dir.File("cut." + format.ToString().ToLowerInvariant());
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 16, 16));
        Assert.Contains("cut.", e.Message);
        Assert.Contains("truncated", e.Reason);
    }

    [Fact]
    public void TextFileNamedJpgIsRejected()
    {
        using var dir = new TempDir();
        var path = dir.File("notes.jpg");
        File.WriteAllText(path, "this is not a picture\n");
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb(path, 8, 8));
        Assert.Contains("notes.jpg", e.Message);
        Assert.Contains("text", e.Reason);
    }

    [Fact]
    public void MissingFileIsRejected()
    {
        var e = Assert.Throws<ImageDecodeException>(() => ImageDecoder.DecodeRgb("/nonexistent/dir/sky.png", 8, 8));
        Assert.Contains("sky.png", e.Message);
        Assert.Contains("not found", e.Reason);
    }
}
