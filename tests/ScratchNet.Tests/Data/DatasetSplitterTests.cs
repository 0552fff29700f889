using ScratchNet.Nn.Data;

namespace ScratchNet.Tests.Data;

public class DatasetSplitterTests
{
    private static List<Sample> Grouped(int groups, int seed = 5)
    {
        var rnd = new Random(seed);
        var list = new List<Sample>();
        for (int g = 0; g < groups; g++)
        {
            int size = 1 + rnd.Next(12); // ~9 per station-hour in the real data, here 1–12
            for (int i = 0; i < size; i++)
                list.Add(new Sample($"/img/{g}_{i}.jpg", $"g{g}", [1, g]));
        }
        return list;
    }

    [Fact]
    public void NoGroupSpansTwoSplitsAndEverySampleIsPlacedOnce()
    {
        var samples = Grouped(300);
        var split = DatasetSplitter.Split(samples, 0.7, 0.15, 0.15, seed: 1);
        var sets = new[] { split.Train, split.Validation, split.Test }.Select(s => s.Select(x => x.GroupKey).ToHashSet()).ToArray();
        Assert.Empty(sets[0].Intersect(sets[1]));
        Assert.Empty(sets[0].Intersect(sets[2]));
        Assert.Empty(sets[1].Intersect(sets[2]));
        Assert.Equal(samples.Count, split.Train.Count + split.Validation.Count + split.Test.Count);
        Assert.Equal(samples.Select(s => s.ImagePath).Order(), split.Train.Concat(split.Validation).Concat(split.Test).Select(s => s.ImagePath).Order());
    }

    [Fact]
    public void RatiosAreApproximatelyRespected()
    {
        var samples = Grouped(500);
        var split = DatasetSplitter.Split(samples, 0.6, 0.25, 0.15, seed: 2);
        double n = samples.Count;
        Assert.InRange(split.Train.Count / n, 0.57, 0.63);
        Assert.InRange(split.Validation.Count / n, 0.22, 0.28);
        Assert.InRange(split.Test.Count / n, 0.12, 0.18);
    }

    [Fact]
    public void SameSeedSameSplitDifferentSeedDifferentSplitAndRowOrderDoesNotMatter()
    {
        var samples = Grouped(200);
        var a = DatasetSplitter.Split(samples, seed: 7);
        var b = DatasetSplitter.Split(samples, seed: 7);
        var shuffled = samples.OrderBy(s => s.ImagePath.GetHashCode(StringComparison.Ordinal)).ToList();
        var c = DatasetSplitter.Split(shuffled, seed: 7);
        var d = DatasetSplitter.Split(samples, seed: 8);
        Assert.Equal(a.Test.Select(s => s.ImagePath), b.Test.Select(s => s.ImagePath));
        Assert.Equal(a.Test.Select(s => s.ImagePath).Order(), c.Test.Select(s => s.ImagePath).Order());
        Assert.NotEqual(a.Test.Select(s => s.ImagePath).Order(), d.Test.Select(s => s.ImagePath).Order());
    }

    [Fact]
    public void TinyDatasetsStillFillEverySplit()
    {
        var three = new List<Sample> { new("/a", "a", [1]), new("/b", "b", [1]), new("/c", "c", [1]), new("/c2", "c", [1]) };
        for (int seed = 0; seed < 20; seed++)
        {
            var s = DatasetSplitter.Split(three, seed: seed);
            Assert.NotEmpty(s.Train);
            Assert.NotEmpty(s.Validation);
            Assert.NotEmpty(s.Test);
        }
        var two = DatasetSplitter.Split([new Sample("/a", "a", [1]), new Sample("/b", "b", [1])], seed: 0);
        Assert.Equal(2, two.Train.Count + two.Validation.Count + two.Test.Count);
        var noTest = DatasetSplitter.Split(Grouped(50), 0.8, 0.2, 0, seed: 0);
        Assert.Empty(noTest.Test);
    }

    [Fact]
    public void BadRatiosThrow()
    {
        Assert.Throws<ArgumentException>(() => DatasetSplitter.Split(Grouped(5), 0.7, 0.2, 0.2));
        Assert.Throws<ArgumentException>(() => DatasetSplitter.Split(Grouped(5), 1.2, -0.2, 0));
    }
}
