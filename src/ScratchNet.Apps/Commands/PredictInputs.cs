using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// What <c>predict</c> was given, as image files: an image file stays itself; a folder is every image file under it
/// (recursively, sorted, so the output order is the same on every machine); a <c>.csv</c> is its image column (the
/// experiment's <c>data.path_column</c>, else <c>image</c>, <c>filename</c> or <c>path</c>), relative paths taken
/// from <c>--images</c> or the CSV's folder.
/// </summary>
internal static class PredictInputs
{
    private static readonly string[] PathColumns = ["image", "filename", "Filename", "path", "file"];

    /// <summary>The image files, in order; a folder without images or a CSV without an image column is a <see cref="ManifestException"/>.</summary>
    public static List<string> Expand(IEnumerable<string> inputs, string pathColumn, string? imagesDir)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                var found = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Where(ImageDecoder.IsImageFile).Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                    throw new ManifestException($"{input} is a folder without image files ({string.Join(", ", ImageDecoder.Extensions)}), in it or below");
                files.AddRange(found);
            }
            else if (string.Equals(Path.GetExtension(input), ".csv", StringComparison.OrdinalIgnoreCase) && File.Exists(input))
            {
                files.AddRange(FromCsv(input, pathColumn, imagesDir));
            }
            else files.Add(input); // an image, or a missing file: predict reports it on its own line
        }
        return files;
    }

    private static IEnumerable<string> FromCsv(string csv, string pathColumn, string? imagesDir)
    {
        var table = CsvTable.Load(csv, allowRaggedRows: true);
        string? column = new[] { pathColumn }.Concat(PathColumns).FirstOrDefault(table.HasColumn)
            ?? throw new ManifestException($"{csv} has no image column: expected {string.Join(", ", new[] { pathColumn }.Concat(PathColumns).Distinct())}; its columns are {string.Join(", ", table.Header)}");
        int c = table.ColumnIndex(column);
        string root = imagesDir ?? Path.GetDirectoryName(Path.GetFullPath(csv))!;
        var rows = new List<string>();
        for (int r = 0; r < table.RowCount; r++)
        {
            string cell = table[r, c].Trim();
            if (cell.Length == 0)
                throw new ManifestException($"{csv}:{table.LineOf(r)}: column '{column}' is blank");
            rows.Add(Path.GetFullPath(Path.Combine(root, cell)));
        }
        return rows;
    }
}
