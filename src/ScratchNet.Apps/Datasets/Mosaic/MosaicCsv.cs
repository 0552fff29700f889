using System.Text;
using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Mosaic;

/// <summary>
/// The mosaic CSV: <c>image,split,tags,count,</c> then one 0/1 column per Fashion-MNIST class in label order.
/// <c>tags</c> lists the distinct classes present, in class order, joined by <c>|</c> (<c>none</c> for an empty
/// mosaic); <c>count</c> counts items, so two coats count 2 but tag once.
/// </summary>
internal static class MosaicCsv
{
    /// <summary>The tags value of a mosaic without items.</summary>
    public const string NoTags = "none";

    /// <summary>The header line.</summary>
    public static string Header { get; } = "image,split,tags,count," + string.Join(',', FashionMnistClasses.Names);

    /// <summary>Writes the header and one row per sample; <paramref name="setOf"/> gives the item set of a split.</summary>
    public static void Write(string path, IEnumerable<(MosaicSample Sample, string Image)> rows, Func<string, IdxImageSet> setOf)
    {
        var sb = new StringBuilder();
        sb.Append(Header).Append('\n');
        Span<bool> present = stackalloc bool[FashionMnistClasses.Count];
        foreach (var (sample, image) in rows)
        {
            var set = setOf(sample.Split);
            present.Clear();
            foreach (int item in sample.Cells)
                if (item != MosaicSample.Empty) present[set.Label(item)] = true;

            var tags = new List<string>();
            for (int k = 0; k < present.Length; k++)
                if (present[k]) tags.Add(FashionMnistClasses.NameOf(k));
            sb.Append(image).Append(',').Append(sample.Split).Append(',')
              .Append(tags.Count == 0 ? NoTags : string.Join('|', tags)).Append(',').Append(sample.ItemCount);
            foreach (bool p in present) sb.Append(',').Append(p ? '1' : '0');
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString(), new UTF8Encoding(false));
    }
}
