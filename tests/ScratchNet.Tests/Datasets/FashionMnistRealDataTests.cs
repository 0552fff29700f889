using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Apps.Datasets.Mosaic;
using ScratchNet.Tests.Data;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// Checks against the real Fashion-MNIST files when Debian's <c>dataset-fashion-mnist</c> package is installed.
/// Machines without it (CI) pass these tests trivially: they return early and say so in the test output
/// (xunit 2 has no runtime skip).
/// </summary>
public sealed class FashionMnistRealDataTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private bool Installed()
    {
        string folder = FashionMnistFiles.DefaultFolder;
        bool all = FashionMnistFiles.BaseNames.All(n => File.Exists(Path.Combine(folder, n + ".gz")) || File.Exists(Path.Combine(folder, n)));
        if (!all) output.WriteLine($"SKIPPED: Fashion-MNIST is not installed in {folder} (sudo apt-get install dataset-fashion-mnist)");
        return all;
    }

    [Fact]
    public void RealFilesHoldTheOfficialSplitsBalancedOverTheTenClasses()
    {
        if (!Installed()) return;
        var set = FashionMnistSet.Load(FashionMnistFiles.DefaultFolder);
        Assert.Equal((60000, 28, 28), (set.Train.Count, set.Train.Rows, set.Train.Cols));
        Assert.Equal((10000, 28, 28), (set.Test.Count, set.Test.Rows, set.Test.Cols));
        Assert.All(set.Train.Labels.Data.CountBy(l => l), kv => Assert.Equal(6000, kv.Value));
        Assert.All(set.Test.Labels.Data.CountBy(l => l), kv => Assert.Equal(1000, kv.Value));
        Assert.Equal(9, set.Train.Label(0)); // the first training image is an ankle boot
    }

    [Fact]
    public void RealFilesExportAndMakeMosaics()
    {
        if (!Installed()) return;
        var export = FashionMnistExporter.Export(new FashionMnistExportOptions { OutDir = tmp.File("fashion"), Limit = 60 });
        Assert.Equal((60, 10), (export.TrainImages, export.TestImages));
        Assert.StartsWith("train/00000.png,train,ankle_boot,footwear", File.ReadAllLines(tmp.File("fashion/fashion.csv"))[1]);
        var mosaic = MosaicGenerator.Generate(new MosaicOptions { OutDir = tmp.File("mosaic"), Count = 50, TestCount = 10 });
        Assert.Equal(61, File.ReadAllLines(tmp.File("mosaic/mosaic.csv")).Length);
        Assert.InRange(mosaic.Items, 60, 180);
    }
}
