namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// Reads a task's <c>when:</c> into a <see cref="TaskCondition"/>. It runs after every task has been read, because
/// a condition may name a task further down the list and must check that task's kind and labels.
/// </summary>
internal static class ConditionSection
{
    private static readonly string[] Keys = ["label", "correct"];
    private static readonly string[] LabelKeys = ["task", "in"];

    /// <summary>The condition of the task read from <paramref name="map"/>, or null without <c>when:</c>.</summary>
    public static TaskCondition? Read(YamlMap map, TaskConfig self, IReadOnlyList<TaskConfig> tasks)
    {
        if (map.Get("when") is not { } value)
            return null;
        var when = value.Map(Keys);
        if (!when.Has("label") && !when.Has("correct"))
            throw when.Error("expected label: and/or correct:");

        var condition = new TaskCondition { Line = map.KeyLine("when") };
        if (when.Get("label") is { } label)
        {
            var labelMap = label.Map(LabelKeys);
            var other = OtherTask(labelMap.Required("task"), self, tasks);
            condition = condition with { LabelTask = other.Name, LabelIn = LabelsOf(labelMap.Required("in", $" (labels of '{other.Name}')"), other) };
        }
        if (when.Get("correct") is { } correct)
            condition = condition with { CorrectTask = OtherTask(correct, self, tasks).Name };
        return condition;
    }

    // Both parts compare against another task's label (true or argmax), so it must be a classification task.
    private static TaskConfig OtherTask(YamlValue value, TaskConfig self, IReadOnlyList<TaskConfig> tasks)
    {
        var name = value.Text("a task name");
        if (name == self.Name)
            throw value.Error($"task '{name}' cannot depend on itself; name another (classification) task");
        var names = tasks.Select(t => t.Name).ToArray();
        var other = tasks.FirstOrDefault(t => t.Name == name)
            ?? throw value.Error($"no task is called '{name}'; tasks are {Choices.Or(names)}{Choices.Hint(name, names)}");
        if (other.Kind != TaskKind.Classification)
            throw value.Error($"task '{name}' is a {TaskSection.Word(other.Kind)} task; a condition needs a classification task");
        return other;
    }

    private static string[] LabelsOf(YamlValue value, TaskConfig other)
    {
        var items = value.ItemsOrOne("a label or a list of labels");
        if (items.Count == 0)
            throw value.Error($"expected at least one label of '{other.Name}'");
        foreach (var item in items)
        {
            var word = item.Text("a label");
            if (!other.Labels.Contains(word))
                throw item.Error($"'{word}' is not a label of task '{other.Name}'; expected {Choices.Or(other.Labels)}{Choices.Hint(word, other.Labels)}");
        }
        return items.Select(i => i.Text()).Distinct().ToArray();
    }
}
