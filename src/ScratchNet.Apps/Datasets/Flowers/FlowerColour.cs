namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>The petal-colour label (seed 001's second task). CSV names: <c>red</c>, <c>pink</c>, <c>white</c>, <c>yellow</c>.</summary>
public enum FlowerColour
{
    /// <summary>Saturated red to crimson.</summary>
    Red,

    /// <summary>Pale to mid pink (the hue of red, about half its saturation).</summary>
    Pink,

    /// <summary>White to cream, tinted only by the light and the camera.</summary>
    White,

    /// <summary>Golden to lemon yellow (not in seed 001; opt-in).</summary>
    Yellow,
}
