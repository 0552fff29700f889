namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads <c>model:</c> into a <see cref="ModelConfig"/>.</summary>
internal static class ModelSection
{
    private static readonly string[] Keys = ["backbone", "path", "freeze", "width", "split_after", "head_hidden", "head_activation", "dropout", "names"];

    /// <summary>What <c>freeze:</c> may say.</summary>
    public static readonly string[] FreezeModes = ["none", "backbone"];

    /// <summary>The activations a head may use between its hidden layers.</summary>
    public static readonly string[] Activations = ["gelu", "relu"];

    /// <summary>The state-dict naming schemes.</summary>
    public static readonly string[] NameSchemes = ["scratchnet", "seed"];

    /// <summary>The backbones the trainer can build.</summary>
    public static readonly string[] Backbones = ["seed-encoder", "squeezenet", "onnx", "resnet18-imagenet"];

    /// <summary>SqueezeNet 1.1's blocks, in order: where the shared trunk may end.</summary>
    public static readonly string[] SqueezeNetBlocks = ["stem", "fire2", "fire3", "fire4", "fire5", "fire6", "fire7", "fire8", "fire9"];

    /// <summary>Reads the optional <c>model:</c> field.</summary>
    public static ModelConfig Read(YamlMap root, string baseDirectory, bool checkFiles)
    {
        var d = new ModelConfig();
        if (root.Get("model") is not { } section)
            return d;
        var map = section.Map(Keys);
        var backbone = map.Choice("backbone", d.Backbone, Backbones, "a backbone");
        // Only SqueezeNet has blocks to split after; accepting it silently for the seed encoder would hide a mistake.
        if (backbone != "squeezenet" && map.Has("split_after"))
            throw map.ErrorAt("split_after", $"only the squeezenet backbone has blocks to split after; backbone is {backbone}");
        string? path = null;
        if (backbone == "onnx")
        {
            path = Path.GetFullPath(Path.Combine(baseDirectory, map.Required("path", " (the .onnx file, or the model.safetensors of `scratchnet import`)").Text("a file path")));
            if (checkFiles && !File.Exists(path))
                throw map.ErrorAt("path", Directory.Exists(path) ? $"{path} is a folder, not a model file" : $"file {path} does not exist");
        }
        else if (map.Has("path"))
            throw map.ErrorAt("path", $"only the onnx backbone reads a model file; backbone is {backbone}");
        if (backbone is "onnx" or "resnet18-imagenet" && map.Has("width"))
            throw map.ErrorAt("width", $"an imported backbone has the widths it was trained with; leave out width for {backbone}");
        var names = map.Choice("names", d.Names, NameSchemes, "a naming scheme");
        if (names == "seed" && backbone != "seed-encoder")
            throw map.ErrorAt("names", $"seed 000's names (encoder.*, classifier.*, …) exist only for the seed-encoder backbone; backbone is {backbone}");
        if (names == "seed" && map.Has("width") && map.Get("width")!.Number(_ => true, "a number") != 1)
            throw map.ErrorAt("width", "seed 000's names describe its exact encoder; a width other than 1 changes its shapes (leave out names: seed)");
        return d with
        {
            Backbone = backbone,
            Path = path,
            Freeze = map.Choice("freeze", d.Freeze, FreezeModes, "none or backbone"),
            Width = map.Number("width", d.Width, v => v > 0, "a number > 0"),
            SplitAfter = map.Choice("split_after", d.SplitAfter, SqueezeNetBlocks, "a squeezenet block"),
            HeadHidden = map.Get("head_hidden") is { } h ? HiddenWidths(h) : d.HeadHidden,
            HeadActivation = map.Choice("head_activation", d.HeadActivation, Activations, "an activation"),
            Names = names,
            Dropout = map.Number("dropout", d.Dropout, Ranges.IsDropout, Ranges.Dropout),
        };
    }

    /// <summary>
    /// A head's hidden widths: one integer (<c>32</c>; <c>0</c> = no hidden layer) or a list (<c>[32, 8]</c>, first to last).
    /// </summary>
    public static IReadOnlyList<int> HiddenWidths(YamlValue value)
    {
        const string Expected = "an integer >= 0 or a list of integers >= 1 such as [32, 8]";
        if (value.Node is YamlDotNet.RepresentationModel.YamlSequenceNode)
            return value.Items(Expected).Select(i => i.Integer(n => n >= 1, "an integer >= 1 (a hidden layer's width)")).ToArray();
        int one = value.Integer(n => n >= 0, Expected);
        return one > 0 ? [one] : [];
    }
}
