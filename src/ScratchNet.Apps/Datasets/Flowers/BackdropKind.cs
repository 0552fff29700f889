namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>What is behind the flower. Drawn independently of the labels, so it carries no label information.</summary>
internal enum BackdropKind
{
    /// <summary>Green foliage: value-noise shade with overlapping leaves, mildly out of focus.</summary>
    Foliage,

    /// <summary>A garden far out of focus: soft colour field with bokeh discs (some in flower colours).</summary>
    Bokeh,

    /// <summary>Sky seen from below: blue gradient with clouds.</summary>
    Sky,

    /// <summary>Soil or mulch with pebbles.</summary>
    Soil,

    /// <summary>A plain studio sweep (black, grey, white or a pastel/dark colour) with a vignette.</summary>
    Studio,
}
