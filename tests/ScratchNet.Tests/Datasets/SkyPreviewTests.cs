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
    }
}
