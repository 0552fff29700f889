namespace ScratchNet.Apps.Tasks.Config;

/// <summary>Reads the <c>tasks:</c> list: each task, then the checks that need them all (unique names, conditions, weights).</summary>
internal static class TasksSection
{
    /// <summary>Reads the required <c>tasks:</c> field of the root mapping.</summary>
    public static IReadOnlyList<TaskConfig> Read(YamlMap root)
    {
        var list = root.Required("tasks", " (a list of at least one task)");
        var items = list.Items("a list of tasks");
        if (items.Count == 0)
            throw list.Error("expected at least one task");
        var read = items.Select(TaskSection.Read).ToArray();

        for (var i = 0; i < read.Length; i++)
        {
            var first = Array.FindIndex(read, r => r.Task.Name == read[i].Task.Name);
            if (first < i)
                throw read[i].Map.Get("name")!.Error($"'{read[i].Task.Name}' is already the name of tasks[{first}] (line {read[first].Task.Line}); task names must be unique");
        }

        var tasks = read.Select(r => r.Task).ToArray();
        if (tasks.All(t => t.Weight == 0))
            throw root.ErrorAt("tasks", "every task has weight 0; at least one needs weight > 0 for anything to be trained");
        return read.Select(r => r.Task with { When = ConditionSection.Read(r.Map, r.Task, tasks) }).ToArray();
    }
}
