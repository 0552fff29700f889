namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>File format of the generated images.</summary>
public enum SkyImageFormat
{
    /// <summary>Lossless PNG (default): the images are exactly the rendered bytes.</summary>
    Png,

    /// <summary>JPEG at the configured quality (90 by default), like the real phone photos.</summary>
    Jpeg,
}
