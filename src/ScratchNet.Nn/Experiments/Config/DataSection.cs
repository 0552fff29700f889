using System.Globalization;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Reads <c>data:</c> into a <see cref="DataConfig"/>: paths made absolute against the config's folder, split checked.</summary>
internal static class DataSection
{
    private static readonly string[] Keys = ["csv", "images", "path_column", "group_column", "split_column", "split", "seed", "limit"];

    /// <summary>Reads the required <c>data:</c> field of the root mapping.</summary>
    public static DataConfig Read(YamlMap root, string baseDirectory, bool checkFiles)
    {
        var map = root.Required("data", " (the CSV of images and labels)").Map(Keys);
        var csv = Path.GetFullPath(Path.Combine(baseDirectory, map.Required("csv", " (the CSV file of images and labels)").Text("a file path")));
        var images = map.OptionalText("images", "a folder path") is { } dir
            ? Path.GetFullPath(Path.Combine(baseDirectory, dir))
            : Path.GetDirectoryName(csv)!;
        if (checkFiles)
            CheckFiles(map, csv, images);

        // Defaults live in the record; a field left out keeps them.
        var d = new DataConfig { Csv = csv, Images = images, Line = root.KeyLine("data") };
        return d with
        {
            PathColumn = map.Text("path_column", d.PathColumn, "a column name"),
            GroupColumn = map.OptionalText("group_column", "a column name"),
            SplitColumn = map.OptionalText("split_column", "a column name"),
            SplitRatios = map.Get("split") is { } split ? Ratios(split) : d.SplitRatios,
            Seed = map.Integer("seed", d.Seed, _ => true, "an integer"),
            Limit = map.Get("limit")?.Integer(n => n >= 1, "an integer >= 1"),
        };
    }

    private static void CheckFiles(YamlMap map, string csv, string images)
    {
        if (!File.Exists(csv))
            throw map.ErrorAt("csv", Directory.Exists(csv) ? $"{csv} is a folder, not a CSV file" : $"file {csv} does not exist");
        // Left out, images is the CSV's folder, which exists once the CSV does.
        if (map.Has("images") && !Directory.Exists(images))
            throw map.ErrorAt("images", File.Exists(images) ? $"{images} is a file, not a folder" : $"folder {images} does not exist");
    }

    // Three fractions, train/validation/test: a row has to land somewhere, so they sum to 1, and training needs rows.
    private static double[] Ratios(YamlValue split)
    {
        var items = split.Items("a list of three fractions [train, validation, test]");
        if (items.Count != 3)
            throw split.Error($"expected three fractions [train, validation, test], got {items.Count}");
        var r = items.Select(i => i.Number(v => v >= 0, "a fraction >= 0")).ToArray();
        if (Math.Abs(r.Sum() - 1) > 1e-6)
            throw split.Error($"the fractions must sum to 1, but {string.Join(" + ", r.Select(Show))} = {Show(r.Sum())}");
        if (r[0] <= 0)
            throw split.Error("the train fraction (the first) must be > 0");
        return r;
    }

    private static string Show(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
