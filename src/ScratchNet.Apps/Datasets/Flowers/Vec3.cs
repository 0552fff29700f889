namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>A 3-vector for surface normals and the light direction (x right, y down, z towards the camera).</summary>
internal readonly record struct Vec3(double X, double Y, double Z)
{
    public double Dot(Vec3 o) => X * o.X + Y * o.Y + Z * o.Z;

    public Vec3 Normalized()
    {
        double n = Math.Sqrt(X * X + Y * Y + Z * Z);
        return n > 0 ? new(X / n, Y / n, Z / n) : new(0, 0, 1);
    }

    /// <summary>Rotation about the z axis by <paramref name="angle"/> radians.</summary>
    public Vec3 RotateZ(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new(c * X - s * Y, s * X + c * Y, Z);
    }

    /// <summary>Rotation about the x axis by <paramref name="angle"/> radians.</summary>
    public Vec3 RotateX(double angle)
    {
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return new(X, c * Y - s * Z, s * Y + c * Z);
    }
}
