namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// The families of procedural non-sky images. <see cref="FlatWall"/>, <see cref="Water"/>, <see cref="BlueSurface"/>
/// and <see cref="Asphalt"/> are the hard negatives: smooth, grey or blue, with the low texture of a hazy or clear sky.
/// </summary>
public enum NegativeKind
{
    Wood,
    Stone,
    Grass,
    Fabric,
    AbstractNoise,
    Brick,
    Foliage,
    Indoor,
    Objects,
    FlatWall,
    Water,
    BlueSurface,
    Asphalt,
}
