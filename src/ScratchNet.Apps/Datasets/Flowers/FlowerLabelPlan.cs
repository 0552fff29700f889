using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>The label of every image: all (type, colour) classes equally often, in a seeded random order.</summary>
internal static class FlowerLabelPlan
{
    /// <summary>
    /// Image i first gets class i mod C (classes in order daisy × colours, then rose × colours), so the C class counts
    /// differ by at most one; then a Fisher–Yates shuffle driven by the seed mixes the order, so that any prefix or
    /// contiguous split of the CSV is also close to balanced and a model cannot learn anything from file order.
    /// </summary>
    public static (FlowerType Type, FlowerColour Colour)[] Balanced(long seed, int count, IReadOnlyList<FlowerColour> colours)
    {
        var classes = Classes(colours);
        var labels = new (FlowerType, FlowerColour)[count];
        for (int i = 0; i < count; i++) labels[i] = classes[i % classes.Count];
        var rng = SkyRandom.Derive(seed, 30, 0);
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Int(0, i + 1);
            (labels[i], labels[j]) = (labels[j], labels[i]);
        }
        return labels;
    }

    /// <summary>The classes in order: every colour for daisies, then every colour for roses.</summary>
    public static IReadOnlyList<(FlowerType Type, FlowerColour Colour)> Classes(IReadOnlyList<FlowerColour> colours) =>
        FlowerLabels.Types.SelectMany(t => colours.Select(c => (t, c))).ToList();

    /// <summary>The key of a class in counts and manifests, e.g. "rose/pink".</summary>
    public static string Key(FlowerType type, FlowerColour colour) => FlowerLabels.Name(type) + "/" + FlowerLabels.Name(colour);
}
