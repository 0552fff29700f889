using System.Diagnostics;

namespace ScratchNet.Tensors.Autograd;

/// <summary>
/// Optional timing of every backward step, for <c>scratchnet bench --layers</c>: while one is active on this
/// thread, the engine synchronises the device after each Function's backward and records the elapsed time
/// under the Function's name and position. Off by default (no cost then).
/// </summary>
public sealed class BackwardProfiler : IDisposable
{
    [ThreadStatic] private static BackwardProfiler? current;
    private readonly BackwardProfiler? previous;

    private BackwardProfiler()
    {
        previous = current;
        current = this;
    }

    /// <summary>Starts recording on this thread.</summary>
    public static BackwardProfiler Start() => new();

    internal static BackwardProfiler? Current => current;

    /// <summary>(op name, milliseconds) in the order the backward ran them.</summary>
    public List<(string Op, double Milliseconds)> Records { get; } = new();

    internal void Record(string op, long startTimestamp) =>
        Records.Add((op, Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds));

    /// <summary>Stops recording.</summary>
    public void Dispose() => current = previous;
}
