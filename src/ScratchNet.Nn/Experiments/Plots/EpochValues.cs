using System.Globalization;

namespace ScratchNet.Nn.Experiments.Plots;

/// <summary>
/// One row of a training log for <see cref="TrainingCurves"/>: the epoch number and named values, e.g.
/// <c>train_loss</c>, <c>val_loss</c>, <c>val_accuracy</c>, <c>val_f1</c>, <c>val_mae</c>. A value missing from a row
/// (or NaN / ±∞) is skipped: that series has no point at that epoch (the line joins its neighbours).
/// </summary>
/// <param name="Epoch">Epoch number (the x coordinate; 1-based by convention).</param>
/// <param name="Values">Series name → value at this epoch.</param>
public sealed record EpochValues(int Epoch, IReadOnlyDictionary<string, double> Values)
{
    /// <summary>
    /// Reads a CSV training log (a CSVLogger-style file): a header whose first column is <c>epoch</c>, then one row per
    /// epoch of invariant-culture numbers. Empty cells and non-numeric cells are skipped.
    /// </summary>
    public static IReadOnlyList<EpochValues> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        if (lines.Length == 0) return [];
        var header = lines[0].Split(',').Select(h => h.Trim()).ToArray();
        int epochCol = Array.FindIndex(header, h => h.Equals("epoch", StringComparison.OrdinalIgnoreCase));
        if (epochCol < 0) throw new FormatException($"{path}: no 'epoch' column in the header");
        var rows = new List<EpochValues>();
        for (int r = 1; r < lines.Length; r++)
        {
            var cells = lines[r].Split(',');
            if (epochCol >= cells.Length
                || !double.TryParse(cells[epochCol], NumberStyles.Float, CultureInfo.InvariantCulture, out double epoch))
                continue;
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int c = 0; c < header.Length && c < cells.Length; c++)
            {
                if (c == epochCol) continue;
                if (double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    values[header[c]] = v;
            }
            rows.Add(new EpochValues((int)Math.Round(epoch), values));
        }
        return rows;
    }
}
