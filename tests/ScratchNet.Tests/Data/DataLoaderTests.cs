using System.Diagnostics;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;
using SkiaSharp;

namespace ScratchNet.Tests.Data;

public class DataLoaderTests
{
    // N images, each a flat colour whose red channel encodes its index, so a batch's pixels identify its samples.
    private static (TempDir Dir, List<Sample> Samples) Dataset(int n)
    {
        var dir = new TempDir();
        var samples = new List<Sample>();
        for (int i = 0; i < n; i++)
        {
            var p = TestImages.SolidPng(dir.File($"img{i}.png"), 12, 12, new SKColor((byte)(10 * i), 50, 200));
            samples.Add(new Sample(p, $"g{i}", [i % 2, i * 1.5]) { SourceLine = i + 2 });
        }
        return (dir, samples);
    }

    private static List<Batch> Run(DataLoader loader, int epoch) => loader.GetEpoch(epoch).ToList();

    [Fact]
    public void BatchesCarryPixelsTargetsAndIndicesAndKeepTheLastPartialBatch()
    {
        var (dir, samples) = Dataset(20);
        using var _ = dir;
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 6, Shuffle = false });
        var batches = Run(loader, 0);
        Assert.Equal([6, 6, 6, 2], batches.Select(b => b.Count));
        var b1 = batches[1];
        Assert.Equal([6, 7, 8, 9, 10, 11], b1.Indices);
        Assert.Equal([6, 3, 8, 8], b1.ImageShape);
        Assert.Equal(6 * 3 * 64, b1.Images.Length);
        Assert.Equal(60 / 255f, b1.Images[0 * 192]); // sample 6, red plane (each sample is 3·8·8 = 192 floats)
        Assert.Equal(70 / 255f, b1.Images[1 * 192]);
        Assert.Equal(200 / 255f, b1.Images[2 * 64]); // blue plane of sample 6
        Assert.Equal([0.0, 9.0], b1.TargetRow(0));
        Assert.Equal(10.5, b1.Target(1, 1));
        Assert.Equal(4, loader.BatchesPerEpoch);

        using var dropLast = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 6, Shuffle = false, DropLast = true });
        Assert.Equal(3, Run(dropLast, 0).Count);
    }

    [Fact]
    public void ToTensorGivesNchwFloat32()
    {
        var (dir, samples) = Dataset(5);
        using var _ = dir;
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 4, Shuffle = false });
        var batch = Run(loader, 0)[0];
        using var scope = TensorScope.Begin();
        var t = batch.ToTensor(Device.Cpu);
        Assert.Equal([4, 3, 8, 8], t.Shape);
        Assert.Equal(batch.Images, t.ToArray<float>());
        var y = batch.TargetsToTensor(Device.Cpu);
        Assert.Equal([4, 2], y.Shape);
    }

    [Fact]
    public void SameSeedSameBatchesAndEpochOrdersDifferButReproduce()
    {
        var (dir, samples) = Dataset(30);
        using var _ = dir;
        var opts = new DataLoaderOptions { ImageSize = 8, BatchSize = 7, Seed = 11, Augmentation = Augmentation.Seed003 };
        using var a = new DataLoader(samples, opts);
        using var b = new DataLoader(samples, opts with { MaxDegreeOfParallelism = 1, PrefetchBatches = 1 });
        var a0 = Run(a, 0);
        var b0 = Run(b, 0);
        Assert.Equal(a0.Select(x => x.Indices), b0.Select(x => x.Indices));
        for (int i = 0; i < a0.Count; i++)
            Assert.Equal(a0[i].Images, b0[i].Images);

        var e0 = a.EpochOrder(0);
        var e1 = a.EpochOrder(1);
        Assert.NotEqual(e0, e1);
        Assert.Equal(e1, b.EpochOrder(1));
        Assert.Equal(e0, a0.SelectMany(x => x.Indices));
        Assert.Equal(Enumerable.Range(0, 30), e1.Order());
        using var c = new DataLoader(samples, opts with { Seed = 12 });
        Assert.NotEqual(e0, c.EpochOrder(0));
    }

    [Fact]
    public void SecondEpochDecodesNothing()
    {
        var (dir, samples) = Dataset(10);
        using var _ = dir;
        var cache = new ImageCache();
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 4 }, cache);
        Run(loader, 0);
        Assert.Equal(10, cache.Decodes);
        Assert.Equal(10 * 3 * 64, cache.CachedBytes);
        Run(loader, 1);
        Assert.Equal(10, cache.Decodes);
        Assert.Equal(10, cache.Hits);
    }

    [Fact]
    public void CacheOverCapacityDecodesOnDemand()
    {
        var (dir, samples) = Dataset(10);
        using var _ = dir;
        var cache = new ImageCache(capacityBytes: 4 * 3 * 64);
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 4, Shuffle = false }, cache);
        var first = Run(loader, 0);
        Assert.Equal(4, cache.Count);
        Assert.Equal(10, cache.Decodes);
        var second = Run(loader, 1);
        Assert.Equal(16, cache.Decodes); // 6 uncached images decoded again
        Assert.Equal(first.SelectMany(x => x.Images), second.SelectMany(x => x.Images));
    }

    [Fact]
    public void UndecodableImageIsSkippedAndRecordedOnce()
    {
        var (dir, samples) = Dataset(6);
        using var _ = dir;
        File.WriteAllText(samples[2].ImagePath, "not a png");
        var cache = new ImageCache();
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 4, Shuffle = false }, cache);
        var batches = Run(loader, 0);
        Assert.Equal([0, 1, 3], batches[0].Indices);
        Assert.Equal(5, batches.Sum(b => b.Count));
        var f = Assert.Single(loader.Failures);
        Assert.Equal(samples[2].ImagePath, f.File);
        Assert.Equal(4, f.Line);
        Run(loader, 1);
        Assert.Single(loader.Failures);
        Assert.Equal(5, cache.Decodes); // the bad file is not retried
    }

    [Fact]
    public void ProducerPrefetchesAheadOfASlowConsumer()
    {
        var (dir, samples) = Dataset(24);
        using var _ = dir;
        var cache = new ImageCache();
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 4, PrefetchBatches = 2 }, cache);
        using var e = loader.GetEpoch(0).GetEnumerator();
        Assert.True(e.MoveNext());
        var sw = Stopwatch.StartNew();
        while (cache.Decodes < 12 && sw.ElapsedMilliseconds < 10_000)
            Thread.Sleep(10);
        // One batch consumed, two queued, one being built (blocked on the full channel): at least 12 decoded.
        Assert.True(cache.Decodes >= 12, $"only {cache.Decodes} decoded while the consumer waited");
        Assert.True(cache.Decodes <= 16, $"{cache.Decodes} decoded: the channel is not bounded");
    }

    [Fact]
    public async Task DisposingMidEpochStopsTheProducerWithoutHanging()
    {
        var (dir, samples) = Dataset(40);
        using var _ = dir;
        var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 2, PrefetchBatches = 2 });
        var run = Task.Run(() =>
        {
            int seen = 0;
            try
            {
                foreach (var b in loader.GetEpoch(0))
                {
                    if (++seen == 2)
                        loader.Dispose();
                }
            }
            catch (OperationCanceledException)
            {
                // Disposal cancels the epoch: the expected way out.
            }
            return seen;
        });
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(finished == run, "enumeration hung after Dispose");
        Assert.True(await run < 20, "the epoch ran to the end despite Dispose");
        Assert.Throws<ObjectDisposedException>(() => loader.GetEpoch(1));
    }

    [Fact]
    public void BreakingOutOfAnEpochLeavesTheLoaderUsable()
    {
        var (dir, samples) = Dataset(12);
        using var _ = dir;
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 2, Seed = 3 });
        foreach (var b in loader.GetEpoch(0))
            break;
        var full = Run(loader, 0);
        Assert.Equal(6, full.Count);
        Assert.Equal(loader.EpochOrder(0), full.SelectMany(b => b.Indices));
    }

    [Fact]
    public void CancellationTokenEndsTheEpoch()
    {
        var (dir, samples) = Dataset(20);
        using var _ = dir;
        using var loader = new DataLoader(samples, new DataLoaderOptions { ImageSize = 8, BatchSize = 2 });
        using var cts = new CancellationTokenSource();
        int seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var b in loader.GetEpoch(0, cts.Token))
            {
                seen++;
                cts.Cancel();
            }
        });
        Assert.Equal(1, seen);
    }
}
