namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// The supersampled foreground layer: shapes are painted at <c>size·supersample</c> samples per side, then
/// box-filtered down and laid over the background.
/// </summary>
/// <remarks>
/// Each sample keeps premultiplied radiance C and the background weight W (how much of the background still
/// shows). Painting a shape sample (c, α) is the "over" operator C ← c + C·(1 − α), W ← W·(1 − α). The resolved
/// pixel is the average of its samples, and the final image is C̄ + W̄·background — exact for a background that
/// is constant within a pixel, which it is at output resolution. Thin petals and stems (a pixel or less wide at
/// 64 px) need the supersampling; the smooth background does not.
/// </remarks>
internal sealed class FlowerCanvas
{
    private readonly int _size, _ss, _side;
    private readonly float[] _colour, _weight, _petal, _disc;

    /// <param name="size">Output side in pixels.</param>
    /// <param name="supersample">Samples per pixel per axis.</param>
    public FlowerCanvas(int size, int supersample)
    {
        _size = size;
        _ss = supersample;
        _side = size * supersample;
        _colour = new float[_side * _side * 3];
        _weight = new float[_side * _side];
        _petal = new float[_side * _side];
        _disc = new float[_side * _side];
        Array.Fill(_weight, 1f);
    }

    /// <summary>Paints <paramref name="shape"/> over everything painted so far, visiting only its bounds.</summary>
    public void Paint(IForegroundShape shape)
    {
        var (x0, y0, x1, y1) = shape.Bounds(_size);
        double footprint = 1.0 / _ss;
        for (int sy = y0 * _ss; sy < y1 * _ss; sy++)
            for (int sx = x0 * _ss; sx < x1 * _ss; sx++)
            {
                var s = shape.Sample((sx + 0.5) * footprint, (sy + 0.5) * footprint, footprint);
                if (s.Alpha <= 0) continue;
                int i = sy * _side + sx;
                float keep = (float)(1 - s.Alpha);
                _colour[3 * i] = (float)s.Colour.R + _colour[3 * i] * keep;
                _colour[3 * i + 1] = (float)s.Colour.G + _colour[3 * i + 1] * keep;
                _colour[3 * i + 2] = (float)s.Colour.B + _colour[3 * i + 2] * keep;
                _weight[i] *= keep;
                _petal[i] = (float)s.Petal + _petal[i] * keep;
                _disc[i] = (float)s.Disc + _disc[i] * keep;
            }
    }

    /// <summary>
    /// Lays the foreground over <paramref name="background"/> (linear RGB, size² × 3, replaced in place by the
    /// composite) and returns the per-pixel petal and disc coverage of the foreground.
    /// </summary>
    public (float[] Petal, float[] Disc) ComposeOver(float[] background)
    {
        var petal = new float[_size * _size];
        var disc = new float[_size * _size];
        float inv = 1f / (_ss * _ss);
        for (int y = 0; y < _size; y++)
            for (int x = 0; x < _size; x++)
            {
                float r = 0, g = 0, b = 0, w = 0, p = 0, d = 0;
                for (int j = 0; j < _ss; j++)
                    for (int i = 0; i < _ss; i++)
                    {
                        int k = (y * _ss + j) * _side + x * _ss + i;
                        r += _colour[3 * k]; g += _colour[3 * k + 1]; b += _colour[3 * k + 2];
                        w += _weight[k]; p += _petal[k]; d += _disc[k];
                    }
                int o = y * _size + x;
                background[3 * o] = (r + w * background[3 * o]) * inv;
                background[3 * o + 1] = (g + w * background[3 * o + 1]) * inv;
                background[3 * o + 2] = (b + w * background[3 * o + 2]) * inv;
                petal[o] = p * inv;
                disc[o] = d * inv;
            }
        return (petal, disc);
    }
}
