namespace ScratchNet.Apps.Tasks.Config;

/// <summary>Reads <c>model:</c> into a <see cref="ModelConfig"/>.</summary>
internal static class ModelSection
{
    private static readonly string[] Keys = ["backbone", "width", "split_after", "head_hidden", "dropout"];

    /// <summary>The backbones the trainer can build.</summary>
    public static readonly string[] Backbones = ["seed-encoder", "squeezenet"];

    /// <summary>SqueezeNet 1.1's blocks, in order: where the shared trunk may end.</summary>
    public static readonly string[] SqueezeNetBlocks = ["stem", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9"];

    /// <summary>Reads the optional <c>model:</c> field.</summary>
    public static ModelConfig Read(YamlMap root)
    {
        var d = new ModelConfig();
        if (root.Get("model") is not { } section)
            return d;
        var map = section.Map(Keys);
        var backbone = map.Choice("backbone", d.Backbone, Backbones, "a backbone");
        // Only SqueezeNet has blocks to split after; accepting it silently for the seed encoder would hide a mistake.
        if (backbone != "squeezenet" && map.Has("split_after"))
            throw map.ErrorAt("split_after", $"only the squeezenet backbone has blocks to split after; backbone is {backbone}");
        return d with
        {
            Backbone = backbone,
            Width = map.Number("width", d.Width, v => v > 0, "a number > 0"),
            SplitAfter = map.Choice("split_after", d.SplitAfter, SqueezeNetBlocks, "a squeezenet block"),
            HeadHidden = map.Integer("head_hidden", d.HeadHidden, n => n >= 0, "an integer >= 0"),
            Dropout = map.Number("dropout", d.Dropout, Ranges.IsDropout, Ranges.Dropout),
        };
    }
}
