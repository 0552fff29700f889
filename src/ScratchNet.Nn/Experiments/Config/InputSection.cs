using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads <c>input:</c> into an <see cref="InputConfig"/>.</summary>
internal static class InputSection
{
    private static readonly string[] Keys = ["size", "channels", "mean", "std"];

    /// <summary>
    /// Reads the optional <c>input:</c> field. Mean and std always come back with one value per channel
    /// (0 and 1 when left out), so the trainer never has to fill them in.
    /// </summary>
    public static InputConfig Read(YamlMap root)
    {
        var d = new InputConfig();
        if (root.Get("input") is not { } section)
            return d with { Mean = Repeat(0, d.Channels), Std = Repeat(1, d.Channels) };
        var map = section.Map(Keys);
        var size = map.Integer("size", d.Size, n => n is >= 8 and <= 1024, "an integer from 8 to 1024");
        var channels = map.Integer("channels", d.Channels, n => n is 1 or 3, "1 (grey) or 3 (RGB)");
        return d with
        {
            Size = size,
            Channels = channels,
            Mean = PerChannel(map.Get("mean"), channels, 0, _ => true, "a number"),
            Std = PerChannel(map.Get("std"), channels, 1, v => v > 0, "a number > 0"),
        };
    }

    // One value per channel; a single number stands for the same value on every channel.
    private static double[] PerChannel(YamlValue? value, int channels, double fallback, Func<double, bool> ok, string expected)
    {
        if (value is null)
            return Repeat(fallback, channels);
        if (value.Node is not YamlSequenceNode)
            return Repeat(value.Number(ok, $"{expected} or a list of {channels}"), channels);
        var items = value.Items();
        if (items.Count != channels)
            throw value.Error($"expected {channels} number(s), one per channel (input.channels is {channels}), got {items.Count}");
        return items.Select(i => i.Number(ok, expected)).ToArray();
    }

    private static double[] Repeat(double v, int n) => Enumerable.Repeat(v, n).ToArray();
}
