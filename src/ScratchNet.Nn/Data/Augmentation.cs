namespace ScratchNet.Nn.Data;

/// <summary>
/// Random image augmentation for training, seed 003's set (Keras <c>ImageDataGenerator(rotation_range=10,
/// width_shift_range=0.15, height_shift_range=0.15, zoom_range=[0.8, 1.2], brightness_range=[0.5, 1.5],
/// horizontal_flip=True)</c>); torchvision's twin is <c>RandomHorizontalFlip</c> + <c>RandomAffine</c> +
/// <c>ColorJitter(brightness)</c>. Every transform is off by default (<see cref="None"/>); <see cref="Seed003"/>
/// turns them all on.
/// </summary>
/// <remarks>
/// Flip, rotation, shift and zoom are one affine map, applied as a single inverse-mapped bilinear warp so the image
/// is resampled once. Output pixel p comes from source s = c + Z⁻¹·R(−θ)·(p − c − t), mirrored in x when flipped,
/// with c the image centre, t the shift in pixels and Z = diag(zx, zy). A zoom factor above 1 magnifies (Keras's
/// zoom factor is the reciprocal; the range 0.8–1.2 is nearly symmetric either way). As Keras, zx and zy are drawn
/// independently. Source coordinates outside the image are clamped to the edge, i.e. filled with the nearest pixel
/// (Keras's default <c>fill_mode='nearest'</c>). Brightness multiplies every channel by one factor and clips to
/// [0, 1] (PIL's <c>ImageEnhance.Brightness</c>, which Keras uses). When a draw leaves the geometry unchanged
/// (no rotation, shift or zoom) pixels are copied, so a flip is exact.
/// </remarks>
public sealed record Augmentation
{
    /// <summary>Probability of a horizontal flip (0 = never).</summary>
    public double FlipProbability { get; init; }

    /// <summary>Rotation angle drawn uniformly from ±this many degrees (0 = none).</summary>
    public double MaxRotationDegrees { get; init; }

    /// <summary>Shift drawn uniformly from ±this fraction of the width (x) and height (y) (0 = none).</summary>
    public double MaxShiftFraction { get; init; }

    /// <summary>Smallest magnification (1 = none).</summary>
    public double MinZoom { get; init; } = 1;

    /// <summary>Largest magnification (1 = none).</summary>
    public double MaxZoom { get; init; } = 1;

    /// <summary>Smallest brightness factor (1 = none).</summary>
    public double MinBrightness { get; init; } = 1;

    /// <summary>Largest brightness factor (1 = none).</summary>
    public double MaxBrightness { get; init; } = 1;

    /// <summary>No augmentation.</summary>
    public static Augmentation None { get; } = new();

    /// <summary>Seed 003's settings: flip p = 0.5, ±10°, ±15 % shift, zoom 0.8–1.2, brightness 0.5–1.5.</summary>
    public static Augmentation Seed003 { get; } = new()
    {
        FlipProbability = 0.5,
        MaxRotationDegrees = 10,
        MaxShiftFraction = 0.15,
        MinZoom = 0.8,
        MaxZoom = 1.2,
        MinBrightness = 0.5,
        MaxBrightness = 1.5,
    };

    /// <summary>
    /// Augments packed RGB bytes (<paramref name="width"/>×<paramref name="height"/>, row-major) into planar CHW
    /// floats in [0, 1] (<c>chw.Length == 3·width·height</c>), drawing its random numbers from <paramref name="rng"/>
    /// in a fixed order so equal seeds give equal images.
    /// </summary>
    public void Apply(ReadOnlySpan<byte> rgb, int width, int height, Span<float> chw, Random rng)
    {
        int plane = width * height;
        if (rgb.Length != 3 * plane || chw.Length != 3 * plane)
            throw new ArgumentException($"Apply: expected {3 * plane} bytes and floats for {width}×{height}, got {rgb.Length} and {chw.Length}");

        // Draw everything, always, in one order: which transforms are enabled then never shifts the others' streams.
        bool flip = rng.NextDouble() < FlipProbability;
        double theta = (rng.NextDouble() * 2 - 1) * MaxRotationDegrees * Math.PI / 180;
        double tx = (rng.NextDouble() * 2 - 1) * MaxShiftFraction * width;
        double ty = (rng.NextDouble() * 2 - 1) * MaxShiftFraction * height;
        double zx = MinZoom + rng.NextDouble() * (MaxZoom - MinZoom);
        double zy = MinZoom + rng.NextDouble() * (MaxZoom - MinZoom);
        float bright = (float)(MinBrightness + rng.NextDouble() * (MaxBrightness - MinBrightness));

        // (v·b)/255 rather than v·(b/255): with b = 1 this is exactly ToTensor's v/255.
        bool identityGeometry = theta == 0 && tx == 0 && ty == 0 && zx == 1 && zy == 1;
        if (identityGeometry)
        {
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    int sx = flip ? width - 1 - x : x;
                    int s = 3 * (y * width + sx), d = y * width + x;
                    chw[d] = Math.Min(1f, rgb[s] * bright / 255f);
                    chw[plane + d] = Math.Min(1f, rgb[s + 1] * bright / 255f);
                    chw[2 * plane + d] = Math.Min(1f, rgb[s + 2] * bright / 255f);
                }
            }
            return;
        }

        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        double cos = Math.Cos(theta), sin = Math.Sin(theta);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                // Inverse map: undo the shift, rotate back by −θ, undo the zoom.
                double px = x - cx - tx, py = y - cy - ty;
                double sx = (cos * px + sin * py) / zx + cx;
                double sy = (-sin * px + cos * py) / zy + cy;
                if (flip)
                    sx = width - 1 - sx;
                sx = Math.Clamp(sx, 0, width - 1);
                sy = Math.Clamp(sy, 0, height - 1);
                int x0 = (int)sx, y0 = (int)sy;
                int x1 = Math.Min(x0 + 1, width - 1), y1 = Math.Min(y0 + 1, height - 1);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                int i00 = 3 * (y0 * width + x0), i01 = 3 * (y0 * width + x1);
                int i10 = 3 * (y1 * width + x0), i11 = 3 * (y1 * width + x1);
                int d = y * width + x;
                for (int ch = 0; ch < 3; ch++)
                {
                    float top = rgb[i00 + ch] + (rgb[i01 + ch] - rgb[i00 + ch]) * fx;
                    float bottom = rgb[i10 + ch] + (rgb[i11 + ch] - rgb[i10 + ch]) * fx;
                    chw[ch * plane + d] = Math.Min(1f, (top + (bottom - top) * fy) * bright / 255f);
                }
            }
        }
    }

    /// <summary>Packed RGB bytes → planar CHW floats in [0, 1] (torchvision's <c>ToTensor()</c>), no augmentation.</summary>
    public static void ToChw(ReadOnlySpan<byte> rgb, int width, int height, Span<float> chw)
    {
        int plane = width * height;
        if (rgb.Length != 3 * plane || chw.Length != 3 * plane)
            throw new ArgumentException($"ToChw: expected {3 * plane} bytes and floats for {width}×{height}, got {rgb.Length} and {chw.Length}");
        // Divide (not multiply by 1/255) so values equal torchvision's img.float().div(255) bit for bit.
        for (int i = 0; i < plane; i++)
        {
            chw[i] = rgb[3 * i] / 255f;
            chw[plane + i] = rgb[3 * i + 1] / 255f;
            chw[2 * plane + i] = rgb[3 * i + 2] / 255f;
        }
    }
}
