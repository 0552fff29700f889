namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Where a flower head sits in the image and how it faces the camera.
/// </summary>
/// <remarks>
/// A head is modelled flat in its own "local" plane with its petal tips at radius 1. Its picture is that plane
/// spun by <see cref="Spin"/> about its normal, then tilted by <see cref="Tilt"/> about an axis at angle
/// <see cref="TiltAxis"/> in the image, then scaled by <see cref="Radius"/> pixels and moved to
/// (<see cref="CenterX"/>, <see cref="CenterY"/>). Under orthographic projection the tilt squashes the component
/// across the axis by cos(Tilt), so a tilted round flower shows as an ellipse with axes R and R·cos(Tilt):
/// p_img = c + R · Rot(α) · diag(1, cos τ) · Rot(−α) · Rot(spin) · p_local.
/// </remarks>
/// <param name="CenterX">Centre x (frame fractions in a plan, output pixels once <see cref="Scaled"/>).</param>
/// <param name="CenterY">Centre y, same units.</param>
/// <param name="Radius">Petal-tip radius, same units.</param>
/// <param name="Spin">Rotation of the head about its own axis (radians).</param>
/// <param name="TiltAxis">Image-plane direction of the tilt axis (radians).</param>
/// <param name="Tilt">Tilt away from facing the camera (radians, 0 = face-on).</param>
internal readonly record struct FlowerPose(double CenterX, double CenterY, double Radius, double Spin, double TiltAxis, double Tilt)
{
    /// <summary>The same pose with positions and radius multiplied by <paramref name="k"/> (frame fractions → pixels).</summary>
    public FlowerPose Scaled(double k) => this with { CenterX = CenterX * k, CenterY = CenterY * k, Radius = Radius * k };

    /// <summary>The inverse map: an image point (same units as the centre) to local head coordinates.</summary>
    public (double X, double Y) ToLocal(double x, double y)
    {
        double dx = (x - CenterX) / Radius, dy = (y - CenterY) / Radius;
        // Rot(−α), undo the squash, Rot(α), then Rot(−spin).
        double ca = Math.Cos(TiltAxis), sa = Math.Sin(TiltAxis);
        double u = ca * dx + sa * dy, v = (-sa * dx + ca * dy) / Math.Cos(Tilt);
        double px = ca * u - sa * v, py = sa * u + ca * v;
        double cs = Math.Cos(Spin), ss = Math.Sin(Spin);
        return (cs * px + ss * py, -ss * px + cs * py);
    }

    /// <summary>
    /// A direction given in image space (x right, y down, z to the camera) expressed in the head's local frame, so
    /// shading can dot it with normals modelled in that frame. The inverse of spin-then-tilt: rotate the image
    /// frame so the tilt axis is x, undo the tilt about x, rotate back, undo the spin.
    /// </summary>
    public Vec3 DirectionToLocal(Vec3 d) => d.RotateZ(-TiltAxis).RotateX(Tilt).RotateZ(TiltAxis).RotateZ(-Spin);

    /// <summary>Length in local units of one image unit, for the tilted (shortest) direction — the worst case for anti-aliasing.</summary>
    public double PixelInLocal => 1.0 / (Radius * Math.Cos(Tilt));

    /// <summary>Axis-aligned bounds in output pixels of the local disc of radius <paramref name="reach"/>.</summary>
    public (int X0, int Y0, int X1, int Y1) Bounds(double reach, int size)
    {
        double r = Radius * reach + 1;
        return (Math.Max(0, (int)Math.Floor(CenterX - r)), Math.Max(0, (int)Math.Floor(CenterY - r)),
                Math.Min(size, (int)Math.Ceiling(CenterX + r)), Math.Min(size, (int)Math.Ceiling(CenterY + r)));
    }
}
