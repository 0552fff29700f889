namespace ScratchNet.Nn.Data;

/// <summary>
/// Names the slots of <see cref="Sample.Targets"/>, e.g. <c>["is_sky", "aqi"]</c>, so heads, losses and metrics can
/// find their column by name rather than by a position agreed in comments.
/// </summary>
public sealed class SampleSchema
{
    private readonly string[] names;

    /// <summary>Creates a schema; names must be non-empty and distinct.</summary>
    public SampleSchema(IEnumerable<string> targetNames)
    {
        names = targetNames.ToArray();
        if (names.Length == 0)
            throw new ArgumentException("a schema needs at least one target slot", nameof(targetNames));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in names)
        {
            if (string.IsNullOrWhiteSpace(n))
                throw new ArgumentException("target names must be non-empty", nameof(targetNames));
            if (!seen.Add(n))
                throw new ArgumentException($"target name '{n}' appears twice", nameof(targetNames));
        }
    }

    /// <summary>Slot names in order.</summary>
    public IReadOnlyList<string> TargetNames => names;

    /// <summary>Number of slots (the length of every <see cref="Sample.Targets"/>).</summary>
    public int Count => names.Length;

    /// <summary>The slot of <paramref name="name"/>; throws naming the known slots when absent.</summary>
    public int IndexOf(string name)
    {
        int i = Array.IndexOf(names, name);
        return i >= 0 ? i : throw new KeyNotFoundException($"no target '{name}'; targets: {string.Join(", ", names)}");
    }

    /// <summary>"[is_sky, aqi]".</summary>
    public override string ToString() => $"[{string.Join(", ", names)}]";
}
