using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>
/// A tier's float32 peak on this machine: each thread runs twelve independent chains of <c>c = c·a + b</c> at the
/// tier's width (FMA latency 4–5 × 2 pipes needs 8–10 in flight; twelve leaves slack), so the rate is
/// throughput-bound. It is measured with the tier's own <see cref="ISimd{V}.MultiplyAdd"/> — one FMA where the tier
/// has it, a multiply and an add where it has not — so "% of peak" compares a tier's kernels with what that tier's
/// arithmetic can do, not with a wider tier's. peer-bench's FMA loop is the same idea.
/// </summary>
public static class SimdPeak
{
    /// <summary>GFLOP/s achieved by <paramref name="threads"/> threads at <paramref name="tier"/> (median of 5 runs of ~0.1 s).</summary>
    public static double MeasureGflops(SimdTier tier, int threads)
    {
        SimdTiers.Require(tier);
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "need at least one thread");
        var probe = new Chains { Iterations = 1 };
        SimdDispatch.Run(tier, ref probe);
        // About 0.1 s per run at a few GFLOP/s per lane: fewer iterations for narrow tiers, which are slower per call.
        long iterations = 250_000L * probe.Lanes;
        var samples = new List<double>();
        for (int run = 0; run < 6; run++)
        {
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ =>
            {
                var k = new Chains { Iterations = iterations };
                SimdDispatch.Run(tier, ref k);
            });
            double seconds = clock.Elapsed.TotalSeconds;
            if (run > 0) samples.Add(iterations * 12.0 * probe.Lanes * 2 * threads / seconds / 1e9); // run 0 warms up
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private struct Chains : ISimdKernel
    {
        public long Iterations;
        public int Lanes;
        public float Result;

        public void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged
        {
            Lanes = S.Count;
            Result = Loop<S, V>(Iterations);
        }

        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private static float Loop<S, V>(long iterations) where S : struct, ISimd<V> where V : unmanaged
        {
            V a = S.Broadcast(0.999f), b = S.Broadcast(0.001f);
            V c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = S.MultiplyAdd(c0, a, b); c1 = S.MultiplyAdd(c1, a, b); c2 = S.MultiplyAdd(c2, a, b); c3 = S.MultiplyAdd(c3, a, b);
                c4 = S.MultiplyAdd(c4, a, b); c5 = S.MultiplyAdd(c5, a, b); c6 = S.MultiplyAdd(c6, a, b); c7 = S.MultiplyAdd(c7, a, b);
                c8 = S.MultiplyAdd(c8, a, b); c9 = S.MultiplyAdd(c9, a, b); c10 = S.MultiplyAdd(c10, a, b); c11 = S.MultiplyAdd(c11, a, b);
            }
            V sum = S.Add(S.Add(S.Add(c0, c1), S.Add(c2, c3)), S.Add(S.Add(S.Add(c4, c5), S.Add(c6, c7)), S.Add(S.Add(c8, c9), S.Add(c10, c11))));
            return S.Sum(sum);
        }
    }
}
