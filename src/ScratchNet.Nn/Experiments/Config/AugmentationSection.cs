namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads <c>train.augmentation:</c> into an <see cref="AugmentationConfig"/> (everything off by default).</summary>
internal static class AugmentationSection
{
    private static readonly string[] Keys = ["flip", "rotation", "shift", "zoom", "brightness"];

    /// <summary>Reads the optional <c>augmentation:</c> value.</summary>
    public static AugmentationConfig Read(YamlValue? value)
    {
        var d = new AugmentationConfig();
        if (value is null)
            return d;
        var map = value.Map(Keys);
        return d with
        {
            Flip = map.Number("flip", d.Flip, p => p is >= 0 and <= 1, "a probability from 0 to 1"),
            Rotation = map.Number("rotation", d.Rotation, v => v is >= 0 and <= 180, "degrees from 0 to 180"),
            Shift = map.Number("shift", d.Shift, v => v is >= 0 and < 0.5, "a fraction 0 <= s < 0.5"),
            Zoom = map.Get("zoom") is { } zoom ? FactorRange(zoom) : d.Zoom,
            Brightness = map.Get("brightness") is { } brightness ? FactorRange(brightness) : d.Brightness,
        };
    }

    // [min, max] of a multiplicative factor: positive, and in order (equal bounds mean a fixed factor).
    private static double[] FactorRange(YamlValue value)
    {
        const string Expected = "two factors [min, max] with 0 < min <= max";
        var items = value.Items(Expected);
        if (items.Count != 2)
            throw value.Error($"expected {Expected}, got {items.Count} value(s)");
        var range = items.Select(i => i.Number(v => v > 0, "a factor > 0")).ToArray();
        return range[0] <= range[1] ? range : throw value.Error($"expected {Expected}, but min {range[0]} > max {range[1]}");
    }
}
