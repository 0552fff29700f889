namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// A whole multi-task experiment as read from a YAML file (<see cref="ConfigLoader"/>): where the data is, how images
/// are prepared, which network, which tasks (heads + losses + metrics) and how to train. Every relative path has
/// already been resolved against the config file's folder. <see cref="SourceFile"/> and the <c>Line</c> properties
/// let later checks (against the CSV, say) name the YAML line they refer to.
/// </summary>
public sealed record ExperimentConfig
{
    /// <summary>Experiment name (run directories are <c>runs/{Name}-{time}</c>); defaults to the file name.</summary>
    public required string Name { get; init; }
    /// <summary>The YAML file this came from (or <c>builtin:NAME</c>).</summary>
    public required string SourceFile { get; init; }
    /// <summary>Data source and split.</summary>
    public required DataConfig Data { get; init; }
    /// <summary>Image preparation.</summary>
    public InputConfig Input { get; init; } = new();
    /// <summary>Network.</summary>
    public ModelConfig Model { get; init; } = new();
    /// <summary>The tasks, in file order (at least one; names unique).</summary>
    public required IReadOnlyList<TaskConfig> Tasks { get; init; }
    /// <summary>Optimisation.</summary>
    public TrainConfig Train { get; init; } = new();

    /// <summary>The task called <paramref name="name"/>, or null.</summary>
    public TaskConfig? Task(string name) => Tasks.FirstOrDefault(t => t.Name == name);
}

/// <summary>
/// <c>data:</c> a CSV with one row per image. Rows are split into train/validation/test by group
/// (<see cref="GroupColumn"/>) with <see cref="SplitRatios"/>, or by a column of <c>train</c>/<c>validation</c>/<c>test</c>
/// values (<see cref="SplitColumn"/>).
/// </summary>
public sealed record DataConfig
{
    /// <summary>The CSV file (absolute).</summary>
    public required string Csv { get; init; }
    /// <summary>Folder the path column is relative to (absolute; default: the CSV's folder).</summary>
    public required string Images { get; init; }
    /// <summary>Column holding each image's path.</summary>
    public string PathColumn { get; init; } = "image";
    /// <summary>Optional column of group keys: rows with equal keys land in the same split (near-duplicates).</summary>
    public string? GroupColumn { get; init; }
    /// <summary>
    /// Optional column whose values say the split of each row: <c>train</c>, <c>validation</c> (or <c>val</c>), <c>test</c>.
    /// When no row says validation, the validation set is taken from the train rows with the ratio
    /// <c>SplitRatios[1] / (SplitRatios[0] + SplitRatios[1])</c>.
    /// </summary>
    public string? SplitColumn { get; init; }
    /// <summary>Train / validation / test fractions (default 0.60 / 0.25 / 0.15, as seed 001); they must sum to 1.</summary>
    public double[] SplitRatios { get; init; } = [0.60, 0.25, 0.15];
    /// <summary>Seed of the split.</summary>
    public int Seed { get; init; }
    /// <summary>Use only the first this-many rows (with <see cref="SplitColumn"/>: of each split value), for quick trials; null = all.</summary>
    public int? Limit { get; init; }
    /// <summary>YAML line of the <c>data:</c> key.</summary>
    public int Line { get; init; }
}

/// <summary><c>input:</c> images are resized to <see cref="Size"/>², converted to <see cref="Channels"/> and normalised.</summary>
public sealed record InputConfig
{
    /// <summary>Side length in pixels.</summary>
    public int Size { get; init; } = 64;
    /// <summary>1 (grey: luma) or 3 (RGB).</summary>
    public int Channels { get; init; } = 3;
    /// <summary>Per-channel mean subtracted from pixels in [0, 1] (length = channels; default 0; <see cref="ConfigLoader"/> always fills one per channel).</summary>
    public double[] Mean { get; init; } = [];
    /// <summary>Per-channel standard deviation pixels are divided by (length = channels; default 1; <see cref="ConfigLoader"/> always fills one per channel).</summary>
    public double[] Std { get; init; } = [];
}

/// <summary><c>model:</c> the shared backbone and the heads' MLP.</summary>
public sealed record ModelConfig
{
    /// <summary>
    /// <c>seed-encoder</c> (seed 000's encoder), <c>squeezenet</c> (SqueezeNet 1.1's fire stack), <c>onnx</c> (an
    /// imported model at <see cref="Path"/>) or <c>resnet18-imagenet</c> (the ImageNet ResNet-18 of NuGet's
    /// Microsoft.ML.DnnImageFeaturizer.ResNet18, with its preprocessing).
    /// </summary>
    public string Backbone { get; init; } = "seed-encoder";
    /// <summary>onnx only: the model file (an <c>.onnx</c>, or the <c>model.safetensors</c> of <c>scratchnet import</c>), absolute.</summary>
    public string? Path { get; init; }
    /// <summary><c>none</c>, or <c>backbone</c>: the backbone's weights are not trained and its batch norms stay in eval mode.</summary>
    public string Freeze { get; init; } = "none";
    /// <summary>Channel multiplier.</summary>
    public double Width { get; init; } = 1.0;
    /// <summary>squeezenet only: last shared block (<c>stem</c>, <c>fire2</c> … <c>fire9</c>); later blocks are copied per head.</summary>
    public string SplitAfter { get; init; } = "fire9";
    /// <summary>Hidden widths of each head's MLP, first to last (empty = one linear layer); a task can override them.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(HiddenWidthsJson))]
    public IReadOnlyList<int> HeadHidden { get; init; } = [32];
    /// <summary>The activation after each hidden layer of a head (<c>gelu</c> or <c>relu</c>); a task can override it.</summary>
    public string HeadActivation { get; init; } = "gelu";
    /// <summary>Dropout after each head's hidden activation; a task can override it.</summary>
    public double Dropout { get; init; }
    /// <summary>
    /// State-dict names: <c>scratchnet</c> (<c>trunk.*</c>, <c>heads.TASK.*</c>) or <c>seed</c> (seed 000's PyTorch
    /// <c>encoder.*</c> and one top-level module per head, named by the task's <see cref="TaskConfig.Module"/>).
    /// </summary>
    public string Names { get; init; } = "scratchnet";
}

/// <summary>The three kinds of task.</summary>
public enum TaskKind
{
    /// <summary>One of several labels: softmax head, cross-entropy.</summary>
    Classification,
    /// <summary>A number: one output, squared error.</summary>
    Regression,
    /// <summary>Any subset of several labels: sigmoid per label, binary cross-entropy.</summary>
    MultiLabel,
}

/// <summary>
/// One item of <c>tasks:</c>. Which fields apply depends on <see cref="Kind"/>:
/// classification — <see cref="Column"/> + <see cref="Labels"/> (the CSV values, in output order);
/// regression — <see cref="Column"/> (+ <see cref="Scale"/>);
/// multilabel — either <see cref="Columns"/> (one 0/1 column per label) or <see cref="Column"/> + <see cref="Separator"/>
/// + <see cref="Labels"/> (one column of tags such as <c>cat|dog</c>; the value <see cref="NoneValue"/> means no tag).
/// A blank cell means "no label for this task in this row": the row does not count toward the task's loss or metrics.
/// </summary>
public sealed record TaskConfig
{
    /// <summary>Task (and head) name: letters, digits, <c>_</c> and <c>-</c>.</summary>
    public required string Name { get; init; }
    /// <summary>Kind of task.</summary>
    public required TaskKind Kind { get; init; }
    /// <summary>The CSV column (classification, regression, multilabel with tags).</summary>
    public string? Column { get; init; }
    /// <summary>Multilabel with one 0/1 column per label: the columns (their names are the labels).</summary>
    public IReadOnlyList<string> Columns { get; init; } = [];
    /// <summary>Classification: the CSV values, in output order. Multilabel with a tag column: the tags.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>Multilabel tag column: the separator between tags (default <c>|</c>).</summary>
    public string Separator { get; init; } = "|";
    /// <summary>Multilabel tag column: the cell value meaning "none of the tags" (a blank cell is a missing label).</summary>
    public string NoneValue { get; init; } = "none";
    /// <summary>
    /// Regression: the unit the head works in. It outputs z and predicts <c>ŷ = scale·z</c>; the loss is
    /// <c>(z − y/scale)² = ((ŷ − y)/scale)²</c>, so with a scale near the values' size the output and the loss stay
    /// near 1 (an optimiser moving weights by ~lr per step would otherwise need thousands of steps just to reach
    /// values in the hundreds). Predictions and metrics are in the column's units.
    /// </summary>
    public double Scale { get; init; } = 1.0;
    /// <summary>
    /// Regression, optional: named ranges of the value (<c>bands: {names: [...], upper: [...]}</c>, e.g. the US EPA
    /// AQI categories), reported as a band confusion matrix next to MAE/R² and printed by <c>predict</c>.
    /// </summary>
    public BandsConfig? Bands { get; init; }
    /// <summary>Multilabel: the fixed decision threshold on each sigmoid output (used unless <see cref="TuneThresholds"/>).</summary>
    public double Threshold { get; init; } = 0.5;
    /// <summary>Multilabel: tune one threshold per label on the validation split (Matthews correlation over 0.1–0.9).</summary>
    public bool TuneThresholds { get; init; }
    /// <summary>Weight of this task's loss in the sum.</summary>
    public double Weight { get; init; } = 1.0;
    /// <summary>Optional: the rows whose loss counts (null = every labelled row).</summary>
    public TaskCondition? When { get; init; }
    /// <summary>Head hidden widths; null = <see cref="ModelConfig.HeadHidden"/>.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(HiddenWidthsJson))]
    public IReadOnlyList<int>? Hidden { get; init; }
    /// <summary>Head activation (<c>gelu</c>, <c>relu</c>); null = <see cref="ModelConfig.HeadActivation"/>.</summary>
    public string? Activation { get; init; }
    /// <summary>Under <c>model.names: seed</c>: the head's module name in the state dict (seed 000: classifier, regressor).</summary>
    public string? Module { get; init; }
    /// <summary>Head dropout; null = <see cref="ModelConfig.Dropout"/>.</summary>
    public double? Dropout { get; init; }
    /// <summary>YAML line where this task starts.</summary>
    public int Line { get; init; }

    /// <summary>Output units of the head: labels (classification / multilabel) or 1 (regression).</summary>
    public int Outputs => Kind switch
    {
        TaskKind.Regression => 1,
        TaskKind.MultiLabel when Columns.Count > 0 => Columns.Count,
        _ => Labels.Count,
    };

    /// <summary>Label names of the outputs (for reports).</summary>
    public IReadOnlyList<string> OutputNames => Kind switch
    {
        TaskKind.Regression => [Name],
        TaskKind.MultiLabel when Columns.Count > 0 => Columns,
        _ => Labels,
    };
}

/// <summary>
/// <c>bands:</c> of a regression task: <see cref="Names"/> (lowest first) and the inclusive upper bound of every band
/// but the last (<see cref="Upper"/>, increasing). See <see cref="ScratchNet.Nn.Metrics.ValueBands"/>.
/// </summary>
public sealed record BandsConfig
{
    /// <summary>Band names, lowest first.</summary>
    public required IReadOnlyList<string> Names { get; init; }
    /// <summary>Inclusive upper bounds, one fewer than the names (the last band is open).</summary>
    public required IReadOnlyList<double> Upper { get; init; }

    /// <summary>The band table.</summary>
    public ScratchNet.Nn.Metrics.ValueBands ToBands() => new(Names, Upper);
}

/// <summary>
/// <c>when:</c> a mask on a task's loss, generalising seed 000 (which counts the AQI error only where is_sky was
/// predicted correctly). Both parts are optional; when both are given a row must meet both. Rows outside the
/// condition are also left out of the task's metrics.
/// </summary>
public sealed record TaskCondition
{
    /// <summary>Only rows where this (classification) task's true label is one of <see cref="LabelIn"/>.</summary>
    public string? LabelTask { get; init; }
    /// <summary>The labels of <see cref="LabelTask"/> that count.</summary>
    public IReadOnlyList<string> LabelIn { get; init; } = [];
    /// <summary>Only rows where this (classification) task was predicted correctly (argmax = label; a constant mask, no gradient).</summary>
    public string? CorrectTask { get; init; }
    /// <summary>YAML line of the <c>when:</c> key.</summary>
    public int Line { get; init; }
}

/// <summary><c>train:</c> optimiser, schedule, stopping rules and augmentation.</summary>
public sealed record TrainConfig
{
    /// <summary><c>adam</c>, <c>adamw</c> or <c>sgd</c>.</summary>
    public string Optimizer { get; init; } = "adam";
    /// <summary>Learning rate.</summary>
    public double Lr { get; init; } = 1e-3;
    /// <summary>Weight decay (L2 for adam/sgd, decoupled for adamw).</summary>
    public double WeightDecay { get; init; }
    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; }
    /// <summary>SGD Nesterov momentum.</summary>
    public bool Nesterov { get; init; }
    /// <summary>Batch size.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Epochs (the most; early stopping may end sooner).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Seed of initialisation, shuffling, augmentation and dropout.</summary>
    public int Seed { get; init; }
    /// <summary><c>constant</c> or <c>cosine</c> (anneal to 0 over <see cref="Epochs"/>).</summary>
    public string Schedule { get; init; } = "constant";
    /// <summary>Early stopping; null = train every epoch.</summary>
    public EarlyStoppingConfig? EarlyStopping { get; init; }
    /// <summary>Reduce-LR-on-plateau; null = off.</summary>
    public ReduceLrConfig? ReduceLrOnPlateau { get; init; }
    /// <summary>Training-time augmentation.</summary>
    public AugmentationConfig Augmentation { get; init; } = new();
    /// <summary>
    /// The validation figure that picks <c>best.safetensors</c> (and that early stopping and plateau default to):
    /// <c>val_loss</c> or <c>TASK.METRIC</c> (e.g. <c>class.accuracy</c>, <c>aqi.mae</c>, <c>tags.macro_f1</c>);
    /// <see cref="Monitors.LowerIsBetter"/> says whether it is minimised or maximised.
    /// </summary>
    public string Monitor { get; init; } = "val_loss";
}

/// <summary><c>early_stopping:</c> stop after <see cref="Patience"/> epochs without improvement of <see cref="Monitor"/>.</summary>
public sealed record EarlyStoppingConfig
{
    /// <summary>Metric to watch (null = <see cref="TrainConfig.Monitor"/>).</summary>
    public string? Monitor { get; init; }
    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; init; } = 10;
    /// <summary>Minimum change that counts as an improvement.</summary>
    public double MinDelta { get; init; }
    /// <summary>Test with the best epoch's weights (true) or the last epoch's.</summary>
    public bool RestoreBest { get; init; } = true;
}

/// <summary><c>reduce_lr_on_plateau:</c> <c>lr ← max(lr·factor, min_lr)</c> after <see cref="Patience"/> epochs without improvement.</summary>
public sealed record ReduceLrConfig
{
    /// <summary>Metric to watch (null = <see cref="TrainConfig.Monitor"/>).</summary>
    public string? Monitor { get; init; }
    /// <summary>Multiplier.</summary>
    public double Factor { get; init; } = 0.1;
    /// <summary>Epochs without improvement.</summary>
    public int Patience { get; init; } = 5;
    /// <summary>Floor of the learning rate.</summary>
    public double MinLr { get; init; } = 1e-6;
}

/// <summary><c>augmentation:</c> random transforms of training images (all off by default).</summary>
public sealed record AugmentationConfig
{
    /// <summary>Probability of a horizontal flip.</summary>
    public double Flip { get; init; }
    /// <summary>Largest rotation in degrees (uniform in ±).</summary>
    public double Rotation { get; init; }
    /// <summary>Largest shift as a fraction of the side (uniform in ±, each axis).</summary>
    public double Shift { get; init; }
    /// <summary>Zoom range [min, max] (1 = none).</summary>
    public double[] Zoom { get; init; } = [1, 1];
    /// <summary>Brightness factor range [min, max] (1 = none).</summary>
    public double[] Brightness { get; init; } = [1, 1];
}
