namespace ScratchNet.Nn.Data;

/// <summary>
/// An images file ([n, rows, cols]) and its labels file ([n]) read together, with the counts checked to agree
/// (see <see cref="IdxFile.ReadImageSet"/>).
/// </summary>
public sealed class IdxImageSet
{
    internal IdxImageSet(IdxArray images, IdxArray labels, string imagesPath, string labelsPath)
    {
        Images = images;
        Labels = labels;
        ImagesPath = imagesPath;
        LabelsPath = labelsPath;
    }

    /// <summary>The images, dimensions [n, rows, cols].</summary>
    public IdxArray Images { get; }

    /// <summary>The labels, dimensions [n].</summary>
    public IdxArray Labels { get; }

    /// <summary>The images file this set was read from.</summary>
    public string ImagesPath { get; }

    /// <summary>The labels file this set was read from.</summary>
    public string LabelsPath { get; }

    /// <summary>Number of labelled images.</summary>
    public int Count => Images.Count;

    /// <summary>Image height in pixels.</summary>
    public int Rows => Images.Dimensions[1];

    /// <summary>Image width in pixels.</summary>
    public int Cols => Images.Dimensions[2];

    /// <summary>The pixels of image <paramref name="index"/>, row-major, one byte each.</summary>
    public ReadOnlySpan<byte> Pixels(int index) => Images.Item(index);

    /// <summary>The label of image <paramref name="index"/>.</summary>
    public byte Label(int index) => Labels.Item(index)[0];
}
