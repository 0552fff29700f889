using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>
/// Decides the content of each mosaic: the number of items uniform in 0–4, which cells they occupy (uniform among
/// the subsets of that size), and which items (uniform over the split's set, with replacement).
/// </summary>
/// <remarks>
/// Every mosaic draws from its own generator derived from (seed, split, index) — the sky dataset's SplitMix64
/// streams — so a mosaic never depends on thread count, scheduling, or how many other mosaics are made: the first
/// 100 mosaics of a 20000 run are the 100 mosaics of a 100 run.
/// </remarks>
internal static class MosaicPlanner
{
    /// <summary>Cells per mosaic (a 2×2 grid).</summary>
    public const int CellCount = 4;

    /// <summary>Plans mosaic <paramref name="index"/> of <paramref name="split"/>, drawing from <paramref name="itemCount"/> items.</summary>
    public static MosaicSample Plan(long seed, string split, int index, int itemCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(itemCount, 1);
        var rng = SkyRandom.Derive(seed, StreamOf(split), index);
        int items = rng.Int(0, CellCount + 1);
        // A partial Fisher–Yates shuffle: the first `items` entries are a uniform random subset of the cells.
        Span<int> order = [0, 1, 2, 3];
        for (int i = 0; i < items; i++)
        {
            int j = rng.Int(i, CellCount);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var cells = new[] { MosaicSample.Empty, MosaicSample.Empty, MosaicSample.Empty, MosaicSample.Empty };
        for (int i = 0; i < items; i++) cells[order[i]] = rng.Int(0, itemCount);
        return new MosaicSample(split, index, cells);
    }

    // Distinct streams so train mosaic k and test mosaic k are unrelated.
    private static ulong StreamOf(string split) => split switch
    {
        "train" => 0x6D6F736169637472UL,
        "test" => 0x6D6F736169637465UL,
        _ => throw new ArgumentException($"unknown split '{split}'", nameof(split)),
    };
}
