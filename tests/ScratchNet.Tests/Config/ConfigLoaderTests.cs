using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.ExperimentConfigs;

/// <summary>Configs that are valid: every field lands in the records, paths are resolved, defaults fill the gaps.</summary>
public sealed class ConfigLoaderTests : IDisposable
{
    private readonly TempDir dir = new();

    public ConfigLoaderTests()
    {
        // The files the configs below point at: a CSV in a sub-folder and a separate images folder.
        Directory.CreateDirectory(dir.File("fashion/img"));
        File.WriteAllText(dir.File("fashion/fashion.csv"), "file,label\n");
        File.WriteAllText(dir.File("d.csv"), "image,y\n");
    }

    public void Dispose() => dir.Dispose();

    private string Write(string name, string yaml)
    {
        var path = dir.File(name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void FullConfigFillsEveryField()
    {
        var path = Write("full.yml", """
            name: fashion
            data:
              csv: fashion/fashion.csv
              images: fashion/img
              path_column: file
              group_column: group
              split_column: split
              split: [0.5, 0.3, 0.2]
              seed: 7
              limit: 1000
            input:
              size: 28
              channels: 1
              mean: [0.286]
              std: 0.353
            model:
              backbone: squeezenet
              width: 0.5
              split_after: fire8
              head_hidden: 16
              dropout: 0.2
            tasks:
              - name: class
                type: classification
                column: label
                labels: [0, 1, shirt]
                weight: 2
                hidden: 64
                dropout: 0.1
              - name: price
                type: regression
                column: price
                scale: 100
                weight: 0.5
                when:
                  label: { task: class, in: shirt }
                  correct: class
              - name: tags
                type: multi-label
                column: tags
                labels: [red, blue]
                separator: ";"
                none_value: "-"
                threshold: tuned
              - name: flags
                type: multilabel
                columns: [is_new, on_sale]
                threshold: 0.3
                weight: 0
            train:
              optimizer: sgd
              lr: 0.01
              weight_decay: 1e-4
              momentum: 0.9
              nesterov: yes
              batch_size: 64
              epochs: 20
              seed: 3
              schedule: cosine
              monitor: class.accuracy
              early_stopping: { monitor: price.mae, patience: 4, min_delta: 0.01, restore_best: false }
              reduce_lr_on_plateau: { factor: 0.5, patience: 2, min_lr: 1e-5 }
              augmentation: { flip: 0.5, rotation: 20, shift: 0.1, zoom: [0.9, 1.1], brightness: [0.8, 1.2] }
            """);

        var c = ConfigLoader.Load(path);

        Assert.Equal("fashion", c.Name);
        Assert.Equal(path, c.SourceFile);
        Assert.Equal(new DataConfig
        {
            Csv = dir.File("fashion/fashion.csv"), Images = dir.File("fashion/img"), PathColumn = "file", GroupColumn = "group",
            SplitColumn = "split", SplitRatios = c.Data.SplitRatios, Seed = 7, Limit = 1000, Line = 2,
        }, c.Data);
        Assert.Equal([0.5, 0.3, 0.2], c.Data.SplitRatios);

        Assert.Equal((28, 1), (c.Input.Size, c.Input.Channels));
        Assert.Equal([0.286], c.Input.Mean);
        Assert.Equal([0.353], c.Input.Std);
        Assert.Equal(("squeezenet", 0.5, "fire8", 0.2, "gelu", "scratchnet"), (c.Model.Backbone, c.Model.Width, c.Model.SplitAfter, c.Model.Dropout, c.Model.HeadActivation, c.Model.Names));
        Assert.Equal([16], c.Model.HeadHidden);

        Assert.Equal(["class", "price", "tags", "flags"], c.Tasks.Select(t => t.Name));
        var cls = c.Tasks[0];
        Assert.Equal((TaskKind.Classification, "label", 2.0, 0.1, 23), (cls.Kind, cls.Column, cls.Weight, cls.Dropout, cls.Line));
        Assert.Equal([64], cls.Hidden!);
        Assert.Equal(["0", "1", "shirt"], cls.Labels); // scalars are read as text
        Assert.Null(cls.When);

        var price = c.Tasks[1];
        Assert.Equal((TaskKind.Regression, "price", 100.0, 0.5, 30), (price.Kind, price.Column, price.Scale, price.Weight, price.Line));
        Assert.Null(price.Hidden); // null = the model's head_hidden
        Assert.Equal("class", price.When!.LabelTask);
        Assert.Equal(["shirt"], price.When.LabelIn); // a single label may be written without brackets
        Assert.Equal("class", price.When.CorrectTask);
        Assert.Equal(35, price.When.Line);

        var tags = c.Tasks[2];
        Assert.Equal((TaskKind.MultiLabel, "tags", ";", "-", true), (tags.Kind, tags.Column, tags.Separator, tags.NoneValue, tags.TuneThresholds));
        Assert.Equal(["red", "blue"], tags.Labels);
        Assert.Equal(2, tags.Outputs);

        var flags = c.Tasks[3];
        Assert.Equal((TaskKind.MultiLabel, null, 0.3, false, 0.0), (flags.Kind, flags.Column, flags.Threshold, flags.TuneThresholds, flags.Weight));
        Assert.Equal(["is_new", "on_sale"], flags.Columns);
        Assert.Equal(["is_new", "on_sale"], flags.OutputNames);

        var t = c.Train;
        Assert.Equal(("sgd", 0.01, 1e-4, 0.9, true), (t.Optimizer, t.Lr, t.WeightDecay, t.Momentum, t.Nesterov));
        Assert.Equal((64, 20, 3, "cosine", "class.accuracy"), (t.BatchSize, t.Epochs, t.Seed, t.Schedule, t.Monitor));
        Assert.Equal(new EarlyStoppingConfig { Monitor = "price.mae", Patience = 4, MinDelta = 0.01, RestoreBest = false }, t.EarlyStopping);
        Assert.Equal(new ReduceLrConfig { Monitor = null, Factor = 0.5, Patience = 2, MinLr = 1e-5 }, t.ReduceLrOnPlateau);
        Assert.Equal((0.5, 20.0, 0.1), (t.Augmentation.Flip, t.Augmentation.Rotation, t.Augmentation.Shift));
        Assert.Equal([0.9, 1.1], t.Augmentation.Zoom);
        Assert.Equal([0.8, 1.2], t.Augmentation.Brightness);
    }

    [Fact]
    public void LeftOutFieldsTakeTheirDefaults()
    {
        var path = Write("tiny.yaml", """
            data:
              csv: d.csv
            tasks:
              - name: y
                type: regression
                column: y
            """);

        var c = ConfigLoader.Load(path);

        Assert.Equal("tiny", c.Name); // the file name without extension
        Assert.Equal(dir.File("d.csv"), c.Data.Csv);
        Assert.Equal(dir.Path, c.Data.Images); // the CSV's folder
        Assert.Equal(("image", null, null, 0, null), (c.Data.PathColumn, c.Data.GroupColumn, c.Data.SplitColumn, c.Data.Seed, c.Data.Limit));
        Assert.Equal([0.60, 0.25, 0.15], c.Data.SplitRatios);
        Assert.Equal((64, 3), (c.Input.Size, c.Input.Channels));
        Assert.Equal([0.0, 0.0, 0.0], c.Input.Mean); // filled in per channel so the trainer needs no special case
        Assert.Equal([1.0, 1.0, 1.0], c.Input.Std);
        Assert.Equal(("seed-encoder", 1.0, "gelu", "scratchnet", 0.0), (c.Model.Backbone, c.Model.Width, c.Model.HeadActivation, c.Model.Names, c.Model.Dropout));
        Assert.Equal([32], c.Model.HeadHidden);
        var y = c.Tasks[0];
        Assert.Equal(("y", TaskKind.Regression, "y", 4, 1.0, 1.0), (y.Name, y.Kind, y.Column, y.Line, y.Scale, y.Weight));
        Assert.Null(y.Hidden);
        Assert.Null(y.Dropout);
        Assert.Null(y.When);
        var t = c.Train;
        Assert.Equal(("adam", 1e-3, 0.0, 0.0, false, 32, 10, "constant", "val_loss"), (t.Optimizer, t.Lr, t.WeightDecay, t.Momentum, t.Nesterov, t.BatchSize, t.Epochs, t.Schedule, t.Monitor));
        Assert.Null(t.EarlyStopping);
        Assert.Null(t.ReduceLrOnPlateau);
        Assert.Equal([1.0, 1.0], t.Augmentation.Zoom);
        Assert.Equal(0.0, t.Augmentation.Flip);
    }

    [Fact]
    public void Seed000AsAConfig()
    {
        var path = Write("sky.yml", """
            # Seed 000: is this a sky photo? If so, what is the AQI?
            data:
              csv: d.csv
              group_column: location
            input: { size: 224, channels: 3 }
            model: { backbone: seed-encoder }
            tasks:
              - name: is_sky
                type: classification
                column: is_sky
                labels: [not_sky, sky]
                weight: 0.1
              - name: aqi
                type: regression
                column: aqi
                scale: 100
                weight: 0.9
                when:
                  correct: is_sky
            train: { lr: 1e-4, weight_decay: 1e-5, batch_size: 16, epochs: 100, monitor: aqi.mae }
            """);

        var c = ConfigLoader.Load(path);

        var isSky = c.Task("is_sky")!;
        Assert.Equal((TaskKind.Classification, 0.1, 2), (isSky.Kind, isSky.Weight, isSky.Outputs));
        Assert.Equal(["not_sky", "sky"], isSky.Labels);
        var aqi = c.Task("aqi")!;
        Assert.Equal((TaskKind.Regression, 0.9, 100.0, 1), (aqi.Kind, aqi.Weight, aqi.Scale, aqi.Outputs));
        Assert.Equal(("is_sky", null, 18), (aqi.When!.CorrectTask, aqi.When.LabelTask, aqi.When.Line));
        Assert.Empty(aqi.When.LabelIn);
        Assert.Equal("aqi.mae", c.Train.Monitor);
        Assert.True(Monitors.LowerIsBetter(c.Train.Monitor));
        Assert.Equal((224, "seed-encoder", "location"), (c.Input.Size, c.Model.Backbone, c.Data.GroupColumn));
    }

    [Fact]
    public void RelativePathsResolveAgainstTheConfigFolderNotTheWorkingDirectory()
    {
        var path = Write("fashion/exp.yml", """
            data: { csv: fashion.csv, images: img }
            tasks: [{ name: c, type: classification, column: label, labels: [a, b] }]
            """);
        var before = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.GetTempPath();
            var c = ConfigLoader.Load(Path.GetRelativePath(Path.GetTempPath(), path));
            Assert.Equal(dir.File("fashion/fashion.csv"), c.Data.Csv);
            Assert.Equal(dir.File("fashion/img"), c.Data.Images);
        }
        finally
        {
            Environment.CurrentDirectory = before;
        }
    }

    [Fact]
    public void ParseWithoutFileChecksAcceptsMissingFilesAndNamesBuiltins()
    {
        var c = ConfigLoader.Parse("""
            data: { csv: /nowhere/x.csv }
            tasks: [{ name: n, type: multilabel, columns: [a] }]
            train: { early_stopping: true, reduce_lr_on_plateau: false }
            """, "builtin:demo", "/base", checkFiles: false);

        Assert.Equal(("demo", "builtin:demo"), (c.Name, c.SourceFile));
        Assert.Equal("/nowhere/x.csv", c.Data.Csv);
        Assert.Equal("/nowhere", c.Data.Images);
        Assert.Equal(new EarlyStoppingConfig(), c.Train.EarlyStopping); // `true` = every default
        Assert.Null(c.Train.ReduceLrOnPlateau); // `false` = off
        Assert.Equal(0.5, c.Tasks[0].Threshold);
    }

    [Fact]
    public void MonitorsKnowWhichWayIsBetter()
    {
        Assert.True(Monitors.LowerIsBetter("val_loss"));
        Assert.True(Monitors.LowerIsBetter("tags.hamming_loss"));
        Assert.True(Monitors.LowerIsBetter("aqi.rmse"));
        Assert.False(Monitors.LowerIsBetter("class.accuracy"));
        Assert.False(Monitors.LowerIsBetter("aqi.r2"));
        Assert.False(Monitors.LowerIsBetter("tags.exact_match"));
    }
}
