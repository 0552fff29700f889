namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>The label names written to <c>flowers.csv</c> and their parsing.</summary>
public static class FlowerLabels
{
    /// <summary>The colours of seed 001 (red, pink, white): the default label set.</summary>
    public static IReadOnlyList<FlowerColour> SeedColours { get; } = [FlowerColour.Red, FlowerColour.Pink, FlowerColour.White];

    /// <summary>Every colour the renderer can paint.</summary>
    public static IReadOnlyList<FlowerColour> AllColours { get; } = Enum.GetValues<FlowerColour>();

    /// <summary>Both types, in CSV class order (daisy, rose).</summary>
    public static IReadOnlyList<FlowerType> Types { get; } = Enum.GetValues<FlowerType>();

    /// <summary>CSV name of a type: <c>daisy</c> or <c>rose</c>.</summary>
    public static string Name(FlowerType type) => type switch
    {
        FlowerType.Daisy => "daisy",
        FlowerType.Rose => "rose",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>CSV name of a colour: <c>red</c>, <c>pink</c>, <c>white</c> or <c>yellow</c>.</summary>
    public static string Name(FlowerColour colour) => colour switch
    {
        FlowerColour.Red => "red",
        FlowerColour.Pink => "pink",
        FlowerColour.White => "white",
        FlowerColour.Yellow => "yellow",
        _ => throw new ArgumentOutOfRangeException(nameof(colour)),
    };

    /// <summary>Parses a CSV type name (case-insensitive).</summary>
    public static bool TryParseType(string? text, out FlowerType type)
    {
        foreach (var t in Types)
            if (string.Equals(Name(t), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { type = t; return true; }
        type = default;
        return false;
    }

    /// <summary>Parses a CSV colour name (case-insensitive; "colour" spelling of the labels, e.g. <c>pink</c>).</summary>
    public static bool TryParseColour(string? text, out FlowerColour colour)
    {
        foreach (var c in AllColours)
            if (string.Equals(Name(c), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { colour = c; return true; }
        colour = default;
        return false;
    }
}
