namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// A flower head modelled in its own flat "local" frame: centre at the origin, petal tips at radius ≈ 1,
/// z towards the viewer when the head faces the camera. <see cref="FlowerPose"/> places it in the picture.
/// </summary>
internal interface IFlowerHead
{
    /// <summary>Radius (local units) beyond which <see cref="Shade"/> is always empty; bounds the pixels to visit.</summary>
    double Reach { get; }

    /// <summary>
    /// The head at local point (<paramref name="x"/>, <paramref name="y"/>): linear radiance, coverage and part masks.
    /// <paramref name="footprint"/> is one sample's width in local units (edges are anti-aliased over it);
    /// <paramref name="light"/> has its direction already in the local frame.
    /// </summary>
    ShapeSample Shade(double x, double y, double footprint, in SceneLight light);
}
