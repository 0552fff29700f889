using System.Diagnostics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Apps.Bench;

/// <summary>
/// Measures the machine's float32 peak: each thread runs independent chains of vector FMAs (enough chains to
/// hide the FMA latency, 2 per cycle on Zen 5), so the rate is throughput-bound. The same idea as peer-bench's
/// FMA loop; "% of peak" everywhere in <c>bench</c> is relative to this measurement, not to a datasheet.
/// </summary>
internal static class FmaPeak
{
    /// <summary>GFLOP/s achieved by <paramref name="threads"/> threads (median of 5 runs of ~0.1 s).</summary>
    public static double Measure(int threads)
    {
        var samples = new List<double>();
        for (int run = 0; run < 6; run++)
        {
            const long iterations = 4_000_000;
            var clock = Stopwatch.StartNew();
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, _ => Chains(iterations));
            double seconds = clock.Elapsed.TotalSeconds;
            if (run > 0) samples.Add(FlopsPerCall(iterations) * threads / seconds / 1e9); // run 0 warms up
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static long FlopsPerCall(long iterations) => iterations * 12 * Lanes * 2;

    private static int Lanes => Vector512.IsHardwareAccelerated ? 16 : Vector256.IsHardwareAccelerated ? 8 : 4;

    // Twelve independent accumulators: latency 4 × 2 FMA pipes = 8 in flight needed; 12 leaves slack.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static float Chains(long iterations)
    {
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            var a = Vector512.Create(0.999f); var b = Vector512.Create(0.001f);
            Vector512<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Avx512F.FusedMultiplyAdd(c0, a, b); c1 = Avx512F.FusedMultiplyAdd(c1, a, b);
                c2 = Avx512F.FusedMultiplyAdd(c2, a, b); c3 = Avx512F.FusedMultiplyAdd(c3, a, b);
                c4 = Avx512F.FusedMultiplyAdd(c4, a, b); c5 = Avx512F.FusedMultiplyAdd(c5, a, b);
                c6 = Avx512F.FusedMultiplyAdd(c6, a, b); c7 = Avx512F.FusedMultiplyAdd(c7, a, b);
                c8 = Avx512F.FusedMultiplyAdd(c8, a, b); c9 = Avx512F.FusedMultiplyAdd(c9, a, b);
                c10 = Avx512F.FusedMultiplyAdd(c10, a, b); c11 = Avx512F.FusedMultiplyAdd(c11, a, b);
            }
            return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
        if (Fma.IsSupported)
        {
            var a = Vector256.Create(0.999f); var b = Vector256.Create(0.001f);
            Vector256<float> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
            for (long i = 0; i < iterations; i++)
            {
                c0 = Fma.MultiplyAdd(c0, a, b); c1 = Fma.MultiplyAdd(c1, a, b); c2 = Fma.MultiplyAdd(c2, a, b); c3 = Fma.MultiplyAdd(c3, a, b);
                c4 = Fma.MultiplyAdd(c4, a, b); c5 = Fma.MultiplyAdd(c5, a, b); c6 = Fma.MultiplyAdd(c6, a, b); c7 = Fma.MultiplyAdd(c7, a, b);
                c8 = Fma.MultiplyAdd(c8, a, b); c9 = Fma.MultiplyAdd(c9, a, b); c10 = Fma.MultiplyAdd(c10, a, b); c11 = Fma.MultiplyAdd(c11, a, b);
            }
            return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11);
        }
        // No FMA: a scalar loop; the "peak" is then only indicative.
        float s0 = 0.999f, s1 = 0.5f, s2 = 0.25f, s3 = 0.125f;
        for (long i = 0; i < iterations * 4; i++) { s0 = s0 * 0.999f + 0.001f; s1 = s1 * 0.999f + 0.001f; s2 = s2 * 0.999f + 0.001f; s3 = s3 * 0.999f + 0.001f; }
        return s0 + s1 + s2 + s3;
    }
}
