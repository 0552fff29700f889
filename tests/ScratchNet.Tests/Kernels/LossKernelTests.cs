using ScratchNet.Kernels;
using R = ScratchNet.Tests.Kernels.NaiveReference;

namespace ScratchNet.Tests.Kernels;

/// <summary>Cross-entropy, BCE with logits, argmax and the equality mask against the reference.</summary>
[Collection(KernelCollection.Name)]
public class LossKernelTests(KernelBackendFixture fx)
{
    /// <summary>"n c": 2-class heads, 17 classes, one sample, a wide row.</summary>
    public static TheoryData<string, DType, string> CeShapes => KernelCases.Cross("n16 c2", "n5 c17", "n1 c3", "n3 c1037", "n33 c8");

    private static int[] Targets(KernelHarness h, int n, int c, bool withIgnored)
    {
        var t = new int[n];
        for (int i = 0; i < n; i++) t[i] = withIgnored && i % 4 == 3 ? -1 - i % 3 : h.Rng.Next(c);
        return t;
    }

    [Theory, MemberData(nameof(CeShapes))]
    public void CrossEntropyForwardMatchesReferenceWithClassWeightsAndIgnoredTargets(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int n = m["n"][0], c = m["c"][0];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec));
        // large logits: a missing max-subtraction overflows exp in float32
        var logits = h.Rand((long)n * c, -30, 120);
        foreach (bool weighted in new[] { false, true })
            foreach (bool ignored in new[] { false, true })
            {
                var t = Targets(h, n, c, ignored);
                double[]? w = weighted ? h.Rand(c, 0.2, 3) : null;
                var r = R.CrossEntropyForward(logits, t, w, n, c);
                var loss = h.Out(n);
                var sw = h.Out(n);
                var probs = h.Out((long)n * c);
                h.Backend.CrossEntropyForward(h.Up(logits), h.UpInt(t), w is null ? null : h.Up(w), loss, sw, probs, n, c);
                string what = $"CrossEntropyForward n={n} c={c} weights={weighted} ignored={ignored}";
                h.AssertClose(what + " loss", r.Loss, loss, Tol.Reduction(dtype, c));
                h.AssertClose(what + " sampleWeight", r.SampleWeight, sw, Tol.Elementwise(dtype));
                // probs are only specified for rows that are not ignored
                var got = h.Down(probs, (long)n * c);
                var expected = (double[])r.Probs.Clone();
                for (int i = 0; i < n; i++)
                    if (t[i] < 0)
                        for (int k = 0; k < c; k++) got[i * c + k] = expected[i * c + k];
                h.AssertArrayClose(what + " probs", expected, got, Tol.Reduction(dtype, c), [n, c]);
            }
    }

    [Theory, MemberData(nameof(CeShapes))]
    public void CrossEntropyBackwardMatchesReferenceAndZeroesIgnoredRows(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int n = m["n"][0], c = m["c"][0];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 1);
        var probs = R.CrossEntropyForward(h.Rand((long)n * c, -3, 3), new int[n], null, n, c).Probs.Select(h.Q).ToArray();
        var dloss = h.Rand(n);
        foreach (bool weighted in new[] { false, true })
        {
            var t = Targets(h, n, c, withIgnored: true);
            double[]? w = weighted ? h.Rand(c, 0.2, 3) : null;
            var d = h.Out((long)n * c);
            h.Backend.CrossEntropyBackward(h.Up(probs), h.UpInt(t), w is null ? null : h.Up(w), h.Up(dloss), d, n, c);
            h.AssertClose($"CrossEntropyBackward n={n} c={c} weights={weighted}", R.CrossEntropyBackward(probs, t, w, dloss, n, c), d,
                Tol.Elementwise(dtype), [n, c]);
        }
    }

    [Theory, MemberData(nameof(KernelCases.BackendsAndDTypes), MemberType = typeof(KernelCases))]
    public void BceWithLogitsForwardAndBackwardMatchReferenceIncludingLargeLogits(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 14);
        foreach (int n in new[] { 1, 7, 1037 })
        {
            var z = h.Rand(n, -10, 10);
            double[] special = [0, 100, -100, 800, -800, 30, -30];
            for (int i = 0; i < Math.Min(n, special.Length); i++) z[i] = h.Q(special[i]);
            var y = h.RandLevels(n, 2).Select((v, i) => i % 5 == 4 ? h.Q(0.3) : v).ToArray(); // soft labels too
            var loss = h.Out(n);
            h.Backend.BceWithLogitsForward(h.Up(z), h.Up(y), loss, n);
            h.AssertClose($"BceWithLogitsForward n={n}", R.BceWithLogitsForward(z, y), loss, Tol.Elementwise(dtype));

            var dloss = h.Rand(n);
            var dz = h.Out(n);
            h.Backend.BceWithLogitsBackward(h.Up(z), h.Up(y), h.Up(dloss), dz, n);
            h.AssertClose($"BceWithLogitsBackward n={n}", R.BceWithLogitsBackward(z, y, dloss), dz, Tol.Elementwise(dtype));
        }
    }

    [Theory, MemberData(nameof(CeShapes))]
    public void ArgMaxReturnsTheFirstMaximumOfEachRow(string backend, DType dtype, string spec)
    {
        var m = KernelCases.ParseSpec(spec);
        int rows = m["n"][0], cols = m["c"][0];
        using var h = fx.Harness(backend, dtype, KernelCases.Seed(spec) + 2);
        foreach (var x in new[] { h.Rand((long)rows * cols), h.RandLevels((long)rows * cols, 2), h.Rand((long)rows * cols, -3, -1) })
        {
            var idx = h.OutInt(rows);
            h.Backend.ArgMax(h.Up(x), idx, rows, cols);
            h.AssertEqualInts($"ArgMax rows={rows} cols={cols}", R.ArgMax(x, rows, cols), idx);
        }
    }

    [Theory, MemberData(nameof(KernelCases.BackendsAndDTypes), MemberType = typeof(KernelCases))]
    public void EqualMaskIsOneWhereIntegersMatch(string backend, DType dtype)
    {
        using var h = fx.Harness(backend, dtype, 15);
        foreach (int n in new[] { 1, 7, 1037 })
        {
            var a = Enumerable.Range(0, n).Select(_ => h.Rng.Next(3) - 1).ToArray();
            var b = Enumerable.Range(0, n).Select(_ => h.Rng.Next(3) - 1).ToArray();
            var y = h.Out(n);
            h.Backend.EqualMask(h.UpInt(a), h.UpInt(b), y, n);
            h.AssertClose($"EqualMask n={n}", R.EqualMask(a, b), y, Tol.Exact);
        }
    }
}
