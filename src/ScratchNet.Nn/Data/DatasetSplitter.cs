namespace ScratchNet.Nn.Data;

/// <summary>
/// Splits samples into train / validation / test by <see cref="Sample.GroupKey"/>, so near-duplicates never straddle
/// a split boundary. PyTorch users would write <c>GroupShuffleSplit</c> (scikit-learn) twice; this does it in one pass.
/// </summary>
/// <remarks>
/// Groups are sorted by key (so the result does not depend on manifest row order), shuffled with a seeded RNG, and
/// walked in that order: a group goes to the split whose share of the sample count its midpoint falls in. Ratios
/// are therefore met in samples, not groups, within about one group's size. When there are at least as many groups
/// as splits with a positive ratio, a split left empty takes the last group of the split holding the most groups,
/// so tiny datasets still have something to validate and test on.
/// </remarks>
public static class DatasetSplitter
{
    /// <summary>Seed 000's ratios: 70 % train, 15 % validation, 15 % test.</summary>
    public static readonly (double Train, double Validation, double Test) SkyAqiRatios = (0.7, 0.15, 0.15);

    /// <summary>
    /// Splits <paramref name="samples"/> by group. Ratios must be non-negative and sum to 1 (±1e-6). The same inputs
    /// and <paramref name="seed"/> always give the same split; each split keeps the samples' input order.
    /// </summary>
    public static DatasetSplit Split(IReadOnlyList<Sample> samples, double trainRatio = 0.7, double validationRatio = 0.15, double testRatio = 0.15, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(samples);
        double[] ratios = [trainRatio, validationRatio, testRatio];
        if (ratios.Any(r => r < 0 || double.IsNaN(r)) || Math.Abs(ratios.Sum() - 1) > 1e-6)
            throw new ArgumentException($"split ratios must be non-negative and sum to 1, got {trainRatio}/{validationRatio}/{testRatio}");

        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in samples)
            sizes[s.GroupKey] = sizes.GetValueOrDefault(s.GroupKey) + 1;
        var groups = sizes.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        SeedMix.Shuffle(groups, SeedMix.Mix(seed, 0x5117));

        var assigned = new List<string>[3] { [], [], [] };
        double n = samples.Count, cum = 0;
        foreach (var g in groups)
        {
            double mid = (cum + sizes[g] / 2.0) / n;
            cum += sizes[g];
            int split = mid < trainRatio ? 0 : mid < trainRatio + validationRatio ? 1 : 2;
            // A zero-ratio split never receives anything, even at the rounding edge.
            while (ratios[split] == 0)
                split = split == 2 ? 0 : split + 1;
            assigned[split].Add(g);
        }

        int wanted = ratios.Count(r => r > 0);
        if (groups.Length >= wanted)
        {
            for (int s = 0; s < 3; s++)
            {
                if (ratios[s] == 0 || assigned[s].Count > 0)
                    continue;
                int donor = Enumerable.Range(0, 3).OrderByDescending(d => assigned[d].Count).ThenBy(d => d).First();
                var moved = assigned[donor][^1];
                assigned[donor].RemoveAt(assigned[donor].Count - 1);
                assigned[s].Add(moved);
            }
        }

        var where = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < 3; s++)
            foreach (var g in assigned[s])
                where[g] = s;
        var outs = new List<Sample>[3] { [], [], [] };
        foreach (var s in samples)
            outs[where[s.GroupKey]].Add(s);
        return new DatasetSplit(outs[0], outs[1], outs[2]);
    }
}
