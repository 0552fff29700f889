using SkiaSharp;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>Encodes packed RGB bytes as PNG/JPEG through SkiaSharp, and decodes files back for tests and tools.</summary>
internal static class ImageCodec
{
    /// <summary>Encodes a width×height packed-RGB buffer. Skia has no 24-bit format, so the pixels go through opaque RGBA.</summary>
    public static byte[] Encode(byte[] rgb, int width, int height, SkyImageFormat format, int jpegQuality)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        var span = bitmap.GetPixelSpan();
        unsafe
        {
            fixed (byte* dst0 = span)
            {
                byte* dst = dst0;
                int rowBytes = bitmap.RowBytes;
                for (int y = 0; y < height; y++)
                {
                    byte* row = dst + y * rowBytes;
                    for (int x = 0; x < width; x++)
                    {
                        int s = (y * width + x) * 3;
                        row[4 * x] = rgb[s];
                        row[4 * x + 1] = rgb[s + 1];
                        row[4 * x + 2] = rgb[s + 2];
                        row[4 * x + 3] = 255;
                    }
                }
            }
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var data = format == SkyImageFormat.Jpeg
            ? image.Encode(SKEncodedImageFormat.Jpeg, jpegQuality)
            : image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Decodes an image file into packed RGB bytes.</summary>
    public static (byte[] Rgb, int Width, int Height) Decode(string path)
    {
        using var src = SKBitmap.Decode(path) ?? throw new InvalidDataException($"cannot decode {path}");
        using var bitmap = src.ColorType == SKColorType.Rgba8888 ? src.Copy() : src.Copy(SKColorType.Rgba8888);
        int w = bitmap.Width, h = bitmap.Height;
        var rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                var c = bitmap.GetPixel(x, y);
                int o = (y * w + x) * 3;
                rgb[o] = c.Red; rgb[o + 1] = c.Green; rgb[o + 2] = c.Blue;
            }
        return (rgb, w, h);
    }
}
