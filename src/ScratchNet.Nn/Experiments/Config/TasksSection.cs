namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads the <c>tasks:</c> list: each task, then the checks that need them all (unique names, conditions, weights).</summary>
internal static class TasksSection
{
    /// <summary>Reads the required <c>tasks:</c> field of the root mapping.</summary>
    public static IReadOnlyList<TaskConfig> Read(YamlMap root, ModelConfig model)
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

        CheckModules(root, read, model);
        var tasks = read.Select(r => r.Task).ToArray();
        if (tasks.All(t => t.Weight == 0))
            throw root.ErrorAt("tasks", "every task has weight 0; at least one needs weight > 0 for anything to be trained");
        return read.Select(r => r.Task with { When = ConditionSection.Read(r.Map, r.Task, tasks) }).ToArray();
    }

    // module: names a head's state-dict module under model.names: seed, and means nothing otherwise.
    private static void CheckModules(YamlMap root, (TaskConfig Task, YamlMap Map)[] read, ModelConfig model)
    {
        bool seed = model.Names == "seed";
        for (var i = 0; i < read.Length; i++)
        {
            var (task, map) = read[i];
            if (!seed && task.Module is not null)
                throw map.ErrorAt("module", "module names a head's state-dict module only under model.names: seed; with the default names the head is heads." + task.Name);
            if (seed && task.Module is null)
                throw map.Error($"model.names is seed, so task '{task.Name}' needs module: (its top-level module name, e.g. classifier or regressor)");
            var first = Array.FindIndex(read, r => r.Task.Module == task.Module);
            if (seed && first < i)
                throw map.ErrorAt("module", $"'{task.Module}' is already the module of task '{read[first].Task.Name}' (line {read[first].Task.Line}); each head needs its own");
        }
    }
}
