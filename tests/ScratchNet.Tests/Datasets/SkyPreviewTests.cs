using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// Writes eyeball previews when SKY_PREVIEW_DIR is set (used while tuning the renderer and to refresh
/// docs/images/sky-samples.png); otherwise does nothing.
/// </summary>
public class SkyPreviewTests
{
    [Fact]
    public void WritePreviewsWhenAsked()
    {
        var dir = Environment.GetEnvironmentVariable("SKY_PREVIEW_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        int size = int.TryParse(Environment.GetEnvironmentVariable("SKY_PREVIEW_SIZE"), out var s) ? s : 96;
        var plan = new SkyRenderer(7, 3000);
        int[] targets = [20, 45, 80, 120, 170, 250, 350, 440];
        var tiles = new List<byte[]>();
        foreach (var t in targets)
        {
            // Three different groups near each AQI level: one row per level.
            var picks = plan.Samples.Where(x => Math.Abs(x.Aqi - t) <= Math.Max(4, t / 12)).GroupBy(x => x.GroupIndex).Take(4).Select(g => g.First());
            foreach (var p in picks) tiles.Add(plan.Render(p.Index, size));
        }
        SkyContactSheet.WritePng(Path.Combine(dir, "sky-levels.png"), tiles, size, 4);

        var neg = new NegativeRenderer(7);
        var negTiles = new List<byte[]>();
        foreach (var kind in Enum.GetValues<NegativeKind>())
        {
            int found = 0;
            for (int i = 0; i < 2000 && found < 2; i++)
                if (neg.KindOf(i) == kind) { negTiles.Add(neg.Render(i, size)); found++; }
        }
        SkyContactSheet.WritePng(Path.Combine(dir, "negatives.png"), negTiles, size, 6);

        // The README sheet: two rows of skies at rising AQI (≈20, 45, 100, 150 / 200, 250, 350, 440),
        // two rows of negatives (textures, scenes, then the hard ones: flat wall, water, blue surface, asphalt).
        var sheet = new List<byte[]>();
        foreach (var t in new[] { 20, 45, 100, 150, 200, 250, 350, 440 })
        {
            var p = plan.Samples.OrderBy(x => Math.Abs(x.Aqi - t)).ThenBy(x => x.Index).First();
            sheet.Add(plan.Render(p.Index, size));
        }
        foreach (var kind in new[] { NegativeKind.Wood, NegativeKind.Stone, NegativeKind.Indoor, NegativeKind.Objects,
                                     NegativeKind.FlatWall, NegativeKind.Water, NegativeKind.BlueSurface, NegativeKind.Asphalt })
            sheet.Add(neg.Render(Enumerable.Range(0, 2000).First(i => neg.KindOf(i) == kind), size));
        SkyContactSheet.WritePng(Path.Combine(dir, "sky-samples.png"), sheet, size, 4);
    }

    /// <summary>Times a full-size generation when SKY_SPEED_COUNT is set (e.g. 3000); otherwise does nothing.</summary>
    [Fact]
    public void TimeGenerationWhenAsked()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("SKY_SPEED_COUNT"), out int count)) return;
        int size = int.TryParse(Environment.GetEnvironmentVariable("SKY_PREVIEW_SIZE"), out var s) ? s : 96;
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var plan = new SkyRenderer(1, 300);
        for (int i = 0; i < 300; i++) plan.Render(i, size);
        double skyMs = sw.Elapsed.TotalMilliseconds / 300; sw.Restart();
        var negs = new NegativeRenderer(1);
        for (int i = 0; i < 300; i++) negs.Render(i, size);
        double negMs = sw.Elapsed.TotalMilliseconds / 300; sw.Restart();
        var px = plan.Render(0, size);
        for (int i = 0; i < 300; i++) ImageCodec.Encode(px, size, size, SkyImageFormat.Png, 90);
        Console.WriteLine($"speed: one thread, per image: sky {skyMs:F2} ms, negative {negMs:F2} ms, png {sw.Elapsed.TotalMilliseconds / 300:F2} ms");
        var dir = Path.Combine(Path.GetTempPath(), "scratchnet-sky-speed");
        var r = SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = dir, Count = count, Size = size, Seed = 1 });
        Console.WriteLine($"speed: {r.SkyImages}+{r.Negatives} images at {size}px in {r.Elapsed.TotalSeconds:F1} s on {Environment.ProcessorCount} cores ({r.Groups} groups, {r.HardNegatives} hard negatives)");
    }
}
