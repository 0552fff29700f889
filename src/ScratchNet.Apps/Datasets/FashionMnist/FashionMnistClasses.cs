namespace ScratchNet.Apps.Datasets.FashionMnist;

/// <summary>
/// The ten Fashion-MNIST classes in label order (label k is <c>Names[k]</c>), in snake_case so they can be CSV
/// column names, and the coarser garment category each belongs to.
/// </summary>
public static class FashionMnistClasses
{
    /// <summary>Number of classes (labels 0–9).</summary>
    public const int Count = 10;

    /// <summary>Class names by label: 0 = t_shirt_top … 9 = ankle_boot (Zalando's order).</summary>
    public static IReadOnlyList<string> Names { get; } =
        ["t_shirt_top", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle_boot"];

    /// <summary>The garment categories, in the order of their first class.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["tops", "bottoms", "dresses", "footwear", "bags"];

    // Category of each label: tops are upper-body garments (t-shirt, pullover, coat, shirt).
    private static readonly string[] CategoryByLabel =
        ["tops", "bottoms", "tops", "dresses", "tops", "footwear", "tops", "footwear", "bags", "footwear"];

    /// <summary>The class name of <paramref name="label"/> (0–9).</summary>
    public static string NameOf(int label) => Names[CheckLabel(label)];

    /// <summary>The garment category of <paramref name="label"/>: tops, bottoms, dresses, footwear or bags.</summary>
    public static string CategoryOf(int label) => CategoryByLabel[CheckLabel(label)];

    private static int CheckLabel(int label)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(label);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(label, Count);
        return label;
    }
}
