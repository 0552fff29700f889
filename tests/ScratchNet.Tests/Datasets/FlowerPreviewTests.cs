using ScratchNet.Apps.Datasets.Flowers;
using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// Writes eyeball contact sheets when FLOWER_PREVIEW_DIR is set (used while tuning the renderer and to refresh
/// docs/images/flowers-sample.png); otherwise does nothing.
/// </summary>
public class FlowerPreviewTests
{
    [Fact]
    public void WriteFlowerPreviewsWhenAsked()
    {
        var dir = Environment.GetEnvironmentVariable("FLOWER_PREVIEW_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        int size = int.TryParse(Environment.GetEnvironmentVariable("FLOWER_PREVIEW_SIZE"), out var s) ? s : 64;
        long seed = long.TryParse(Environment.GetEnvironmentVariable("FLOWER_PREVIEW_SEED"), out var sd) ? sd : 7;
        var renderer = new FlowerRenderer(seed);

        // One row per (type, colour): daisy red, pink, white, yellow, then rose red, pink, white, yellow.
        var tiles = new byte[64][];
        Parallel.For(0, 64, i =>
        {
            var type = (FlowerType)(i / 32);
            var colour = (FlowerColour)(i / 8 % 4);
            tiles[i] = renderer.Render(i, type, colour, size).Rgb;
        });
        SkyContactSheet.WritePng(Path.Combine(dir, $"flowers-{size}.png"), tiles, size, 8);
        WriteZoomed(Path.Combine(dir, $"flowers-{size}-x3.png"), tiles, size, 8, 3);

        // The README sheet: two of each label at 64 px, daisies on the top rows and roses below.
        var sample = new List<byte[]>();
        foreach (var type in FlowerLabels.Types)
            foreach (var colour in FlowerLabels.AllColours)
                for (int k = 0; k < 2; k++)
                    sample.Add(renderer.Render(1000 + sample.Count, type, colour, 64).Rgb);
        SkyContactSheet.WritePng(Path.Combine(dir, "flowers-sample.png"), sample, 64, 8);
    }

    /// <summary>The sheet with every pixel repeated <paramref name="zoom"/> times, for looking at small images.</summary>
    private static void WriteZoomed(string path, IReadOnlyList<byte[]> tiles, int size, int columns, int zoom)
    {
        var (rgb, w, h) = SkyContactSheet.Compose(tiles, size, columns);
        var big = new byte[w * zoom * h * zoom * 3];
        for (int y = 0; y < h * zoom; y++)
            for (int x = 0; x < w * zoom; x++)
                for (int c = 0; c < 3; c++)
                    big[(y * w * zoom + x) * 3 + c] = rgb[((y / zoom) * w + x / zoom) * 3 + c];
        File.WriteAllBytes(path, ImageCodec.Encode(big, w * zoom, h * zoom, SkyImageFormat.Png, 90));
    }

    /// <summary>Times rendering and a full generation when FLOWER_SPEED_COUNT is set (e.g. 3200); otherwise does nothing.</summary>
    [Fact]
    public void TimeFlowerGenerationWhenAsked()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("FLOWER_SPEED_COUNT"), out int count)) return;
        int size = int.TryParse(Environment.GetEnvironmentVariable("FLOWER_PREVIEW_SIZE"), out var s) ? s : 64;
        var renderer = new FlowerRenderer(1);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 100; i++) renderer.Render(i, FlowerType.Daisy, FlowerColour.White, size);
        double daisyMs = sw.Elapsed.TotalMilliseconds / 100; sw.Restart();
        for (int i = 0; i < 100; i++) renderer.Render(i, FlowerType.Rose, FlowerColour.Red, size);
        double roseMs = sw.Elapsed.TotalMilliseconds / 100;
        Console.WriteLine($"speed: one thread, per image at {size}px: daisy {daisyMs:F2} ms, rose {roseMs:F2} ms");
        var dir = Path.Combine(Path.GetTempPath(), "scratchnet-flowers-speed");
        var r = FlowersDatasetGenerator.Generate(new FlowersDatasetOptions { OutDir = dir, Count = count, Size = size, Seed = 1 });
        Console.WriteLine($"speed: {r.Images} images at {size}px in {r.Elapsed.TotalSeconds:F1} s = {r.Images / r.Elapsed.TotalSeconds:F0} images/s on {Environment.ProcessorCount} cores");
        Directory.Delete(dir, true);
    }
}
