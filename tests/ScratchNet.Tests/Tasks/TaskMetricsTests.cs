using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using static ScratchNet.Tests.Tasks.TaskFixtures;

namespace ScratchNet.Tests.Tasks;

/// <summary>Activations, per-kind metrics over the rows that count, monitors, and validation-tuned thresholds.</summary>
public class TaskMetricsTests
{
    private const double Nan = double.NaN;

    // ------------------------------------------------------------------ Activate

    [Fact]
    public void ClassificationOutputsBecomeSoftmaxRows()
    {
        var task = Class("kind", "a", "b", "c");
        double[] z = [1, 2, 3, 1000, 999, -1000, 0, 0, 0];
        var p = TaskPredictions.Activate(task, z);
        Assert.Equal(9, p.Length);
        double s = Math.Exp(1) + Math.Exp(2) + Math.Exp(3);
        Assert.Equal(Math.Exp(1) / s, p[0], 14);
        Assert.Equal(Math.Exp(2) / s, p[1], 14);
        Assert.Equal(Math.Exp(3) / s, p[2], 14);
        Assert.Equal(1 / (1 + Math.Exp(-1)), p[3], 14); // huge logits: no overflow
        Assert.Equal(1 / (1 + Math.Exp(1)), p[4], 14);
        Assert.Equal(0.0, p[5], 14);
        Assert.All(p.AsSpan(6, 3).ToArray(), v => Assert.Equal(1.0 / 3, v, 14));
        for (int r = 0; r < 3; r++) Assert.Equal(1.0, p.AsSpan(3 * r, 3).ToArray().Sum(), 14);
    }

    [Fact]
    public void MultiLabelOutputsBecomeSigmoidsAndRegressionStaysRaw()
    {
        var tags = Tags("tags", "x", "y");
        double[] z = [0, 2, -3, 800, -800, 0.5];
        var p = TaskPredictions.Activate(tags, z);
        for (int i = 0; i < z.Length; i++)
        {
            Assert.True(double.IsFinite(p[i]));
            Assert.Equal(1 / (1 + Math.Exp(-z[i])), p[i], 14);
        }
        Assert.Equal(0.5, p[0]);
        double[] values = [-3.5, 0, 120];
        Assert.Equal(values, TaskPredictions.Activate(Regression("size"), values));
        Assert.Equal([-350.0, 0, 12000], TaskPredictions.Activate(Regression("size", 100), values)); // ŷ = scale·z
    }

    // ------------------------------------------------------------------ Compute over the rows that count

    private static readonly TaskConfig[] Tasks =
    [
        Class("kind", "a", "b", "c"),
        Regression("size") with { When = new TaskCondition { LabelTask = "kind", LabelIn = ["a", "b"] } },
        Tags("tags", "x", "y"),
        Regression("len") with { When = new TaskCondition { CorrectTask = "kind" } },
    ];

    // [kind, size, tags:x, tags:y, len]
    private static readonly double[][] Targets =
    [
        [0, 10, 1, 0, 5],
        [1, 20, 0, 1, 6],
        [2, 30, 1, 1, 7],       // size: kind c does not count
        [Nan, 40, Nan, Nan, 8], // size: kind unknown does not count
        [0, Nan, 0, 0, Nan],
        [1, 12, 1, 0, 9],
        [2, 50, 0, 1, 10],      // size: kind c
        [Nan, Nan, Nan, Nan, Nan],
    ];

    private static TaskPredictions Predictions()
    {
        // kind predictions: a, c, c, a, a, b, a, b → right on rows 0, 2, 4, 5 of the 6 labelled rows.
        int[] predicted = [0, 2, 2, 0, 0, 1, 0, 1];
        var kind = predicted.SelectMany(c => Enumerable.Range(0, 3).Select(k => k == c ? 0.8 : 0.1)).ToArray();
        double[] size = [11, 18, 0, 0, 0, 15, 0, 0];
        double[] tags = [0.9, 0.2, 0.6, 0.7, 0.8, 0.4, 0.9, 0.9, 0.1, 0.1, 0.7, 0.3, 0.2, 0.8, 0.5, 0.5];
        double[] len = [6, 7, 8, 9, 0, 10, 11, 0]; // every labelled row off by 1
        return new TaskPredictions(Targets,
            new Dictionary<string, double[]> { ["kind"] = kind, ["size"] = size, ["tags"] = tags, ["len"] = len },
            0.75, new Dictionary<string, double> { ["kind"] = 0.1, ["size"] = 0.2, ["tags"] = 0.3, ["len"] = 0.4 });
    }

    private static ExperimentMetrics Compute(TaskPredictions p, IReadOnlyDictionary<string, double[]>? thresholds = null, IReadOnlyDictionary<string, double>? means = null)
    {
        var layout = new TargetLayout(Tasks);
        return ExperimentMetrics.Compute("validation", new MultiTaskObjective(Tasks, layout), layout, p, thresholds, means);
    }

    [Fact]
    public void OnlyRowsThatCountAreScored()
    {
        var m = Compute(Predictions(), means: new Dictionary<string, double> { ["size"] = 15 });
        Assert.Equal(8, m.SampleCount);
        Assert.Equal(0.75, m.Loss);
        Assert.Equal(["kind", "size", "tags", "len"], m.Tasks.Select(t => t.Task));

        var kind = m.Tasks[0];
        Assert.Equal("classification", kind.Kind);
        Assert.Equal(6, kind.Count);
        Assert.Equal(4.0 / 6, kind.Accuracy!.Value, 12);
        Assert.Equal(6, kind.Confusion!.Total);
        Assert.Equal(1, kind.Confusion[1, 2]); // row 1: b predicted c
        Assert.Equal(1, kind.Confusion[2, 0]); // row 6: c predicted a
        Assert.Equal(0.1, kind.Loss);

        var size = m.Tasks[1]; // rows 0, 1, 5: errors 1, 2, 3
        Assert.Equal(3, size.Count);
        Assert.Equal(2.0, size.Regression!.Mae, 12);
        Assert.Equal(Math.Sqrt(14.0 / 3), size.Regression.Rmse, 12);
        Assert.Equal(13.0 / 3, size.BaselineMae!.Value, 12); // |10−15|, |20−15|, |12−15|

        var tags = m.Tasks[2]; // labelled rows 0, 1, 2, 4, 5, 6; at 0.5 row 1's x and row 2's y are wrong
        Assert.Equal("multilabel", tags.Kind);
        Assert.Equal(6, tags.Count);
        Assert.Equal(2.0 / 12, tags.AtThreshold!.HammingLoss, 12);
        Assert.Equal(4.0 / 6, tags.AtThreshold.ExactMatchRatio, 12);
        Assert.Null(tags.Tuned);

        // when.correct shapes the loss only: every labelled row is scored, right or wrong about kind.
        var len = m.Tasks[3];
        Assert.Equal(6, len.Count);
        Assert.Equal(1.0, len.Regression!.Mae, 12);
    }

    [Fact]
    public void TheConfigsFixedThresholdIsUsed()
    {
        // At 0.75 instead of 0.5 the wrong cells are row 1's y (0.7, truth 1), row 2's y (0.4, truth 1) and row 5's
        // x (0.7, truth 1); row 1's x (0.6, truth 0), wrong at 0.5, is now right.
        var tasks = Tasks.Select(t => t.Name == "tags" ? t with { Threshold = 0.75 } : t).ToArray();
        var layout = new TargetLayout(tasks);
        var m = ExperimentMetrics.Compute("validation", new MultiTaskObjective(tasks, layout), layout, Predictions());
        var tags = m.Tasks[2].AtThreshold!;
        Assert.Equal([0.75, 0.75], tags.Thresholds);
        Assert.Equal(3.0 / 12, tags.HammingLoss, 12);
        Assert.Equal(1, tags.PerClass[0].FalseNegatives);
        Assert.Equal(0, tags.PerClass[0].FalsePositives);
        Assert.Equal(2, tags.PerClass[1].FalseNegatives);
    }

    [Fact]
    public void MonitorsNameTheFiguresAndSayWhichWayIsBetter()
    {
        var m = Compute(Predictions());
        Assert.Equal(0.75, m.Monitor("val_loss"));
        Assert.Equal(0.2, m.Monitor("size.loss"));
        Assert.Equal(4.0 / 6, m.Monitor("kind.accuracy"), 12);
        Assert.Equal(m.Tasks[0].MacroF1!.Value, m.Monitor("kind.macro_f1"));
        Assert.Equal(2.0, m.Monitor("size.mae"), 12);
        Assert.Equal(m.Tasks[1].Regression!.R2, m.Monitor("size.r2"));
        Assert.Equal(2.0 / 12, m.Monitor("tags.hamming_loss"), 12);
        Assert.Equal(4.0 / 6, m.Monitor("tags.exact_match"), 12);
        Assert.Throws<ArgumentException>(() => m.Monitor("colour.accuracy"));
        Assert.Throws<ArgumentException>(() => m.Monitor("size.accuracy"));
        Assert.Throws<ArgumentException>(() => m.Monitor("accuracy"));

        foreach (var min in new[] { "val_loss", "kind.loss", "size.mae", "size.rmse", "tags.hamming_loss" })
            Assert.True(Monitors.LowerIsBetter(min), min);
        foreach (var max in new[] { "kind.accuracy", "kind.macro_f1", "size.r2", "tags.exact_match", "tags.macro_f1" })
            Assert.False(Monitors.LowerIsBetter(max), max);
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("size")]
    [InlineData("tags")]
    public void ATaskWithNothingToScoreGivesNaNMonitors(string blank)
    {
        // ExperimentMetrics.Monitor: "NaN when the split had nothing to score" (e.g. a validation split whose rows
        // all lack this task's label). A finite value here would be taken for a real score by best/early stopping.
        // Without the when conditions, so that blanking one task leaves the others scorable.
        var tasks = Tasks.Select(t => t with { When = null }).ToArray();
        var layout = new TargetLayout(tasks);
        var (offset, count) = layout[blank];
        var p = Predictions();
        var targets = p.Targets.Select(r =>
        {
            var copy = (double[])r.Clone();
            Array.Fill(copy, Nan, offset, count);
            return copy;
        }).ToList();
        var empty = new TaskPredictions(targets, p.Outputs, p.MeanLoss, p.TaskLosses);
        var m = ExperimentMetrics.Compute("validation", new MultiTaskObjective(tasks, layout), layout, empty);
        var result = m.Tasks.Single(t => t.Task == blank);
        Assert.Equal(0, result.Count);
        var kind = tasks.Single(t => t.Name == blank).Kind;
        foreach (var metric in TaskLog.MetricsOf(kind).Where(x => x != "loss"))
            Assert.True(double.IsNaN(m.Monitor($"{blank}.{metric}")), $"{blank}.{metric} = {m.Monitor($"{blank}.{metric}")} with nothing to score");
    }

    // ------------------------------------------------------------------ tuned thresholds

    [Fact]
    public void ThresholdsTunedOnValidationRowsThatCountAreAppliedToTest()
    {
        TaskConfig[] tasks =
        [
            Class("kind", "a", "b"),
            Tags("tags", "x", "y") with { TuneThresholds = true, When = new TaskCondition { LabelTask = "kind", LabelIn = ["a"] } },
        ];
        var layout = new TargetLayout(tasks);
        var objective = new MultiTaskObjective(tasks, layout);
        static double[] Kind(int n) => Enumerable.Range(0, n).SelectMany(_ => new[] { 0.9, 0.1 }).ToArray();

        // Rows that count (kind a): x positives at 0.85, 0.9, negatives at 0.6, 0.7 → perfect for t ∈ (0.7, 0.85],
        // nearest 0.5 on the grid: 0.75. y positives 0.3, 0.35, negatives 0.1, 0.2 → 0.3.
        // Kind-b rows (left out by when.label) have x positives at 0.72 and 0.74: counted, they would pull x to 0.7.
        double[][] valTargets =
        [
            [0, 1, 0], [0, 1, 1], [0, 0, 1], [0, 0, 0], [1, 1, 0], [1, 1, 0], [0, Nan, Nan],
        ];
        double[] valTags = [0.85, 0.1, 0.9, 0.3, 0.6, 0.35, 0.7, 0.2, 0.72, 0.1, 0.74, 0.1, 0.71, 0.95];
        var val = new TaskPredictions(valTargets, new Dictionary<string, double[]> { ["kind"] = Kind(7), ["tags"] = valTags }, 0, new Dictionary<string, double> { ["kind"] = 0, ["tags"] = 0 });
        var tuned = ExperimentMetrics.TuneThresholds(objective, layout, val);
        Assert.Equal([0.75, 0.3], tuned["tags"]);
        Assert.False(tuned.ContainsKey("kind"));

        // Test: row 0's x (0.6, truth 0) and y (0.4, truth 1) are wrong at 0.5 and right at 0.75 / 0.3; row 1 is right either way.
        double[][] testTargets = [[0, 0, 1], [0, 1, 0]];
        double[] testTags = [0.6, 0.4, 0.8, 0.1];
        var test = new TaskPredictions(testTargets, new Dictionary<string, double[]> { ["kind"] = Kind(2), ["tags"] = testTags }, 0, new Dictionary<string, double> { ["kind"] = 0, ["tags"] = 0 });
        var m = ExperimentMetrics.Compute("test", objective, layout, test, tuned);
        var tags = m.Tasks[1];
        Assert.Equal([0.5, 0.5], tags.AtThreshold!.Thresholds);
        Assert.Equal(0.5, tags.AtThreshold.HammingLoss, 12);
        Assert.Equal(0.5, tags.AtThreshold.ExactMatchRatio, 12);
        Assert.Equal([0.75, 0.3], tags.Tuned!.Thresholds);
        Assert.Equal(0.0, tags.Tuned.HammingLoss, 12);
        Assert.Equal(1.0, tags.Tuned.ExactMatchRatio, 12);
        Assert.Contains("tuned thresholds", m.ToText());
    }
}
