using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// How the CPU backend spreads work over cores: a loop of <c>count</c> independent items whose indices are handed
/// out one at a time (dynamic scheduling) to the calling thread and up to Threads − 1 helpers from a process-wide
/// <see cref="WorkerPool"/>; a serial loop when the work is too small to pay for waking a thread (a hand-off costs a
/// few microseconds; below ~32K simple elements the loop alone is faster).
/// </summary>
/// <remarks>
/// Why not <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/>: each call allocates ≈1.8 KB (loop
/// state, tasks, closures), ≈100 KB per training step, and pays the thread pool's queueing. The pool here allocates
/// nothing per call (the delegates that call sites pass are their only allocation). Which thread runs an index never changes what it computes: results depend on the index
/// ranges alone (fixed by n and <see cref="Threads"/>), so a call that runs serially (nested inside another parallel
/// loop, or while another thread holds the pool) gives bit-identical results.
/// </remarks>
internal sealed class CpuParallel
{
    /// <summary>Elements of a streaming (memory-bound) kernel below which one thread does it all.</summary>
    public const long MinElementsPerTask = 32 * 1024;

    public CpuParallel(int threads, SimdTier? tier = null)
    {
        Threads = Math.Max(1, threads);
        Tier = SimdTiers.Require(tier ?? SimdTiers.Default);
    }

    public int Threads { get; }

    /// <summary>The vector width the width-generic kernels run at (<see cref="ISimd{V}"/>): at most the machine's.</summary>
    public SimdTier Tier { get; }

    /// <summary>Runs <paramref name="body"/>(i) for i &lt; count, in parallel when <paramref name="parallel"/>.</summary>
    public void For(int count, bool parallel, Action<int> body)
    {
        if (count <= 0) return;
        if (!parallel || count == 1 || Threads == 1 || !WorkerPool.Shared.TryRun(Threads, count, body, null, 0, 0))
            for (int i = 0; i < count; i++) body(i);
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
        if (!WorkerPool.Shared.TryRun(Threads, count, null, body, chunk, n))
            for (int t = 0; t < count; t++) body(t * chunk, Math.Min(n, (t + 1) * chunk));
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

/// <summary>
/// Process-wide helper threads (one fewer than the cores), shared by every <see cref="CpuParallel"/>: one loop runs
/// at a time, the caller working alongside the helpers it wakes. Items are claimed with an atomic increment of
/// one word, so a helper that wakes late (on a loaded machine, a whole time slice late) simply finds nothing left:
/// the caller waits for the items to finish, never for the helpers to arrive.
/// </summary>
internal sealed class WorkerPool
{
    public static readonly WorkerPool Shared = new(Environment.ProcessorCount - 1);

    /// <summary>
    /// The loop in progress. The two counters that every thread hammers sit on their own cache lines (128-byte
    /// padding, Zen's adjacent-line prefetch pairs lines) so claiming an item does not invalidate the line the
    /// finished-count lives on, nor the job's read-only fields.
    /// </summary>
    [StructLayout(LayoutKind.Explicit, Size = 384)]
    private struct Counters
    {
        /// <summary>
        /// (count &lt;&lt; 32) | next index: one atomic increment claims an index and reads the count it belongs to, so
        /// a helper delayed between loops can never take an index of the next loop as one of the last. 0 (count 0)
        /// between loops: every claim misses.
        /// </summary>
        [FieldOffset(128)] public long Claim;
        [FieldOffset(256)] public int Done;
    }

    private sealed class Job
    {
        public Counters C;
        public Action<int>? Body;
        public Action<long, long>? RangeBody;
        public long Chunk, N;
        public ExceptionDispatchInfo? Error;
    }

    private readonly Job _job = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly int _workers;
    private int _busy;
    [ThreadStatic] private static bool t_inLoop;

    private WorkerPool(int workers)
    {
        _workers = Math.Max(0, workers);
        for (int i = 0; i < _workers; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"ScratchNet CPU worker {i + 1}" }.Start();
    }

    /// <summary>
    /// Runs the loop on this thread and up to threads − 1 helpers and returns true; returns false (the caller then
    /// runs it serially) when there are no helpers, when called from inside a loop, or when another thread's loop
    /// holds the pool.
    /// </summary>
    public bool TryRun(int threads, int count, Action<int>? body, Action<long, long>? rangeBody, long chunk, long n)
    {
        if (_workers == 0 || t_inLoop || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        var job = _job;
        try
        {
            job.Body = body; job.RangeBody = rangeBody; job.Chunk = chunk; job.N = n;
            job.Error = null;
            Volatile.Write(ref job.C.Done, 0);
            Volatile.Write(ref job.C.Claim, (long)count << 32); // publishes the fields above: claims can start now
            int helpers = Math.Min(Math.Min(threads - 1, _workers), count - 1);
            if (helpers > 0) _wake.Release(helpers);
            t_inLoop = true;
            Work(job);
            t_inLoop = false;
            // Wait for items other threads claimed; spin briefly (they are short), then yield the core.
            var spin = new SpinWait();
            while (Volatile.Read(ref job.C.Done) < count) spin.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref job.C.Claim, 0);
            job.Body = null; job.RangeBody = null;
            job.Error?.Throw();
            return true;
        }
        finally
        {
            t_inLoop = false;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs items until none are left.</summary>
    private static void Work(Job job)
    {
        while (true)
        {
            long claim = Interlocked.Increment(ref job.C.Claim) - 1;
            int i = (int)(uint)claim, count = (int)(claim >> 32);
            if (i >= count) return; // all taken, or between loops
            try
            {
                if (job.Body is { } body) body(i);
                else job.RangeBody!(i * job.Chunk, Math.Min(job.N, (i + 1) * job.Chunk));
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref job.Error, ExceptionDispatchInfo.Capture(e), null);
            }
            Interlocked.Increment(ref job.C.Done);
        }
    }

    private void WorkerLoop()
    {
        t_inLoop = true; // a body that itself asks for a parallel loop runs it serially on this thread
        while (true)
        {
            _wake.Wait();
            Work(_job);
        }
    }
}
