using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;
using SkiaSharp;
using static ScratchNet.Tests.Tasks.TaskFixtures;

namespace ScratchNet.Tests.Tasks;

/// <summary>CSV → checked, encoded samples and their split; every bad cell is an error naming its line.</summary>
public sealed class TaskDatasetTests : IDisposable
{
    private const double Nan = double.NaN;
    private const string Header = "image,colour,size,tl,tr,bl,br,tags,grp,split";

    private readonly TempFolder dir = new();

    public TaskDatasetTests()
    {
        Png(dir.File("a.png"), (_, _) => SKColors.Red, 4);
        Png(dir.File("b.png"), (_, _) => SKColors.Green, 4);
        Png(dir.File("c.png"), (_, _) => SKColors.Blue, 4);
    }

    public void Dispose() => dir.Dispose();

    private static readonly TaskConfig[] Tasks =
    [
        Class("colour", "red", "green", "blue"),
        Regression("size"),
        BinaryColumns("corners", "tl", "tr", "bl", "br"),
        Tags("tags", "cat", "dog", "bird") with { Separator = ";", NoneValue = "-" },
    ];

    private string WriteCsv(params string[] rows)
    {
        string csv = dir.File("data.csv");
        File.WriteAllText(csv, string.Join("\n", rows.Prepend(Header)) + "\n");
        return csv;
    }

    private ExperimentConfig ConfigFor(string csv, IReadOnlyList<TaskConfig>? tasks = null, Func<DataConfig, DataConfig>? data = null)
    {
        var d = new DataConfig { Csv = csv, Images = dir.Path };
        return Config(tasks ?? Tasks, data: data is null ? d : data(d));
    }

    // ------------------------------------------------------------------ good rows

    [Fact]
    public void GoodRowsAreEncodedIntoTheLayoutsSlots()
    {
        string csv = WriteCsv(
            "a.png,green,3.5,1,0,0,1,dog;cat,g1,train",    // line 2
            "b.png,red,-2,0,0,0,0,-,g1,train",             // line 3
            "c.png,,,,,,,,g2,train",                       // line 4: no label at all, stays in the data
            "a.png, blue ,,0,1,1,0,bird,g3,test");         // line 5: partly labelled
        var data = TaskDataset.Load(ConfigFor(csv));

        Assert.Equal(
            ["colour", "size", "corners:tl", "corners:tr", "corners:bl", "corners:br", "tags:cat", "tags:dog", "tags:bird"],
            data.Layout.Schema.TargetNames);
        Assert.Equal((0, 1), data.Layout["colour"]);
        Assert.Equal((1, 1), data.Layout["size"]);
        Assert.Equal((2, 4), data.Layout["corners"]);
        Assert.Equal((6, 3), data.Layout["tags"]);
        Assert.Equal(9, data.Layout.Width);

        Assert.Equal(4, data.Samples.Count);
        Assert.Equal([2, 3, 4, 5], data.Samples.Select(s => s.SourceLine));
        Assert.Equal([1.0, 3.5, 1, 0, 0, 1, 1, 1, 0], data.Samples[0].Targets);
        Assert.Equal([0.0, -2, 0, 0, 0, 0, 0, 0, 0], data.Samples[1].Targets);
        Assert.All(data.Samples[2].Targets, v => Assert.True(double.IsNaN(v)));
        Assert.Equal([2.0, Nan, 0, 1, 1, 0, 0, 0, 1], data.Samples[3].Targets);
        Assert.Equal(Path.GetFullPath(dir.File("a.png")), data.Samples[0].ImagePath);

        var counts = data.LabelledCounts(data.Samples);
        Assert.Equal(3, counts["colour"]);
        Assert.Equal(2, counts["size"]);
        Assert.Equal(3, counts["corners"]);
        Assert.Equal(3, counts["tags"]);
    }

    [Fact]
    public void LimitKeepsTheFirstRows()
    {
        string csv = WriteCsv("a.png,red,1,0,0,0,0,-,,", "b.png,red,2,0,0,0,0,-,,", "c.png,red,3,0,0,0,0,-,,", "a.png,red,4,0,0,0,0,-,,");
        var data = TaskDataset.Load(ConfigFor(csv, data: d => d with { Limit = 3 }), checkImages: false);
        Assert.Equal([1.0, 2, 3], data.Samples.Select(s => s.Targets[1]));
    }

    // ------------------------------------------------------------------ bad rows

    private const string Good = "a.png,red,1,0,1,0,0,cat,g,train";

    [Theory]
    [InlineData("class", "b.png,purple,1,0,0,0,0,-,g,train", "'purple'")]
    [InlineData("regression text", "b.png,red,big,0,0,0,0,-,g,train", "'big'")]
    [InlineData("tag", "b.png,red,1,0,0,0,0,dog;fish,g,train", "'fish'")]
    [InlineData("0/1 column", "b.png,red,1,2,0,0,0,-,g,train", "'2'")]
    [InlineData("0/1 columns partly blank", "b.png,red,1,,1,0,0,-,g,train", "'tl'")]
    [InlineData("image", "missing.png,red,1,0,0,0,0,-,g,train", "missing.png")]
    [InlineData("split", "b.png,red,1,0,0,0,0,-,g,training", "'training'")]
    public void EachBadCellIsAnErrorNamingTheFileLineAndValue(string what, string badRow, string fragment)
    {
        string csv = WriteCsv(Good, Good, badRow, Good); // the bad row is line 4
        var config = ConfigFor(csv, data: d => d with { SplitColumn = "split" });
        var e = Assert.Throws<DataValidationException>(() => TaskDataset.Load(config));
        Assert.Single(e.Problems);
        Assert.Contains($"{Path.GetFileName(csv)}:4:", e.Message);
        Assert.True(e.Message.Contains(fragment, StringComparison.Ordinal), $"{what}: '{fragment}' not in: {e.Message}");
        Assert.DoesNotContain(":2:", e.Message);
    }

    [Fact]
    public void EveryBadRowIsListedNotJustTheFirst()
    {
        string csv = WriteCsv(Good, "b.png,pink,1,0,0,0,0,-,g,train", Good, "c.png,red,x,0,0,0,0,-,g,train");
        var e = Assert.Throws<DataValidationException>(() => TaskDataset.Load(ConfigFor(csv)));
        Assert.Equal(2, e.Problems.Count);
        Assert.Contains(":3:", e.Problems[0]);
        Assert.Contains("'pink'", e.Problems[0]);
        Assert.Contains(":5:", e.Problems[1]);
        Assert.Contains("'x'", e.Problems[1]);
    }

    [Fact]
    public void ManyKindsOfProblemShowTheFirstTwentyAndCountTheRest()
    {
        string csv = WriteCsv(Enumerable.Range(0, 25).Select(i => $"a.png,red,n{i},0,0,0,0,-,g,train").ToArray());
        var e = Assert.Throws<DataValidationException>(() => TaskDataset.Load(ConfigFor(csv)));
        Assert.Equal(25, e.Problems.Count);
        Assert.Contains("25 problem(s)", e.Message);
        Assert.Contains("25 kinds", e.Message);
        Assert.Contains("'n19'", e.Message);
        Assert.DoesNotContain("'n20'", e.Message);
        Assert.Contains("… and 5 more kind(s) of problem in 5 row(s)", e.Message);
    }

    [Fact]
    public void TheSameProblemOnManyRowsIsOneLineWithTheCountAndEveryLine()
    {
        // 300 rows with a label missing from the list, two stray rows with another mistake.
        var rows = Enumerable.Range(0, 300).Select(_ => "a.png,purple,1,0,0,0,0,-,g,train").ToList();
        rows.Insert(150, Good);
        rows.Add("a.png,red,x,0,0,0,0,-,g,train");
        rows.Add("a.png,red,y,0,0,0,0,-,g,train");
        string csv = WriteCsv(rows.ToArray());
        var e = Assert.Throws<DataValidationException>(() => TaskDataset.Load(ConfigFor(csv)));
        Assert.Equal(302, e.Problems.Count);
        var lines = e.Message.Split(Environment.NewLine);
        Assert.Equal(4, lines.Length); // the header, one line for the 300, one per stray row
        Assert.Contains("302 problem(s)", lines[0]);
        Assert.Contains("'purple'", lines[1]);
        // The CSV header is line 1; the good row sits at line 152.
        Assert.EndsWith("— 300 rows: lines 2-151, 153-302", lines[1]);
        Assert.Contains(":303:", lines[2]);
        Assert.Contains("'x'", lines[2]);
        Assert.Contains(":304:", lines[3]);
    }

    [Fact]
    public void ACsvWithNoDataRowIsAnError()
    {
        string csv = WriteCsv();
        var e = Assert.Throws<DataValidationException>(() => TaskDataset.Load(ConfigFor(csv)));
        Assert.Contains("no data rows", e.Message);
    }

    [Theory]
    [InlineData(1, "sizes", "tasks[1] (size).column")]
    [InlineData(2, "tm", "tasks[2] (corners).columns")]
    public void ATaskColumnMissingFromTheCsvIsAConfigErrorListingTheColumns(int task, string column, string field)
    {
        string csv = WriteCsv(Good);
        var tasks = Tasks.ToArray();
        tasks[task] = task == 1 ? tasks[1] with { Column = column } : tasks[2] with { Columns = ["tl", column, "bl", "br"] };
        var e = Assert.Throws<ConfigException>(() => TaskDataset.Load(ConfigFor(csv, tasks)));
        Assert.Contains(field, e.Message);
        Assert.Contains($"'{column}'", e.Message);
        Assert.Contains(string.Join(", ", Header.Split(',')), e.Message);
    }

    // ------------------------------------------------------------------ splits

    private static string Row(int i, string group, string split) => $"img{i}.png,red,{i},0,0,0,0,-,{group},{split}";

    [Fact]
    public void RatioSplitKeepsEachGroupInOneSplit()
    {
        // 60 rows in 15 groups of 4.
        string csv = WriteCsv(Enumerable.Range(0, 60).Select(i => Row(i, $"grp{i % 15}", "")).ToArray());
        var config = ConfigFor(csv, data: d => d with { GroupColumn = "grp", SplitRatios = [0.6, 0.2, 0.2], Seed = 3 });
        var split = TaskDataset.Load(config, checkImages: false).Split;

        Assert.Equal(60, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.All(new[] { split.Train, split.Validation, split.Test }, s => Assert.NotEmpty(s));
        Assert.Equal(Enumerable.Range(0, 60).Select(i => (double)i),
            split.Train.Concat(split.Validation).Concat(split.Test).Select(s => s.Targets[1]).Order());
        var groupsOf = new[] { split.Train, split.Validation, split.Test }.Select(s => s.Select(x => x.GroupKey).ToHashSet()).ToArray();
        Assert.All(groupsOf.SelectMany(g => g), g => Assert.StartsWith("grp", g));
        Assert.Empty(groupsOf[0].Intersect(groupsOf[1]));
        Assert.Empty(groupsOf[0].Intersect(groupsOf[2]));
        Assert.Empty(groupsOf[1].Intersect(groupsOf[2]));
        Assert.InRange(split.Train.Count, 28, 44);

        var again = TaskDataset.Load(config, checkImages: false).Split;
        Assert.Equal(split.Validation.Select(s => s.SourceLine), again.Validation.Select(s => s.SourceLine));
    }

    [Fact]
    public void SplitColumnSaysWhereEachRowGoes()
    {
        string[] splits = ["train", "validation", "test", "val", "TRAIN", "Test", "valid", "train", "test", "train"];
        string csv = WriteCsv(splits.Select((s, i) => Row(i, "", s)).ToArray());
        var split = TaskDataset.Load(ConfigFor(csv, data: d => d with { SplitColumn = "split" }), checkImages: false).Split;
        Assert.Equal([0.0, 4, 7, 9], split.Train.Select(s => s.Targets[1]));
        Assert.Equal([1.0, 3, 6], split.Validation.Select(s => s.Targets[1]));
        Assert.Equal([2.0, 5, 8], split.Test.Select(s => s.Targets[1]));
    }

    [Fact]
    public void WithoutValidationRowsValidationIsCarvedFromTrainByGroup()
    {
        // 40 train rows in 10 groups of 4, 8 test rows; no row says validation.
        var rows = Enumerable.Range(0, 40).Select(i => Row(i, $"t{i % 10}", "train"))
            .Concat(Enumerable.Range(40, 8).Select(i => Row(i, $"x{i}", "test"))).ToArray();
        string csv = WriteCsv(rows);
        var config = ConfigFor(csv, data: d => d with { SplitColumn = "split", GroupColumn = "grp", SplitRatios = [0.6, 0.25, 0.15] });
        var split = TaskDataset.Load(config, checkImages: false).Split;

        Assert.Equal(Enumerable.Range(40, 8).Select(i => (double)i), split.Test.Select(s => s.Targets[1]));
        Assert.NotEmpty(split.Validation);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (double)i), split.Train.Concat(split.Validation).Select(s => s.Targets[1]).Order());
        Assert.Empty(split.Train.Select(s => s.GroupKey).Intersect(split.Validation.Select(s => s.GroupKey)));
        // 0.25 / 0.85 of 40 ≈ 12 rows, within a group either way.
        Assert.InRange(split.Validation.Count, 8, 16);
    }
}
