namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads a monitor name (<c>val_loss</c> or <c>TASK.METRIC</c>) and says precisely which half is wrong.</summary>
internal static class MonitorField
{
    /// <summary>The monitor written in <paramref name="value"/>, checked against <paramref name="tasks"/>.</summary>
    public static string Read(YamlValue value, IReadOnlyList<TaskConfig> tasks)
    {
        var all = Monitors.All(tasks);
        var name = value.Text($"{Monitors.ValLoss} or TASK.METRIC");
        if (all.Contains(name))
            return name;

        var hint = Choices.Hint(name, all);
        var dot = name.IndexOf('.');
        if (dot < 0)
            throw value.Error($"'{name}' is not a monitor; expected {Monitors.ValLoss} or TASK.METRIC such as {all[1]}{hint}");
        var (taskName, metric) = (name[..dot], name[(dot + 1)..]);
        if (tasks.FirstOrDefault(t => t.Name == taskName) is not { } task)
            throw value.Error($"no task is called '{taskName}'; expected {Monitors.ValLoss} or TASK.METRIC with TASK one of {Choices.Or(tasks.Select(t => t.Name).ToArray())}{hint}");
        var metrics = Monitors.MetricsOf(task.Kind, task.Bands is not null).Select(m => $"{task.Name}.{m}").ToArray();
        throw value.Error($"'{metric}' is not a metric of {TaskSection.Word(task.Kind)} task '{task.Name}'; expected {Choices.Or(metrics)}{hint}");
    }
}
