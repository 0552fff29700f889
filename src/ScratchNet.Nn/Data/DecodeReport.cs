using SkiaSharp;

namespace ScratchNet.Nn.Data;

/// <summary>
/// What <see cref="ImageDecoder"/> did for one file: the stored size, the size actually decoded (smaller than the
/// stored size when the codec scaled during decoding or rows were box-averaged as they streamed in), and the EXIF
/// orientation applied. Lets tests and the <c>data</c> command check that a huge photo never took its full size in memory.
/// </summary>
/// <param name="Format">The container format Skia detected.</param>
/// <param name="SourceWidth">Stored width in pixels (before orientation).</param>
/// <param name="SourceHeight">Stored height in pixels (before orientation).</param>
/// <param name="DecodedWidth">Width of the largest pixel buffer the decode produced.</param>
/// <param name="DecodedHeight">Height of the largest pixel buffer the decode produced.</param>
/// <param name="Origin">The EXIF orientation that was undone.</param>
public readonly record struct DecodeReport(
    SKEncodedImageFormat Format, int SourceWidth, int SourceHeight, int DecodedWidth, int DecodedHeight, SKEncodedOrigin Origin)
{
    /// <summary>True when the image was decoded at less than its stored size.</summary>
    public bool Downscaled => DecodedWidth < SourceWidth || DecodedHeight < SourceHeight;
}
