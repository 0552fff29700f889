using SkiaSharp;

namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>
/// Encodes one-byte-per-pixel greyscale images as greyscale PNGs (colour type 0) through SkiaSharp. The pixels are
/// wrapped in place as a Gray8 pixmap, so no bitmap or RGBA copy is made: for tens of thousands of 28×28 images
/// the per-image overhead matters more than the compression.
/// </summary>
internal static class GreyPng
{
    /// <summary>Encodes <paramref name="pixels"/> (row-major, <paramref name="width"/>×<paramref name="height"/>) as PNG bytes.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height)
    {
        if (pixels.Length != checked(width * height))
            throw new ArgumentException($"{pixels.Length} pixels for a {width}×{height} image", nameof(pixels));
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        unsafe
        {
            fixed (byte* p = pixels)
            {
                using var pixmap = new SKPixmap(info, (IntPtr)p, width);
                using var data = pixmap.Encode(SKPngEncoderOptions.Default)
                    ?? throw new InvalidOperationException("SkiaSharp could not encode a greyscale PNG");
                return data.ToArray();
            }
        }
    }
}
