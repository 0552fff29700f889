namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>Something drawn over the background on the supersampled <see cref="FlowerCanvas"/>: a flower head, a stem.</summary>
internal interface IForegroundShape
{
    /// <summary>Pixel bounds [X0, X1) × [Y0, Y1) at output size <paramref name="size"/> outside which the shape is empty.</summary>
    (int X0, int Y0, int X1, int Y1) Bounds(int size);

    /// <summary>The shape at image point (x, y) in output pixels; <paramref name="footprint"/> is the sample width in pixels.</summary>
    ShapeSample Sample(double x, double y, double footprint);
}
