using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// Reads one item of <c>tasks:</c> into a <see cref="TaskConfig"/> (without its <c>when:</c>, which needs every
/// task first: see <see cref="ConditionSection"/>). Fields that belong to another kind of task are errors, so a
/// <c>scale</c> on a classification task is caught rather than ignored.
/// </summary>
internal static partial class TaskSection
{
    private static readonly string[] Keys =
        ["name", "type", "column", "labels", "separator", "none_value", "columns", "scale", "threshold", "bands", "weight", "hidden", "activation", "dropout", "module", "when"];

    /// <summary>The task type words, as listed in messages.</summary>
    private static readonly string[] TypeWords = ["classification", "regression", "multilabel"];

    // Fields that only some kinds of task take (every other field is common to all), in the order they are checked.
    private static readonly (string Field, TaskKind[] Kinds)[] KindFields =
    [
        ("labels", [TaskKind.Classification, TaskKind.MultiLabel]),
        ("columns", [TaskKind.MultiLabel]),
        ("separator", [TaskKind.MultiLabel]),
        ("none_value", [TaskKind.MultiLabel]),
        ("threshold", [TaskKind.MultiLabel]),
        ("scale", [TaskKind.Regression]),
        ("bands", [TaskKind.Regression]),
    ];

    /// <summary>The word for a kind in messages and YAML.</summary>
    public static string Word(TaskKind kind) => kind switch
    {
        TaskKind.Classification => "classification",
        TaskKind.Regression => "regression",
        _ => "multilabel",
    };

    /// <summary>Reads one task; returns its mapping too, for the <c>when:</c> pass.</summary>
    public static (TaskConfig Task, YamlMap Map) Read(YamlValue item)
    {
        var map = item.Map(Keys);
        var name = Name(map.Required("name"));
        var kind = Kind(map.Required("type", $" ({Choices.Or(TypeWords)})"));
        foreach (var (field, kinds) in KindFields)
        {
            if (map.Has(field) && !kinds.Contains(kind))
                throw map.ErrorAt(field, $"a {Word(kind)} task has no {field} (only {Choices.Or(kinds.Select(Word).ToArray())} tasks do)");
        }

        var task = new TaskConfig { Name = name, Kind = kind, Line = map.Line };
        task = kind switch
        {
            TaskKind.Classification => task with { Column = Column(map), Labels = Words(map.Required("labels", " (the CSV values, in output order)"), "label", 2) },
            TaskKind.Regression => task with
            {
                Column = Column(map), Scale = map.Number("scale", task.Scale, v => v > 0, "a number > 0"),
                Bands = map.Get("bands") is { } b ? Bands(b) : null,
            },
            _ => MultiLabel(map, task),
        };
        return (task with
        {
            Weight = map.Number("weight", task.Weight, v => v >= 0, "a number >= 0"),
            Hidden = map.Get("hidden") is { } h ? ModelSection.HiddenWidths(h) : null,
            Activation = map.Has("activation") ? map.Choice("activation", "gelu", ModelSection.Activations, "an activation") : null,
            Module = map.Get("module") is { } m ? ModuleName(m) : null,
            Dropout = map.Get("dropout")?.Number(Ranges.IsDropout, Ranges.Dropout),
        }, map);
    }

    private static string Name(YamlValue value)
    {
        var name = value.Text("a task name");
        return NamePattern().IsMatch(name)
            ? name
            : throw value.Error($"'{name}' is not a valid task name; use letters, digits, _ and -, starting with a letter");
    }

    // bands: {names: [Good, Moderate, ...], upper: [50, 100, ...]}: one upper bound fewer than names, increasing.
    private static BandsConfig Bands(YamlValue value)
    {
        var map = value.Map(["names", "upper"]);
        var names = Words(map.Required("names", " (the bands' names, lowest first)"), "band name", 2);
        var upperList = map.Required("upper", " (the inclusive upper bound of every band but the last)");
        var items = upperList.Items("a list of numbers");
        var upper = items.Select(i => i.Number(double.IsFinite, "a finite number")).ToArray();
        if (upper.Length != names.Length - 1)
            throw upperList.Error($"{names.Length} bands need {names.Length - 1} upper bounds (the last band, {names[^1]}, has none), got {upper.Length}");
        for (int i = 1; i < upper.Length; i++)
        {
            if (upper[i] <= upper[i - 1])
                throw items[i].Error($"upper bounds must increase: {upper[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} follows {upper[i - 1].ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        }
        return new BandsConfig { Names = names, Upper = upper };
    }

    // A state-dict module name (model.names: seed): one PyTorch attribute name.
    private static string ModuleName(YamlValue value)
    {
        var name = value.Text("a module name");
        return ModulePattern().IsMatch(name) && name != "encoder"
            ? name
            : throw value.Error($"'{name}' is not a module name; use a Python identifier other than encoder (seed 000: classifier, regressor)");
    }

    private static TaskKind Kind(YamlValue value)
    {
        var word = value.Text($"a task type ({Choices.Or(TypeWords)})");
        return word switch
        {
            "classification" => TaskKind.Classification,
            "regression" => TaskKind.Regression,
            "multilabel" or "multi-label" or "multi_label" => TaskKind.MultiLabel,
            _ => throw value.Error($"'{word}' is not a task type; expected {Choices.Or(TypeWords)}{Choices.Hint(word, TypeWords)}"),
        };
    }

    private static string Column(YamlMap map) => map.Required("column", " (the CSV column of this task's values)").Text("a column name");

    // A multilabel task reads either one 0/1 column per label, or one column of separated tags.
    private static TaskConfig MultiLabel(YamlMap map, TaskConfig task)
    {
        const string Forms = "either columns (one 0/1 column per label) or column + labels (one column of tags)";
        bool perLabel = map.Has("columns"), tags = map.Has("column") || map.Has("labels");
        if (perLabel && tags)
            throw map.ErrorAt("columns", $"a multilabel task takes {Forms}, not both");
        if (!perLabel && !tags)
            throw map.Error($"a multilabel task needs {Forms}");

        task = perLabel ? PerLabelColumns(map, task) : TagColumn(map, task);
        if (map.Get("threshold") is not { } threshold)
            return task;
        return threshold.Node is YamlScalarNode { Value: "tuned" }
            ? task with { TuneThresholds = true }
            : task with { Threshold = threshold.Number(t => t is > 0 and < 1, "a threshold 0 < t < 1 or the word tuned") };
    }

    private static TaskConfig PerLabelColumns(YamlMap map, TaskConfig task)
    {
        foreach (var field in new[] { "separator", "none_value" })
        {
            if (map.Has(field))
                throw map.ErrorAt(field, "only a tag column (column + labels) has this; with columns each label has its own 0/1 column");
        }
        return task with { Columns = Words(map.Required("columns"), "column", 1) };
    }

    private static TaskConfig TagColumn(YamlMap map, TaskConfig task)
    {
        var column = map.Required("column", " (the CSV column of tags; labels lists the tags)").Text("a column name");
        var labels = Words(map.Required("labels", " (the tags that may appear in the column)"), "label", 1);
        var noneValue = map.Text("none_value", task.NoneValue);
        if (labels.Contains(noneValue))
            throw map.ErrorAt(map.Has("none_value") ? "none_value" : "labels",
                $"'{noneValue}' is both a label and the none_value (the cell meaning \"no tag\", default none); set none_value to another word");
        return task with
        {
            Column = column,
            Labels = labels,
            Separator = map.Text("separator", task.Separator, "a separator such as '|'"),
            NoneValue = noneValue,
        };
    }

    // A list of distinct words (labels or column names); scalars such as 0 and 1 are read as the text "0", "1".
    private static string[] Words(YamlValue list, string what, int atLeast)
    {
        var items = list.Items($"a list of {what}s");
        if (items.Count < atLeast)
            throw list.Error($"expected at least {atLeast} {what}{(atLeast == 1 ? "" : "s")}, got {items.Count}");
        var words = items.Select(i => i.Text($"a {what}")).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            var first = Array.IndexOf(words, words[i]);
            if (first < i)
                throw items[i].Error($"'{words[i]}' is listed twice (also [{first}])");
        }
        return words;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ModulePattern();
}
