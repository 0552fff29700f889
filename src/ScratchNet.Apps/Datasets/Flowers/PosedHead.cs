namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>A flower head placed in the image by a <see cref="FlowerPose"/> and lit by the scene light.</summary>
internal sealed class PosedHead : IForegroundShape
{
    private readonly IFlowerHead _head;
    private readonly FlowerPose _pose;
    private readonly SceneLight _localLight;

    /// <param name="head">The head in its local frame.</param>
    /// <param name="pose">Placement in output pixels.</param>
    /// <param name="light">The scene light in image space; re-expressed in the head's frame once here.</param>
    public PosedHead(IFlowerHead head, FlowerPose pose, SceneLight light)
    {
        _head = head;
        _pose = pose;
        _localLight = light.InFrame(pose.DirectionToLocal(light.Direction));
    }

    /// <inheritdoc/>
    public (int X0, int Y0, int X1, int Y1) Bounds(int size) => _pose.Bounds(_head.Reach, size);

    /// <inheritdoc/>
    public ShapeSample Sample(double x, double y, double footprint)
    {
        var (lx, ly) = _pose.ToLocal(x, y);
        return _head.Shade(lx, ly, footprint * _pose.PixelInLocal, _localLight);
    }
}
