using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Kernels;
using ScratchNet.Nn.Losses;
using ScratchNet.Tensors;
using static ScratchNet.Tests.Tasks.TaskFixtures;

using ScratchNet.Tests.Seed;

namespace ScratchNet.Tests.Tasks;

/// <summary>
/// The config objective: seed 000's rule as config equals <see cref="MultiDomainLoss"/>, blank labels and
/// <c>when</c> conditions mask rows out (value and gradient), and the whole thing passes a finite-difference check.
/// </summary>
public class MultiTaskObjectiveTests
{
    private const double Nan = double.NaN;

    // ------------------------------------------------------------------ seed 000 as config

    private static TaskConfig[] SeedTasks(double scale) =>
    [
        Class("is_sky", "0", "1") with { Weight = 0.1 },
        Regression("aqi", scale) with { Weight = 0.9, When = new TaskCondition { CorrectTask = "is_sky" } },
    ];

    [Theory]
    [InlineData("all correct", 1.0, "float64")]
    [InlineData("none correct", 1.0, "float64")]
    [InlineData("mixed", 1.0, "float64")]
    [InlineData("all correct", 100.0, "float64")]
    [InlineData("none correct", 100.0, "float64")]
    [InlineData("mixed", 100.0, "float64")]
    [InlineData("mixed", 1.0, "float32")]
    [InlineData("mixed", 100.0, "float32")]
    public void SeedRuleAsConfigMatchesMultiDomainLoss(string which, double scale, string dtypeName)
    {
        var dtype = dtypeName == "float64" ? DType.Float64 : DType.Float32;
        const int n = 12;
        var rng = new Random(which.Length * 131 + (int)scale);
        var logits = Uniform(rng, 2 * n, -3, 3);
        var predicted = Enumerable.Range(0, n).Select(i => ArgMax(logits.AsSpan(2 * i, 2))).ToArray();
        var labels = which switch
        {
            "all correct" => predicted,
            "none correct" => predicted.Select(p => 1 - p).ToArray(),
            _ => Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1 - predicted[i] : predicted[i]).ToArray(),
        };
        var aqiPred = Uniform(rng, n, 0, 300);
        var aqi = Uniform(rng, n, 0, 300);

        var tasks = SeedTasks(scale);
        var layout = new TargetLayout(tasks);
        var batch = MakeBatch(layout, Enumerable.Range(0, n).Select(i => new double[] { labels[i], aqi[i] }).ToList());

        using var scope = TensorScope.Begin();
        var l1 = Leaf(logits, [n, 2], dtype);
        // The regression head outputs z and predicts ŷ = scale·z, so MultiDomainLoss on ŷ is the objective on z = ŷ/scale.
        var p1 = Leaf(aqiPred.Select(v => v / scale).ToArray(), [n, 1], dtype);
        var (total, perTask) = new MultiTaskObjective(tasks, layout).Forward(new Dictionary<string, Tensor> { ["is_sky"] = l1, ["aqi"] = p1 }, batch);
        total.Backward();

        var l2 = Leaf(logits, [n, 2], dtype);
        var p2 = Leaf(aqiPred, [n], dtype);
        var y = Tensor.FromArray(labels, [n], Cpu);
        var a = Tensor.FromDoubles(aqi, [n], dtype, Cpu);
        var reference = new MultiDomainLoss(0.1, 0.9, scale).Forward(l2, p2, y, a);
        reference.Backward();

        double tol = dtype == DType.Float64 ? 1e-12 : 2e-6;
        double expected = reference.Item();
        Assert.True(double.IsFinite(expected));
        Assert.True(Math.Abs(total.Item() - expected) <= tol * Math.Max(1, Math.Abs(expected)), $"{which}, s = {scale}: objective {total.Item():R} vs MultiDomainLoss {expected:R}");
        AssertClose(GradOf(l2), GradOf(l1), tol, "d/d logits");
        AssertClose(GradOf(p2).Select(g => g * scale).ToArray(), GradOf(p1), tol, "d/d AQI head output (= scale · d/dŷ)");
        if (which == "none correct") Assert.Equal(0.0, perTask["aqi"].Item());
        if (which == "all correct") Assert.All(GradOf(p1), g => Assert.NotEqual(0.0, g));
    }

    private static void AssertClose(double[] expected, double[] actual, double tol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.Max(Math.Abs));
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * scale, $"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R}");
    }

    // ------------------------------------------------------------------ blank labels

    private static readonly TaskConfig[] ThreeKinds =
    [
        Class("kind", "a", "b", "c") with { Weight = 0.7 },
        Regression("size", 10) with { Weight = 0.5 },
        Tags("tags", "w", "x", "y", "z") with { Weight = 1.3 },
    ];

    // Rows: [kind, size, tags:w, tags:x, tags:y, tags:z]; NaN = unlabelled.
    private static readonly double[][] PartlyLabelled =
    [
        [0, Nan, 1, 0, 0, 1],
        [Nan, 3, Nan, Nan, Nan, Nan],
        [2, 5, 0, 0, 0, 0],
        [1, Nan, Nan, Nan, Nan, Nan],
        [Nan, -2, 1, 1, 0, 0],
        [0, 7, 0, 1, 1, 0],
    ];

    /// <summary>Head outputs for the three-kind config: kind [n, 3], size [n, 1], tags [n, 4].</summary>
    private static (Dictionary<string, Tensor> Outputs, double[] Kind, double[] Size, double[] Tags) Outputs(int n, int seed)
    {
        var rng = new Random(seed);
        var kind = Uniform(rng, 3 * n);
        var size = Uniform(rng, n, -5, 10);
        var tags = Uniform(rng, 4 * n);
        return (new Dictionary<string, Tensor> { ["kind"] = Leaf(kind, [n, 3]), ["size"] = Leaf(size, [n, 1]), ["tags"] = Leaf(tags, [n, 4]) }, kind, size, tags);
    }

    /// <summary>Host mean over the rows that <paramref name="counts"/> of <paramref name="loss"/>; 0 when none count.</summary>
    private static double MaskedMean(int n, Func<int, bool> counts, Func<int, double> loss)
    {
        var rows = Enumerable.Range(0, n).Where(counts).ToArray();
        return rows.Length == 0 ? 0 : rows.Sum(loss) / rows.Length;
    }

    [Fact]
    public void BlankLabelsContributeNothingToTheLossOrTheGradient()
    {
        var layout = new TargetLayout(ThreeKinds);
        var batch = MakeBatch(layout, PartlyLabelled);
        int n = PartlyLabelled.Length;
        using var scope = TensorScope.Begin();
        var (outputs, kind, size, tags) = Outputs(n, 11);
        var (total, perTask) = new MultiTaskObjective(ThreeKinds, layout).Forward(outputs, batch);
        total.Backward();

        double expKind = MaskedMean(n, i => !double.IsNaN(PartlyLabelled[i][0]), i => CrossEntropy(kind.AsSpan(3 * i, 3), (int)PartlyLabelled[i][0]));
        double expSize = MaskedMean(n, i => !double.IsNaN(PartlyLabelled[i][1]), i => Math.Pow(size[i] - PartlyLabelled[i][1] / 10, 2)); // head output z vs y/scale
        double expTags = MaskedMean(n, i => !double.IsNaN(PartlyLabelled[i][2]), i => Bce(tags.AsSpan(4 * i, 4), PartlyLabelled[i].AsSpan(2, 4)));
        Assert.Equal(expKind, perTask["kind"].Item(), 12);
        Assert.Equal(expSize, perTask["size"].Item(), 12);
        Assert.Equal(expTags, perTask["tags"].Item(), 12);
        Assert.Equal(0.7 * expKind + 0.5 * expSize + 1.3 * expTags, total.Item(), 12);

        AssertRowGradients(outputs["kind"], 3, i => !double.IsNaN(PartlyLabelled[i][0]));
        AssertRowGradients(outputs["size"], 1, i => !double.IsNaN(PartlyLabelled[i][1]));
        AssertRowGradients(outputs["tags"], 4, i => !double.IsNaN(PartlyLabelled[i][2]));
    }

    /// <summary>Rows that count get a (non-zero, finite) gradient; the others exactly 0.</summary>
    private static void AssertRowGradients(Tensor output, int width, Func<int, bool> counts)
    {
        var g = GradOf(output);
        for (int i = 0; i < g.Length / width; i++)
        {
            var row = g.AsSpan(i * width, width).ToArray();
            if (counts(i))
            {
                Assert.All(row, v => Assert.True(double.IsFinite(v), $"row {i}: gradient {v}"));
                Assert.True(row.Any(v => v != 0), $"row {i} counts but got no gradient");
            }
            else Assert.All(row, v => Assert.True(v == 0, $"row {i} does not count but has gradient {v}"));
        }
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("size")]
    [InlineData("tags")]
    public void ATaskWithNoLabelInTheBatchGivesZeroNotNaN(string blank)
    {
        var layout = new TargetLayout(ThreeKinds);
        var (offset, count) = layout[blank];
        var rows = PartlyLabelled.Select(r =>
        {
            var copy = (double[])r.Clone();
            Array.Fill(copy, Nan, offset, count);
            return copy;
        }).ToList();
        using var scope = TensorScope.Begin();
        var (outputs, _, _, _) = Outputs(rows.Count, 5);
        var (total, perTask) = new MultiTaskObjective(ThreeKinds, layout).Forward(outputs, MakeBatch(layout, rows));
        Assert.Equal(0.0, perTask[blank].Item());
        Assert.True(double.IsFinite(total.Item()), $"total {total.Item()}");
        double others = ThreeKinds.Where(t => t.Name != blank).Sum(t => t.Weight * perTask[t.Name].Item());
        Assert.Equal(others, total.Item(), 12);
        total.Backward();
        Assert.All(GradOf(outputs[blank]), g => Assert.True(g == 0, $"gradient {g} on a task with no label"));
    }

    [Fact]
    public void ABatchWithNoLabelAtAllGivesZeroLoss()
    {
        var layout = new TargetLayout(ThreeKinds);
        var rows = Enumerable.Range(0, 4).Select(_ => Enumerable.Repeat(Nan, layout.Width).ToArray()).ToList();
        using var scope = TensorScope.Begin();
        var (outputs, _, _, _) = Outputs(rows.Count, 6);
        var (total, perTask) = new MultiTaskObjective(ThreeKinds, layout).Forward(outputs, MakeBatch(layout, rows));
        Assert.Equal(0.0, total.Item());
        Assert.All(perTask.Values, l => Assert.Equal(0.0, l.Item()));
        total.Backward();
        foreach (var o in outputs.Values) Assert.All(GradOf(o), g => Assert.True(g == 0, $"gradient {g}"));
    }

    [Fact]
    public void BinaryColumnMultiLabelMasksBlankRowsToo()
    {
        TaskConfig[] tasks = [BinaryColumns("corners", "tl", "tr", "bl", "br")];
        var layout = new TargetLayout(tasks);
        double[][] rows = [[1, 0, 0, 1], [Nan, Nan, Nan, Nan], [0, 1, 1, 1]];
        using var scope = TensorScope.Begin();
        var z = Uniform(new Random(3), 12);
        var output = Leaf(z, [3, 4]);
        var (total, _) = new MultiTaskObjective(tasks, layout).Forward(new Dictionary<string, Tensor> { ["corners"] = output }, MakeBatch(layout, rows));
        double expected = (Bce(z.AsSpan(0, 4), rows[0]) + Bce(z.AsSpan(8, 4), rows[2])) / 2;
        Assert.Equal(expected, total.Item(), 12);
        total.Backward();
        AssertRowGradients(output, 4, i => i != 1);
    }

    // ------------------------------------------------------------------ when.label / when.correct

    private static TaskConfig[] Conditioned(TaskCondition when, double kindWeight = 1) =>
    [
        Class("kind", "a", "b", "c") with { Weight = kindWeight },
        Regression("size", 2) with { When = when },
    ];

    // kind logits are chosen so the argmax is known: rows predict a, b, c, a, b, c, a, b.
    private static double[] KnownLogits(int n)
    {
        var z = new double[3 * n];
        var rng = new Random(9);
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) z[3 * i + c] = rng.NextDouble() - 0.5;
            z[3 * i + i % 3] += 2;
        }
        return z;
    }

    // [kind, size]: true kind per row (NaN = unknown) and the size label.
    private static readonly double[][] KindAndSize =
    [
        [0, 1], [1, 2], [2, 3], [1, 4], [Nan, 5], [2, 6], [0, Nan], [2, 8],
    ];

    [Theory]
    [InlineData("label", 1.0)]
    [InlineData("correct", 1.0)]
    [InlineData("both", 1.0)]
    [InlineData("label", 0.0)]
    [InlineData("correct", 0.0)]
    [InlineData("both", 0.0)]
    public void WhenConditionsMaskTheRowsAndCarryNoGradientIntoTheOtherTask(string which, double kindWeight)
    {
        var when = which switch
        {
            "label" => new TaskCondition { LabelTask = "kind", LabelIn = ["a", "c"] },
            "correct" => new TaskCondition { CorrectTask = "kind" },
            _ => new TaskCondition { LabelTask = "kind", LabelIn = ["b", "c"], CorrectTask = "kind" },
        };
        var tasks = Conditioned(when, kindWeight);
        var layout = new TargetLayout(tasks);
        int n = KindAndSize.Length;
        var logits = KnownLogits(n);
        var size = Uniform(new Random(4), n, 0, 10);
        bool LabelOk(int i) => which switch
        {
            "label" => KindAndSize[i][0] is 0 or 2,
            "both" => KindAndSize[i][0] is 1 or 2,
            _ => true,
        };
        bool CorrectOk(int i) => which == "label" || (!double.IsNaN(KindAndSize[i][0]) && i % 3 == (int)KindAndSize[i][0]);
        bool Counts(int i) => !double.IsNaN(KindAndSize[i][1]) && LabelOk(i) && CorrectOk(i);
        var expectedRows = Enumerable.Range(0, n).Where(Counts).ToArray();
        Assert.InRange(expectedRows.Length, 1, n - 2); // the case masks something and keeps something

        using var scope = TensorScope.Begin();
        var kindOut = Leaf(logits, [n, 3]);
        var sizeOut = Leaf(size, [n, 1]);
        var objective = new MultiTaskObjective(tasks, layout);
        var (total, perTask) = objective.Forward(new Dictionary<string, Tensor> { ["kind"] = kindOut, ["size"] = sizeOut }, MakeBatch(layout, KindAndSize));
        double expected = expectedRows.Sum(i => Math.Pow(size[i] - KindAndSize[i][1] / 2, 2)) / expectedRows.Length; // z vs y/scale
        Assert.Equal(expected, perTask["size"].Item(), 12);
        total.Backward();
        AssertRowGradients(sizeOut, 1, Counts);

        // The kind logits' gradient is the weighted cross-entropy's alone: the mask adds nothing.
        var kindGrad = GradOf(kindOut);
        var labelled = Enumerable.Range(0, n).Where(i => !double.IsNaN(KindAndSize[i][0])).ToArray();
        for (int i = 0; i < n; i++)
        {
            double m = logits.AsSpan(3 * i, 3).ToArray().Max();
            double s = Enumerable.Range(0, 3).Sum(c => Math.Exp(logits[3 * i + c] - m));
            for (int c = 0; c < 3; c++)
            {
                double g = double.IsNaN(KindAndSize[i][0]) ? 0
                    : kindWeight * (Math.Exp(logits[3 * i + c] - m) / s - (c == (int)KindAndSize[i][0] ? 1 : 0)) / labelled.Length;
                Assert.True(Math.Abs(g - kindGrad[3 * i + c]) < 1e-12, $"kind logit [{i}, {c}]: expected {g}, got {kindGrad[3 * i + c]}");
            }
        }

        // The host part of the mask (labels only) is what metrics use.
        var host = objective.HostMask(tasks[1], MakeBatch(layout, KindAndSize));
        for (int i = 0; i < n; i++)
            Assert.Equal(!double.IsNaN(KindAndSize[i][1]) && LabelOk(i) ? 1.0 : 0.0, host[i]);
    }

    // ------------------------------------------------------------------ finite differences

    [Fact]
    public void WholeObjectivePassesAFiniteDifferenceCheck()
    {
        TaskConfig[] tasks =
        [
            Class("kind", "a", "b", "c") with { Weight = 0.6 },
            Regression("size", 3) with { Weight = 0.8, When = new TaskCondition { LabelTask = "kind", LabelIn = ["a", "c"], CorrectTask = "kind" } },
            Tags("tags", "w", "x", "y", "z") with { Weight = 1.1, When = new TaskCondition { LabelTask = "kind", LabelIn = ["a", "b"] } },
            BinaryColumns("corners", "tl", "br") with { Weight = 0.4, When = new TaskCondition { CorrectTask = "kind" } },
        ];
        var layout = new TargetLayout(tasks);
        int n = 8;
        // [kind, size, tags ×4, corners ×2]
        double[][] rows =
        [
            [0, 1.5, 1, 0, 0, 1, 1, 0],
            [1, 2.0, 0, 1, 0, 0, 0, 1],
            [2, -1.0, Nan, Nan, Nan, Nan, 1, 1],
            [0, Nan, 1, 1, 1, 0, Nan, Nan],
            [Nan, 4.0, 0, 0, 0, 0, 0, 0],
            [2, 0.5, 1, 0, 1, 0, 1, 0],
            [1, 3.0, 0, 0, 1, 1, 0, 0],
            [0, 2.5, 0, 1, 0, 1, 1, 1],
        ];
        var batch = MakeBatch(layout, rows);
        var objective = new MultiTaskObjective(tasks, layout);
        var rng = new Random(21);
        var logits = KnownLogits(n);
        var inputs = new[]
        {
            new GradInput(logits, [n, 3]),
            new GradInput(Uniform(rng, n, -2, 5), [n, 1]),
            new GradInput(Uniform(rng, 4 * n), [n, 4]),
            new GradInput(Uniform(rng, 2 * n), [n, 2]),
        };
        var result = GradCheck.Check("MultiTaskObjective", Cpu, DType.Float64, t =>
            objective.Forward(new Dictionary<string, Tensor> { ["kind"] = t[0], ["size"] = t[1], ["tags"] = t[2], ["corners"] = t[3] }, batch).Total, inputs);
        Assert.True(result.Passed, $"{result.Detail}; max abs {result.MaxAbsError:G3}");
    }
}
