using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// Where each task's labels live in a <see cref="Sample.Targets"/> row: a classification task has one slot (the
/// class index), a regression task one slot (the value), a multi-label task one 0/1 slot per label. NaN in a slot
/// means the row has no label for that task.
/// </summary>
public sealed class TargetLayout
{
    private readonly Dictionary<string, (int Offset, int Count)> slots = new(StringComparer.Ordinal);

    /// <summary>Lays the tasks out in config order.</summary>
    public TargetLayout(IReadOnlyList<TaskConfig> tasks)
    {
        var names = new List<string>();
        foreach (var t in tasks)
        {
            int count = t.Kind == TaskKind.MultiLabel ? t.Outputs : 1;
            slots[t.Name] = (names.Count, count);
            if (count == 1) names.Add(t.Name);
            else names.AddRange(t.OutputNames.Select(label => $"{t.Name}:{label}"));
        }
        Schema = new SampleSchema(names);
    }

    /// <summary>The slot names (e.g. <c>[class, category]</c> or <c>[tags:bag, tags:coat, …, count]</c>).</summary>
    public SampleSchema Schema { get; }

    /// <summary>Slots per sample.</summary>
    public int Width => Schema.Count;

    /// <summary>First slot and slot count of <paramref name="task"/>.</summary>
    public (int Offset, int Count) this[string task] => slots[task];
}
