namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>Which part of a flower a sample shows, for the ground-truth masks the tests and tools read.</summary>
internal enum FlowerPart
{
    /// <summary>Not a flower head (stem, leaf, sepal, background).</summary>
    Other,

    /// <summary>A petal.</summary>
    Petal,

    /// <summary>A yellow centre: a daisy's disc of florets or an open rose's stamens.</summary>
    Disc,
}

/// <summary>
/// What one foreground shape contributes at one sample point, ready for "over" compositing:
/// destination ← Colour + destination · (1 − Alpha).
/// </summary>
/// <param name="Colour">Premultiplied linear radiance (colour × alpha).</param>
/// <param name="Alpha">Coverage in [0, 1].</param>
/// <param name="Petal">Coverage by visible petals of this shape.</param>
/// <param name="Disc">Coverage by the visible centre (daisy disc, open-rose stamens) of this shape.</param>
internal readonly record struct ShapeSample(Rgb Colour, double Alpha, double Petal, double Disc);

/// <summary>
/// Painter's-algorithm accumulator for the pieces of one shape (petals bottom to top): each piece may first darken
/// what is already painted with its contact shadow, then covers it.
/// </summary>
/// <remarks>
/// Shadows stay inside the shape: a petal darkens the petals under it but not the background, which in a photo
/// is usually far behind the flower, so a dark halo around the head would be wrong.
/// </remarks>
internal struct Layering
{
    private Rgb _colour;
    private double _alpha, _petal, _disc;

    /// <summary>Darkens what is painted so far by <paramref name="amount"/> ∈ [0, 1]. Masks are untouched: a shadowed petal is still a petal.</summary>
    public void Shade(double amount)
    {
        if (amount > 0) _colour *= 1 - amount;
    }

    /// <summary>Covers the stack with <paramref name="colour"/> (straight, not premultiplied) at coverage <paramref name="coverage"/>.</summary>
    public void Over(Rgb colour, double coverage, FlowerPart part)
    {
        if (coverage <= 0) return;
        double keep = 1 - coverage;
        _colour = colour * coverage + _colour * keep;
        _alpha = coverage + _alpha * keep;
        _petal = (part == FlowerPart.Petal ? coverage : 0) + _petal * keep;
        _disc = (part == FlowerPart.Disc ? coverage : 0) + _disc * keep;
    }

    /// <summary>The accumulated sample.</summary>
    public readonly ShapeSample Result => new(_colour, _alpha, _petal, _disc);
}
