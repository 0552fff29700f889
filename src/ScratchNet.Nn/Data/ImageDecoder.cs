using System.Runtime.InteropServices;
using SkiaSharp;

namespace ScratchNet.Nn.Data;

/// <summary>
/// Decodes an image file (JPEG, PNG, BMP, WebP, GIF first frame) into packed 8-bit RGB, resized to a target
/// width × height: what torchvision's <c>Image.open(p).convert('RGB')</c> followed by <c>Resize((H, W))</c> gives.
/// </summary>
/// <remarks>
/// <para><b>Colour.</b> Every format is decoded to RGBA8888 by Skia, which also expands greyscale and palette images
/// and converts CMYK/YCCK JPEGs (libjpeg-turbo with Adobe-marker inversion). Alpha is <i>dropped</i>, not composited:
/// pixels are decoded unpremultiplied and the alpha byte is ignored, exactly as PIL's <c>convert('RGB')</c> does, so
/// a transparent PNG gives the same tensor here as in the seed's PyTorch code. No colour management is applied
/// (the destination has no colour space), again matching PIL, which ignores embedded ICC profiles.</para>
/// <para><b>Orientation.</b> The EXIF orientation tag is honoured: the image is resized in its stored orientation to
/// the target's size with axes swapped when the tag rotates by 90°, then the pixels are permuted exactly
/// (<see cref="ApplyOrigin"/>), so orientation costs no second resampling.</para>
/// <para><b>Size.</b> Aspect ratio is not kept (a plain resize to the training size, as <c>Resize((S, S))</c>).
/// Large images are never decoded at full size when the target is small: JPEG and WebP decode natively at a reduced
/// scale (DCT scaling), and rows of formats Skia streams by scanline (JPEG, BMP) are box-averaged by an integer
/// factor as they arrive, keeping only the reduced image and one row in memory. The final step is Skia's linear
/// filter with linear mipmaps, which does not alias when shrinking. Skia 3.119 has no scanline or scaled decode for
/// PNG and GIF (<c>StartScanlineDecode</c> answers <c>Unimplemented</c>, and SkiaSharp does not expose
/// <c>SkAndroidCodec</c>'s sample size), so those are decoded whole, up to <see cref="MaxFullDecodeBytes"/>
/// (a 6000×4000 PNG takes 96 MB for the moment it is decoded); larger ones are rejected rather than risk the process.</para>
/// <para><b>Errors.</b> Missing, empty, non-image, truncated and corrupt files throw <see cref="ImageDecodeException"/>
/// naming the file. A truncated file is never accepted half-decoded: Skia would fill the missing rows with grey,
/// and a model trained on that learns nothing useful from it.</para>
/// </remarks>
public static class ImageDecoder
{
    /// <summary>File extensions treated as images when scanning folders (lower case, with the dot).</summary>
    public static IReadOnlyCollection<string> Extensions { get; } = [".jpg", ".jpeg", ".png", ".bmp", ".webp", ".gif"];

    /// <summary>The largest RGBA buffer (bytes) a whole-image decode may allocate when no reduced path applies (512 MiB).</summary>
    public const long MaxFullDecodeBytes = 512L << 20;

    /// <summary>True when <paramref name="path"/> has one of the <see cref="Extensions"/> (case-insensitive).</summary>
    public static bool IsImageFile(string path) =>
        Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>Decodes <paramref name="path"/> to <paramref name="width"/>×<paramref name="height"/> RGB bytes (row-major, 3 bytes per pixel).</summary>
    public static byte[] DecodeRgb(string path, int width, int height) => DecodeRgb(path, width, height, out _);

    /// <summary>As <see cref="DecodeRgb(string, int, int)"/>, also reporting what was decoded.</summary>
    public static byte[] DecodeRgb(string path, int width, int height, out DecodeReport report) =>
        DecodeRgb(ReadFile(path), path, width, height, out report);

    /// <summary>The largest encoded image file read (1 GiB): anything bigger is a mistake, not a photo.</summary>
    public const long MaxFileBytes = 1L << 30;

    /// <summary>
    /// Reads an image file whole, refusing what is not one: a folder, a missing file, and — because their size is
    /// 0 while reading them never ends (<c>/dev/zero</c>) or blocks (a FIFO) — devices and pipes; the file's size is
    /// read first and exactly that many bytes are read, so nothing is read "until the end".
    /// </summary>
    public static byte[] ReadFile(string path)
    {
        if (Directory.Exists(path))
            throw new ImageDecodeException(path, "is a folder, not an image file");
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                throw new ImageDecodeException(path, "file not found");
            long length = info.Length;
            if (length == 0)
                throw new ImageDecodeException(path, "file is empty (0 bytes), or not a regular file (a device or a pipe)");
            if (length > MaxFileBytes)
                throw new ImageDecodeException(path, $"file is {length >> 20} MiB; image files over {MaxFileBytes >> 20} MiB are refused");
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            var bytes = new byte[length];
            try { stream.ReadExactly(bytes); }
            catch (EndOfStreamException e) { throw new ImageDecodeException(path, $"the file shrank while it was read (it had {length} bytes)", e); }
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageDecodeException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not ImageDecodeException)
        {
            throw new ImageDecodeException(path, $"cannot read the file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks that <paramref name="path"/> is an image this decoder can open, reading only its header (format and
    /// size, no pixels): what training checks for every row before the first epoch. Throws
    /// <see cref="ImageDecodeException"/> as <see cref="DecodeRgb(string, int, int)"/> would; a file whose pixel data
    /// is truncated passes here and is caught (and skipped) when it is decoded.
    /// </summary>
    public static (int Width, int Height) Probe(string path)
    {
        var bytes = ReadFile(path);
        using var data = SKData.CreateCopy(bytes);
        using var codec = OpenCodec(data, bytes, path);
        int w = codec.Info.Width, h = codec.Info.Height;
        if (w <= 0 || h <= 0)
            throw new ImageDecodeException(path, $"invalid dimensions {w}×{h}");
        return (w, h);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="name"/> names it in errors.</summary>
    public static byte[] DecodeRgb(byte[] encoded, string name, int width, int height, out DecodeReport report)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (width <= 0 || height <= 0)
            throw new ArgumentOutOfRangeException(nameof(width), $"target size must be positive, got {width}×{height}");
        if (encoded.Length == 0)
            throw new ImageDecodeException(name, "file is empty (0 bytes)");

        using var data = SKData.CreateCopy(encoded);
        using var codec = OpenCodec(data, encoded, name);

        var origin = codec.EncodedOrigin;
        bool swap = SwapsAxes(origin);
        // Resize in the stored orientation to the target with axes swapped, so the exact pixel permutation at the end
        // lands on width × height.
        int tw = swap ? height : width, th = swap ? width : height;
        int sw = codec.Info.Width, sh = codec.Info.Height;
        if (sw <= 0 || sh <= 0)
            throw new ImageDecodeException(name, $"invalid dimensions {sw}×{sh}");

        // Native scaled decode (JPEG DCT scaling, WebP): aim for about twice the target so the final filter still
        // has detail to average; the codec rounds up to a size it supports.
        int dw = sw, dh = sh;
        double want = Math.Max(2.0 * tw / sw, 2.0 * th / sh);
        if (want < 1)
        {
            var scaled = codec.GetScaledDimensions((float)want);
            if (scaled.Width > 0 && scaled.Height > 0 && scaled.Width <= sw && scaled.Height <= sh)
                (dw, dh) = (scaled.Width, scaled.Height);
        }

        // Integer box-reduction factor applied while streaming rows, so nothing near full size is ever held.
        int k = Math.Max(1, Math.Min(dw / (2 * tw), dh / (2 * th)));
        byte[] rgba;
        int rw, rh;
        if (k >= 2 && TryDecodeRowsReduced(codec, name, dw, dh, k, out rgba, out rw, out rh))
        {
            // reduced while streaming
        }
        else
        {
            long need = 4L * dw * dh;
            if (need > MaxFullDecodeBytes)
                throw new ImageDecodeException(name, $"image is {sw}×{sh} and its format cannot be decoded at a reduced size; a whole decode would need {need >> 20} MiB (limit {MaxFullDecodeBytes >> 20} MiB)");
            rgba = new byte[need];
            var info = new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
            SKCodecResult result;
            try
            {
                result = codec.GetPixels(info, handle.AddrOfPinnedObject(), info.RowBytes, SKCodecOptions.Default);
            }
            finally
            {
                handle.Free();
            }
            ThrowOnFailure(result, name);
            (rw, rh) = (dw, dh);
        }

        byte[] resized = ResizeRgba(rgba, rw, rh, tw, th);
        var rgb = new byte[3 * tw * th];
        for (int i = 0, j = 0; j < rgb.Length; i += 4, j += 3)
        {
            rgb[j] = resized[i];
            rgb[j + 1] = resized[i + 1];
            rgb[j + 2] = resized[i + 2];
        }
        report = new DecodeReport(codec.EncodedFormat, sw, sh, dw, dh, origin);
        if (origin is SKEncodedOrigin.TopLeft)
            return rgb;
        return ApplyOrigin(rgb, tw, th, origin, out _, out _);
    }

    /// <summary>True for the EXIF orientations that rotate by ±90° (display width = stored height).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) =>
        origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Turns packed RGB pixels stored with EXIF orientation <paramref name="origin"/> into display orientation.
    /// <paramref name="width"/>×<paramref name="height"/> is the stored size; the result is
    /// <paramref name="outWidth"/>×<paramref name="outHeight"/> (swapped for the 90° cases).
    /// </summary>
    /// <remarks>
    /// For each display pixel (x, y) we read the stored pixel the tag says belongs there: 2 mirror, 3 rotate 180°,
    /// 4 flip vertically, 5 transpose, 6 rotate 90° clockwise, 7 transverse, 8 rotate 90° counter-clockwise.
    /// </remarks>
    public static byte[] ApplyOrigin(ReadOnlySpan<byte> rgb, int width, int height, SKEncodedOrigin origin, out int outWidth, out int outHeight)
    {
        if (rgb.Length != 3 * width * height)
            throw new ArgumentException($"expected {3 * width * height} bytes for {width}×{height} RGB, got {rgb.Length}", nameof(rgb));
        bool swap = SwapsAxes(origin);
        int ow = swap ? height : width, oh = swap ? width : height;
        var dst = new byte[rgb.Length];
        for (int y = 0; y < oh; y++)
        {
            for (int x = 0; x < ow; x++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (width - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (width - 1 - x, height - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, height - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, height - 1 - x),
                    SKEncodedOrigin.RightBottom => (width - 1 - y, height - 1 - x),
                    SKEncodedOrigin.LeftBottom => (width - 1 - y, x),
                    _ => (x, y),
                };
                int s = 3 * (sy * width + sx), d = 3 * (y * ow + x);
                dst[d] = rgb[s];
                dst[d + 1] = rgb[s + 1];
                dst[d + 2] = rgb[s + 2];
            }
        }
        outWidth = ow;
        outHeight = oh;
        return dst;
    }

    /// <summary>
    /// Streams rows through a k×k box filter. Returns false (having allocated little) when the codec cannot stream
    /// scanlines, so the caller falls back to a whole decode.
    /// </summary>
    private static bool TryDecodeRowsReduced(SKCodec codec, string name, int dw, int dh, int k, out byte[] rgba, out int rw, out int rh)
    {
        rgba = [];
        rw = (dw + k - 1) / k;
        rh = (dh + k - 1) / k;
        var info = new SKImageInfo(dw, dh, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
            return false;

        var sums = new uint[4 * rw * rh];
        var row = new byte[info.RowBytes];
        var handle = GCHandle.Alloc(row, GCHandleType.Pinned);
        try
        {
            nint ptr = handle.AddrOfPinnedObject();
            for (int i = 0; i < dh; i++)
            {
                if (codec.GetScanlines(ptr, 1, info.RowBytes) != 1)
                    throw new ImageDecodeException(name, $"truncated or corrupt: row {i + 1} of {dh} could not be decoded");
                // Bottom-up formats (BMP) deliver rows in reverse; ask the codec where row i lands.
                int y = codec.GetOutputScanline(i);
                int by = Math.Clamp(y, 0, dh - 1) / k;
                int baseIdx = 4 * by * rw;
                for (int x = 0; x < dw; x++)
                {
                    int d = baseIdx + 4 * (x / k), s = 4 * x;
                    sums[d] += row[s];
                    sums[d + 1] += row[s + 1];
                    sums[d + 2] += row[s + 2];
                }
            }
        }
        finally
        {
            handle.Free();
        }

        rgba = new byte[4 * rw * rh];
        for (int by = 0; by < rh; by++)
        {
            int cy = Math.Min(k, dh - by * k);
            for (int bx = 0; bx < rw; bx++)
            {
                // Edge boxes are partial when the size is not a multiple of k: divide by the pixels actually summed.
                uint n = (uint)(cy * Math.Min(k, dw - bx * k));
                int i = 4 * (by * rw + bx);
                rgba[i] = (byte)((sums[i] + n / 2) / n);
                rgba[i + 1] = (byte)((sums[i + 1] + n / 2) / n);
                rgba[i + 2] = (byte)((sums[i + 2] + n / 2) / n);
                rgba[i + 3] = 255;
            }
        }
        return true;
    }

    /// <summary>Resizes opaque RGBA pixels with Skia (linear filter, linear mipmaps); alpha is ignored throughout.</summary>
    private static byte[] ResizeRgba(byte[] rgba, int w, int h, int tw, int th)
    {
        // Declaring the pixels opaque is what drops alpha without premultiplying colour by it (PIL's convert('RGB')).
        var srcInfo = new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque);
        if (w == tw && h == th)
        {
            for (int i = 3; i < rgba.Length; i += 4)
                rgba[i] = 255;
            return rgba;
        }
        var dstInfo = new SKImageInfo(tw, th, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var dst = new byte[dstInfo.BytesSize];
        var hs = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        var hd = GCHandle.Alloc(dst, GCHandleType.Pinned);
        try
        {
            using var src = new SKPixmap(srcInfo, hs.AddrOfPinnedObject(), srcInfo.RowBytes);
            using var image = SKImage.FromPixels(src);
            using var surface = SKSurface.Create(dstInfo, hd.AddrOfPinnedObject(), dstInfo.RowBytes);
            var canvas = surface.Canvas;
            canvas.DrawImage(image, new SKRect(0, 0, tw, th), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
            canvas.Flush();
        }
        finally
        {
            hs.Free();
            hd.Free();
        }
        return dst;
    }

    private static void ThrowOnFailure(SKCodecResult result, string name)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return;
            case SKCodecResult.IncompleteInput:
                throw new ImageDecodeException(name, "truncated: the file ends before the image data does");
            case SKCodecResult.ErrorInInput:
                throw new ImageDecodeException(name, "corrupt image data");
            default:
                throw new ImageDecodeException(name, $"decoder failed ({result})");
        }
    }

    // Skia's codec for the bytes, or an error saying what the file seems to be instead.
    private static SKCodec OpenCodec(SKData data, byte[] bytes, string name) =>
        SKCodec.Create(data) ?? throw new ImageDecodeException(name, LooksLikeText(bytes)
            ? "not an image: the file holds text"
            : $"not a recognised image format ({bytes.Length} bytes, starts {Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length))})");

    private static bool LooksLikeText(byte[] bytes)
    {
        int n = Math.Min(bytes.Length, 512);
        for (int i = 0; i < n; i++)
        {
            byte b = bytes[i];
            if (b < 0x09 || (b > 0x0D && b < 0x20 && b != 0x1B))
                return false;
        }
        return true;
    }
}
