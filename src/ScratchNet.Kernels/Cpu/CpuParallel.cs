namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// How the CPU backend spreads work over cores: <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>
/// with a fixed maximum degree, and a serial loop when the work is too small to pay for waking a thread
/// (a <c>Parallel.For</c> costs a few microseconds; below ~32K simple elements the loop alone is faster).
/// </summary>
internal sealed class CpuParallel
{
    /// <summary>Elements of a streaming (memory-bound) kernel below which one thread does it all.</summary>
    public const long MinElementsPerTask = 32 * 1024;

    public CpuParallel(int threads)
    {
        Threads = Math.Max(1, threads);
        Options = new ParallelOptions { MaxDegreeOfParallelism = Threads };
    }

    public int Threads { get; }
    public ParallelOptions Options { get; }

    /// <summary>Runs <paramref name="body"/>(i) for i &lt; count, in parallel when <paramref name="parallel"/>.</summary>
    public void For(int count, bool parallel, Action<int> body)
    {
        if (count <= 0) return;
        if (!parallel || count == 1 || Threads == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, Options, body);
    }

    /// <summary>
    /// Splits [0, n) into contiguous ranges and runs <paramref name="body"/>(start, end) on each, with at least
    /// <paramref name="minPerTask"/> elements per range. The ranges are fixed by n and the thread count alone, so a
    /// reduction that combines per-range results in range order is deterministic.
    /// </summary>
    public void ForRanges(long n, long minPerTask, Action<long, long> body)
    {
        if (n <= 0) return;
        long tasks = Math.Min(Threads * 4L, n / Math.Max(1, minPerTask));
        if (tasks <= 1 || Threads == 1)
        {
            body(0, n);
            return;
        }
        long chunk = (n + tasks - 1) / tasks;
        // Keep chunk boundaries on 64-element multiples so vector loops see aligned-size bodies.
        chunk = (chunk + 63) & ~63L;
        int count = (int)((n + chunk - 1) / chunk);
        Parallel.For(0, count, Options, t =>
        {
            long s = t * chunk;
            body(s, Math.Min(n, s + chunk));
        });
    }

    /// <summary>Splits n into fixed contiguous chunks for a reduction (partials combined in chunk order): returns the count and chunk size.</summary>
    public int RangeCount(long n, long minPerTask, out long chunk)
    {
        long tasks = Math.Max(1, Math.Min(Threads * 4L, n / Math.Max(1, minPerTask)));
        if (Threads == 1) tasks = 1;
        chunk = (n + tasks - 1) / tasks;
        chunk = Math.Max(64, (chunk + 63) & ~63L);
        return (int)((n + chunk - 1) / chunk);
    }
}
