namespace ScratchNet.Apps.Serve;

/// <summary>What an upload is, by its first bytes (never by its name or the client's content type).</summary>
public static class ImageSniffer
{
    /// <summary>The image format of <paramref name="bytes"/> (jpeg, png, gif, bmp, webp), or null when it is none of them.</summary>
    public static string? Format(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return "jpeg";
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (bytes.StartsWith("GIF87a"u8) || bytes.StartsWith("GIF89a"u8)) return "gif";
        if (bytes.StartsWith("BM"u8) && bytes.Length >= 26) return "bmp";
        if (bytes.Length >= 12 && bytes.StartsWith("RIFF"u8) && bytes[8..12].SequenceEqual("WEBP"u8)) return "webp";
        return null;
    }
}
