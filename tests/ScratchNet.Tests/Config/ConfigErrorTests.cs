using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Tests.ExperimentConfigs;

/// <summary>
/// Configs that are wrong: each must fail with <c>exp.yml:LINE: FIELD: …</c>, the line where the mistake is and
/// the path of the field, saying what was expected. Messages are compared whole where the wording matters.
/// </summary>
public sealed class ConfigErrorTests
{
    private const string Source = "exp.yml";

    // Line 9 is free for one top-level line (a section written as a flow mapping) under test.
    private const string WithSection = """
        data:
          csv: d.csv
        tasks:
          - name: class
            type: classification
            column: label
            labels: [shirt, shoe]
          - { name: price, type: regression, column: price }
        {0}
        """;

    // Line 8 is free for one field of the second task under test (its type and column come first).
    private const string WithTaskField = """
        data:
          csv: d.csv
        tasks:
          - name: class
            type: classification
            column: label
            labels: [shirt, shoe]
          - {0}
        """;

    private static ConfigException Fails(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, Source, "/base", checkFiles: false));

    private static void FailsAt(string yaml, int line, string message)
    {
        var e = Fails(yaml);
        Assert.Equal(Source, e.File);
        Assert.Equal(line, e.Line);
        Assert.Equal($"{Source}:{line}: {message}", e.Message);
    }


    [Theory]
    [InlineData("trian: { lr: 0.1 }", "unknown field 'trian'; expected one of name, data, input, model, tasks, train (did you mean 'train'?)")]
    [InlineData("model: { backbone: resnet }", "model.backbone: 'resnet' is not a backbone; expected seed-encoder, squeezenet, onnx or resnet18-imagenet")]
    [InlineData("model: { backbone: squeezenet1 }", "model.backbone: 'squeezenet1' is not a backbone; expected seed-encoder, squeezenet, onnx or resnet18-imagenet (did you mean 'squeezenet'?)")]
    [InlineData("model: { split_after: fire8 }", "model.split_after: only the squeezenet backbone has blocks to split after; backbone is seed-encoder")]
    [InlineData("model: { backbone: squeezenet, split_after: fir8 }", "model.split_after: 'fir8' is not a squeezenet block; expected stem, fire2, fire3, fire4, fire5, fire6, fire7, fire8 or fire9 (did you mean 'fire8'?)")]
    [InlineData("model: { width: 0 }", "model.width: expected a number > 0, got '0'")]
    [InlineData("model: { dropout: 1 }", "model.dropout: expected a probability 0 <= p < 1, got '1'")]
    [InlineData("model: { head_hidden: -1 }", "model.head_hidden: expected an integer >= 0 or a list of integers >= 1 such as [32, 8], got '-1'")]
    [InlineData("model: { head_hidden: [32, 0] }", "model.head_hidden[1]: expected an integer >= 1 (a hidden layer's width), got '0'")]
    [InlineData("model: { head_activation: tanh }", "model.head_activation: 'tanh' is not an activation; expected gelu or relu")]
    [InlineData("model: { names: torch }", "model.names: 'torch' is not a naming scheme; expected scratchnet or seed")]
    [InlineData("model: { names: seed, width: 0.5 }", "model.width: seed 000's names describe its exact encoder; a width other than 1 changes its shapes (leave out names: seed)")]
    [InlineData("model: { backbone: squeezenet, names: seed }", "model.names: seed 000's names (encoder.*, classifier.*, …) exist only for the seed-encoder backbone; backbone is squeezenet")]
    [InlineData("input: { size: 4 }", "input.size: expected an integer from 8 to 1024, got '4'")]
    [InlineData("input: { channels: 2 }", "input.channels: expected 1 (grey) or 3 (RGB), got '2'")]
    [InlineData("input: { channels: 3, mean: [0.5, 0.5] }", "input.mean: expected 3 number(s), one per channel (input.channels is 3), got 2")]
    [InlineData("input: { std: 0 }", "input.std: expected a number > 0 or a list of 3, got '0'")]
    [InlineData("input: { channels: 1, std: [0] }", "input.std[0]: expected a number > 0, got '0'")]
    [InlineData("train: { lr: fast }", "train.lr: expected a number > 0, got 'fast'")]
    [InlineData("train: { lr: [0.1] }", "train.lr: expected a number > 0, got a list")]
    [InlineData("train: { lr: }", "train.lr: expected a number > 0, got nothing")]
    [InlineData("train: { epochs: 1.5 }", "train.epochs: expected an integer >= 1, got '1.5'")]
    [InlineData("train: { batch_size: 0 }", "train.batch_size: expected an integer >= 1, got '0'")]
    [InlineData("train: { optimizer: adamm }", "train.optimizer: 'adamm' is not an optimizer; expected adam, adamw or sgd (did you mean 'adam'?)")]
    [InlineData("train: { schedule: linear }", "train.schedule: 'linear' is not a schedule; expected constant or cosine")]
    [InlineData("train: { momentum: 0.9 }", "train.momentum: only the sgd optimizer takes momentum; optimizer is adam")]
    [InlineData("train: { optimizer: sgd, nesterov: true }", "train.nesterov: Nesterov momentum needs momentum > 0")]
    [InlineData("train: { optimizer: sgd, momentum: 1 }", "train.momentum: expected a number 0 <= m < 1, got '1'")]
    [InlineData("train: { optimizer: sgd, momentum: 0.9, nesterov: maybe }", "train.nesterov: expected true or false, got 'maybe'")]
    [InlineData("train: { monitor: clas.accuracy }", "train.monitor: no task is called 'clas'; expected val_loss or TASK.METRIC with TASK one of class or price (did you mean 'class.accuracy'?)")]
    [InlineData("train: { monitor: price.accuracy }", "train.monitor: 'accuracy' is not a metric of regression task 'price'; expected price.mae, price.rmse, price.r2 or price.loss")]
    [InlineData("train: { monitor: loss }", "train.monitor: 'loss' is not a monitor; expected val_loss or TASK.METRIC such as class.accuracy")]
    [InlineData("train: { early_stopping: { monitor: class.f1 } }", "train.early_stopping.monitor: 'f1' is not a metric of classification task 'class'; expected class.accuracy, class.macro_f1 or class.loss")]
    [InlineData("train: { early_stopping: { patience: 0 } }", "train.early_stopping.patience: expected an integer >= 1, got '0'")]
    [InlineData("train: { early_stopping: }", "train.early_stopping: expected a mapping (with monitor, patience, min_delta or restore_best), got nothing")]
    [InlineData("train: { early_stopping: { patiense: 3 } }", "train.early_stopping: unknown field 'patiense'; expected one of monitor, patience, min_delta, restore_best (did you mean 'patience'?)")]
    [InlineData("train: { reduce_lr_on_plateau: { factor: 1 } }", "train.reduce_lr_on_plateau.factor: expected a number 0 < f < 1, got '1'")]
    [InlineData("train: { reduce_lr_on_plateau: { monitor: price.mse } }", "train.reduce_lr_on_plateau.monitor: 'mse' is not a metric of regression task 'price'; expected price.mae, price.rmse, price.r2 or price.loss (did you mean 'price.mae'?)")]
    [InlineData("train: { augmentation: { flip: 1.5 } }", "train.augmentation.flip: expected a probability from 0 to 1, got '1.5'")]
    [InlineData("train: { augmentation: { rotation: 200 } }", "train.augmentation.rotation: expected degrees from 0 to 180, got '200'")]
    [InlineData("train: { augmentation: { shift: 0.5 } }", "train.augmentation.shift: expected a fraction 0 <= s < 0.5, got '0.5'")]
    [InlineData("train: { augmentation: { zoom: [1.2, 0.9] } }", "train.augmentation.zoom: expected two factors [min, max] with 0 < min <= max, but min 1.2 > max 0.9")]
    [InlineData("train: { augmentation: { brightness: [0.8] } }", "train.augmentation.brightness: expected two factors [min, max] with 0 < min <= max, got 1 value(s)")]
    [InlineData("train: { augmentation: { zoom: [0, 1] } }", "train.augmentation.zoom[0]: expected a factor > 0, got '0'")]
    [InlineData("train: [lr]", "train: expected a mapping (with optimizer, lr, weight_decay, momentum, nesterov, batch_size, epochs, seed, schedule, monitor, early_stopping, reduce_lr_on_plateau or augmentation), got a list")]
    [InlineData("name: a/b", "name: 'a/b' cannot be part of a folder name (runs/NAME-TIME); leave out / and \\")]
    public void SectionErrorsNameFieldAndLine(string line, string message) => FailsAt(WithSection.Replace("{0}", line), 9, message);

    [Theory]
    [InlineData("{ name: price, type: clasification }", "tasks[1].type: 'clasification' is not a task type; expected classification, regression or multilabel (did you mean 'classification'?)")]
    [InlineData("{ name: price, type: [regression] }", "tasks[1].type: expected a task type (classification, regression or multilabel), got a list")]
    [InlineData("{ name: price, tpye: regression }", "tasks[1]: unknown field 'tpye'; expected one of name, type, column, labels, separator, none_value, columns, scale, threshold, bands, weight, hidden, activation, dropout, module, when (did you mean 'type'?)")]
    [InlineData("{ name: price, column: price }", "tasks[1]: missing required field 'type' (classification, regression or multilabel)")]
    [InlineData("{ type: regression, column: price }", "tasks[1]: missing required field 'name'")]
    [InlineData("{ name: 2price, type: regression, column: p }", "tasks[1].name: '2price' is not a valid task name; use letters, digits, _ and -, starting with a letter")]
    [InlineData("{ name: class, type: regression, column: p }", "tasks[1].name: 'class' is already the name of tasks[0] (line 4); task names must be unique")]
    [InlineData("{ name: price, type: regression }", "tasks[1]: missing required field 'column' (the CSV column of this task's values)")]
    [InlineData("{ name: price, type: regression, column: p, scale: 0 }", "tasks[1].scale: expected a number > 0, got '0'")]
    [InlineData("{ name: price, type: regression, column: p, weight: -1 }", "tasks[1].weight: expected a number >= 0, got '-1'")]
    [InlineData("{ name: price, type: regression, column: p, dropout: 1.0 }", "tasks[1].dropout: expected a probability 0 <= p < 1, got '1.0'")]
    [InlineData("{ name: price, type: regression, column: p, hidden: 8.5 }", "tasks[1].hidden: expected an integer >= 0 or a list of integers >= 1 such as [32, 8], got '8.5'")]
    [InlineData("{ name: price, type: regression, column: p, hidden: [16, 8.5] }", "tasks[1].hidden[1]: expected an integer >= 1 (a hidden layer's width), got '8.5'")]
    [InlineData("{ name: price, type: regression, column: p, activation: selu }", "tasks[1].activation: 'selu' is not an activation; expected gelu or relu (did you mean 'gelu'?)")]
    [InlineData("{ name: price, type: regression, column: p, module: regressor }", "tasks[1].module: module names a head's state-dict module only under model.names: seed; with the default names the head is heads.price")]
    [InlineData("{ name: price, type: regression, column: p, bands: { names: [low, mid, high], upper: [10] } }", "tasks[1].bands.upper: 3 bands need 2 upper bounds (the last band, high, has none), got 1")]
    [InlineData("{ name: price, type: regression, column: p, bands: { names: [low, mid, high], upper: [10, 5] } }", "tasks[1].bands.upper[1]: upper bounds must increase: 5 follows 10")]
    [InlineData("{ name: price, type: regression, column: p, bands: { names: [all] } }", "tasks[1].bands.names: expected at least 2 band names, got 1")]
    [InlineData("{ name: price, type: regression, column: p, bands: { names: [low, high], upper: [.nan] } }", "tasks[1].bands.upper[0]: expected a finite number, got '.nan'")]
    [InlineData("{ name: price, type: regression, column: p, bands: { names: [low, high] } }", "tasks[1].bands: missing required field 'upper' (the inclusive upper bound of every band but the last)")]
    [InlineData("{ name: kind, type: classification, column: k, labels: [a, b], bands: { names: [low, high], upper: [1] } }", "tasks[1].bands: a classification task has no bands (only regression tasks do)")]
    [InlineData("{ name: price, type: regression, column: p, labels: [a, b] }", "tasks[1].labels: a regression task has no labels (only classification or multilabel tasks do)")]
    [InlineData("{ name: kind, type: classification, column: k, scale: 2 }", "tasks[1].scale: a classification task has no scale (only regression tasks do)")]
    [InlineData("{ name: kind, type: classification, column: k }", "tasks[1]: missing required field 'labels' (the CSV values, in output order)")]
    [InlineData("{ name: kind, type: classification, column: k, labels: [a] }", "tasks[1].labels: expected at least 2 labels, got 1")]
    [InlineData("{ name: kind, type: classification, column: k, labels: a }", "tasks[1].labels: expected a list of labels, got 'a'")]
    [InlineData("{ name: kind, type: classification, column: k, labels: [a, b, a] }", "tasks[1].labels[2]: 'a' is listed twice (also [0])")]
    [InlineData("{ name: kind, type: classification, column: k, labels: [a, ''] }", "tasks[1].labels[1]: expected a label, got ''")]
    [InlineData("{ name: tags, type: multilabel, columns: [a], column: t }", "tasks[1].columns: a multilabel task takes either columns (one 0/1 column per label) or column + labels (one column of tags), not both")]
    [InlineData("{ name: tags, type: multilabel, threshold: 0.5 }", "tasks[1]: a multilabel task needs either columns (one 0/1 column per label) or column + labels (one column of tags)")]
    [InlineData("{ name: tags, type: multilabel, column: t }", "tasks[1]: missing required field 'labels' (the tags that may appear in the column)")]
    [InlineData("{ name: tags, type: multilabel, labels: [a] }", "tasks[1]: missing required field 'column' (the CSV column of tags; labels lists the tags)")]
    [InlineData("{ name: tags, type: multilabel, columns: [] }", "tasks[1].columns: expected at least 1 column, got 0")]
    [InlineData("{ name: tags, type: multilabel, columns: [a], separator: ';' }", "tasks[1].separator: only a tag column (column + labels) has this; with columns each label has its own 0/1 column")]
    [InlineData("{ name: tags, type: multilabel, column: t, labels: [a], separator: '' }", "tasks[1].separator: expected a separator such as '|', got ''")]
    [InlineData("{ name: tags, type: multilabel, column: t, labels: [a, none] }", "tasks[1].labels: 'none' is both a label and the none_value (the cell meaning \"no tag\", default none); set none_value to another word")]
    [InlineData("{ name: tags, type: multilabel, columns: [a], threshold: 1.5 }", "tasks[1].threshold: expected a threshold 0 < t < 1 or the word tuned, got '1.5'")]
    [InlineData("{ name: tags, type: multilabel, columns: [a], threshold: tune }", "tasks[1].threshold: expected a threshold 0 < t < 1 or the word tuned, got 'tune'")]
    [InlineData("{ name: price, type: regression, column: p, when: { correct: clas } }", "tasks[1].when.correct: no task is called 'clas'; tasks are class or price (did you mean 'class'?)")]
    [InlineData("{ name: price, type: regression, column: p, when: { correct: price } }", "tasks[1].when.correct: task 'price' cannot depend on itself; name another (classification) task")]
    [InlineData("{ name: price, type: regression, column: p, when: { label: { task: class, in: [shirt, hat] } } }", "tasks[1].when.label.in[1]: 'hat' is not a label of task 'class'; expected shirt or shoe")]
    [InlineData("{ name: price, type: regression, column: p, when: { label: { task: class, in: sho } } }", "tasks[1].when.label.in: 'sho' is not a label of task 'class'; expected shirt or shoe (did you mean 'shoe'?)")]
    [InlineData("{ name: price, type: regression, column: p, when: { label: { task: class } } }", "tasks[1].when.label: missing required field 'in' (labels of 'class')")]
    [InlineData("{ name: price, type: regression, column: p, when: { } }", "tasks[1].when: expected label: and/or correct:")]
    [InlineData("{ name: price, type: regression, column: p, when: }", "tasks[1].when: expected a mapping (with label or correct), got nothing")]
    [InlineData("{ name: price, type: regression, column: p, when: { corect: class } }", "tasks[1].when: unknown field 'corect'; expected one of label, correct (did you mean 'correct'?)")]
    public void TaskErrorsNameFieldAndLine(string task, string message) => FailsAt(WithTaskField.Replace("{0}", task), 8, message);

    // Under seed 000's names every head is a top-level module, so each task must say which; the error points at the task.
    [Fact]
    public void SeedNamesNeedAModuleForEveryTask() =>
        FailsAt(WithSection.Replace("{0}", "model: { names: seed }"), 4,
            "tasks[0]: model.names is seed, so task 'class' needs module: (its top-level module name, e.g. classifier or regressor)");

    [Fact]
    public void TwoHeadsCannotShareAModule() =>
        FailsAt("""
            data: { csv: d.csv }
            model: { names: seed }
            tasks:
              - { name: a, type: regression, column: a, module: head }
              - { name: b, type: regression, column: b, module: head }
            """, 5, "tasks[1].module: 'head' is already the module of task 'a' (line 4); each head needs its own");

    [Fact]
    public void ConditionOnARegressionTaskIsRejected()
    {
        FailsAt("""
            data: { csv: d.csv }
            tasks:
              - { name: aqi, type: regression, column: aqi }
              - name: band
                type: classification
                column: band
                labels: [good, bad]
                when:
                  correct: aqi
            """, 9, "tasks[1].when.correct: task 'aqi' is a regression task; a condition needs a classification task");
    }

    [Fact]
    public void ConditionMayNameALaterTask()
    {
        var c = ConfigLoader.Parse("""
            data: { csv: d.csv }
            tasks:
              - { name: aqi, type: regression, column: aqi, when: { label: { task: sky, in: [yes] } } }
              - { name: sky, type: classification, column: s, labels: [yes, no] }
            """, Source, "/base", checkFiles: false);
        Assert.Equal(["yes"], c.Tasks[0].When!.LabelIn);
        Assert.Equal(3, c.Tasks[0].When!.Line);
    }

    [Fact]
    public void UnknownTaskFieldPointsAtTheTypoLine()
    {
        FailsAt("""
            data:
              csv: d.csv
            tasks:
              - name: class
                type: classification
                column: label
                lables: [a, b]
            """, 7, "tasks[0]: unknown field 'lables'; expected one of name, type, column, labels, separator, none_value, columns, scale, threshold, bands, weight, hidden, activation, dropout, module, when (did you mean 'labels'?)");
    }

    [Fact]
    public void DataErrors()
    {
        FailsAt("tasks: [{ name: a, type: regression, column: y }]\n", 1, "missing required field 'data' (the CSV of images and labels)");
        FailsAt("""
            data:
              images: img
            tasks: [{ name: a, type: regression, column: y }]
            """, 1, "data: missing required field 'csv' (the CSV file of images and labels)");
        FailsAt("""
            data:
              csv: d.csv
              split: [0.5, 0.3, 0.3]
            tasks: [{ name: a, type: regression, column: y }]
            """, 3, "data.split: the fractions must sum to 1, but 0.5 + 0.3 + 0.3 = 1.1");
        FailsAt("""
            data:
              csv: d.csv
              split: [0, 0.5, 0.5]
            tasks: [{ name: a, type: regression, column: y }]
            """, 3, "data.split: the train fraction (the first) must be > 0");
        FailsAt("""
            data:
              csv: d.csv
              split: [0.5, 0.5]
            tasks: [{ name: a, type: regression, column: y }]
            """, 3, "data.split: expected three fractions [train, validation, test], got 2");
        FailsAt("""
            data:
              csv: d.csv
              split:
                - 1.2
                - -0.2
                - 0
            tasks: [{ name: a, type: regression, column: y }]
            """, 5, "data.split[1]: expected a fraction >= 0, got '-0.2'");
        FailsAt("""
            data:
              csv: d.csv
              limit: 0
            tasks: [{ name: a, type: regression, column: y }]
            """, 3, "data.limit: expected an integer >= 1, got '0'");
        FailsAt("""
            data: d.csv
            tasks: [{ name: a, type: regression, column: y }]
            """, 1, "data: expected a mapping (with csv, images, path_column, group_column, split_column, split, seed or limit), got 'd.csv'");
    }

    [Fact]
    public void TaskListErrors()
    {
        FailsAt("data: { csv: d.csv }\ntasks: []\n", 2, "tasks: expected at least one task");
        FailsAt("data: { csv: d.csv }\ntasks:\n", 2, "tasks: expected a list of tasks, got nothing");
        FailsAt("data: { csv: d.csv }\n", 1, "missing required field 'tasks' (a list of at least one task)");
        FailsAt("""
            data: { csv: d.csv }
            tasks:
              - { name: a, type: regression, column: y, weight: 0 }
              - { name: b, type: regression, column: z, weight: 0 }
            """, 2, "tasks: every task has weight 0; at least one needs weight > 0 for anything to be trained");
    }

    [Fact]
    public void DuplicateKeysNameTheSecondLine()
    {
        FailsAt("""
            data: { csv: d.csv }
            tasks: [{ name: a, type: regression, column: y }]
            train:
              lr: 0.1
              epochs: 3
              lr: 0.2
            """, 6, "duplicate key 'lr': a key may appear only once in a mapping");
        // Keys that differ only in their tag are the same field too.
        FailsAt("""
            data: { csv: d.csv }
            tasks: [{ name: a, type: regression, column: y }]
            train:
              lr: 0.1
              !!str lr: 0.2
            """, 5, "train: field 'lr' is given twice (first on line 4)");
    }

    [Fact]
    public void YamlSyntaxErrorsKeepTheirLine()
    {
        var e = Fails("data: { csv: d.csv }\ntasks:\n  - name: a\n    type: regression: bad\n");
        Assert.Equal(4, e.Line);
        Assert.StartsWith($"{Source}:4: YAML syntax error: ", e.Message);

        // YamlDotNet's scanner throws without a position here; the line is where reading stopped.
        var unclosed = Fails("data: { csv: d.csv }\ntasks: [1, 2\nlr: 3\n");
        Assert.Equal(2, unclosed.Line);
        Assert.Contains("YAML syntax error: cannot read on from here (is a [, { or quote left open?)", unclosed.Message);
    }

    [Theory]
    [InlineData("", 0, "the file is empty; expected a mapping with at least data: and tasks:")]
    [InlineData("# nothing but a comment\n", 0, "the file is empty; expected a mapping with at least data: and tasks:")]
    [InlineData("- data\n- tasks\n", 1, "expected a mapping (with name, data, input, model, tasks or train), got a list")]
    [InlineData("data: { csv: d.csv }\n---\ntasks: []\n", 3, "expected one YAML document, found a second one (remove the '---')")]
    public void TheFileAsAWholeMustBeOneMapping(string yaml, int line, string message)
    {
        var e = Fails(yaml);
        Assert.Equal(line, e.Line);
        Assert.Equal(line > 0 ? $"{Source}:{line}: {message}" : $"{Source}: {message}", e.Message);
    }
}
