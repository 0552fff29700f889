using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads <c>train:</c> into a <see cref="TrainConfig"/>; monitors are checked against the tasks.</summary>
internal static class TrainSection
{
    private static readonly string[] Keys =
    [
        "optimizer", "lr", "weight_decay", "momentum", "nesterov", "batch_size", "epochs", "seed", "schedule", "monitor",
        "early_stopping", "reduce_lr_on_plateau", "augmentation",
    ];
    private static readonly string[] StoppingKeys = ["monitor", "patience", "min_delta", "restore_best"];
    private static readonly string[] PlateauKeys = ["monitor", "factor", "patience", "min_lr"];
    private static readonly string[] Optimizers = ["adam", "adamw", "sgd"];
    private static readonly string[] Schedules = ["constant", "cosine"];

    /// <summary>Reads the optional <c>train:</c> field.</summary>
    public static TrainConfig Read(YamlMap root, IReadOnlyList<TaskConfig> tasks)
    {
        var d = new TrainConfig();
        if (root.Get("train") is not { } section)
            return d;
        var map = section.Map(Keys);
        var optimizer = map.Choice("optimizer", d.Optimizer, Optimizers, "an optimizer");
        // Adam has no momentum setting of this kind; accepting one silently would let a config claim what it doesn't do.
        foreach (var field in new[] { "momentum", "nesterov" })
        {
            if (optimizer != "sgd" && map.Has(field))
                throw map.ErrorAt(field, $"only the sgd optimizer takes {field}; optimizer is {optimizer}");
        }
        var momentum = map.Number("momentum", d.Momentum, m => m is >= 0 and < 1, "a number 0 <= m < 1");
        var nesterov = map.Bool("nesterov", d.Nesterov);
        if (nesterov && momentum == 0)
            throw map.ErrorAt("nesterov", "Nesterov momentum needs momentum > 0");

        return d with
        {
            Optimizer = optimizer,
            Lr = map.Number("lr", d.Lr, v => v > 0, "a number > 0"),
            WeightDecay = map.Number("weight_decay", d.WeightDecay, v => v >= 0, "a number >= 0"),
            Momentum = momentum,
            Nesterov = nesterov,
            BatchSize = map.Integer("batch_size", d.BatchSize, n => n >= 1, "an integer >= 1"),
            Epochs = map.Integer("epochs", d.Epochs, n => n >= 1, "an integer >= 1"),
            Seed = map.Integer("seed", d.Seed, _ => true, "an integer"),
            Schedule = map.Choice("schedule", d.Schedule, Schedules, "a schedule"),
            Monitor = map.Get("monitor") is { } monitor ? MonitorField.Read(monitor, tasks) : d.Monitor,
            EarlyStopping = EarlyStopping(map.Get("early_stopping"), tasks),
            ReduceLrOnPlateau = Plateau(map.Get("reduce_lr_on_plateau"), tasks),
            Augmentation = AugmentationSection.Read(map.Get("augmentation")),
        };
    }

    private static EarlyStoppingConfig? EarlyStopping(YamlValue? value, IReadOnlyList<TaskConfig> tasks)
    {
        var d = new EarlyStoppingConfig();
        if (value is null)
            return null;
        if (Switch(value) is { } on)
            return on ? d : null;
        var map = value.Map(StoppingKeys);
        return d with
        {
            Monitor = map.Get("monitor") is { } m ? MonitorField.Read(m, tasks) : d.Monitor,
            Patience = map.Integer("patience", d.Patience, n => n >= 1, "an integer >= 1"),
            MinDelta = map.Number("min_delta", d.MinDelta, v => v >= 0, "a number >= 0"),
            RestoreBest = map.Bool("restore_best", d.RestoreBest),
        };
    }

    private static ReduceLrConfig? Plateau(YamlValue? value, IReadOnlyList<TaskConfig> tasks)
    {
        var d = new ReduceLrConfig();
        if (value is null)
            return null;
        if (Switch(value) is { } on)
            return on ? d : null;
        var map = value.Map(PlateauKeys);
        return d with
        {
            Monitor = map.Get("monitor") is { } m ? MonitorField.Read(m, tasks) : d.Monitor,
            Factor = map.Number("factor", d.Factor, v => v is > 0 and < 1, "a number 0 < f < 1"),
            Patience = map.Integer("patience", d.Patience, n => n >= 1, "an integer >= 1"),
            MinLr = map.Number("min_lr", d.MinLr, v => v >= 0, "a number >= 0"),
        };
    }

    // `early_stopping: true` switches a rule on with every default, `false` off (as if left out); null = a mapping follows.
    private static bool? Switch(YamlValue value) =>
        value.Node is YamlScalarNode { Value: { } text } && !value.IsEmpty
            ? text.ToLowerInvariant() switch { "true" or "yes" => true, "false" or "no" => false, _ => null }
            : null;
}
