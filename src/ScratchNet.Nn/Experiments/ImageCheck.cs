using System.Collections.Concurrent;
using ScratchNet.Nn.Data;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// Every image of a dataset opened before any work (its header read: format and size, no pixels), so an unreadable
/// file is found before the first epoch — in any split, the test split included — instead of mid-training or never.
/// </summary>
public static class ImageCheck
{
    /// <summary>What <see cref="Probe"/> found: the usable dataset, the images left out, and their split counts.</summary>
    /// <param name="Data">The dataset without the unreadable images (the split is otherwise unchanged).</param>
    /// <param name="Skipped">One row per unreadable image: the CSV and line, and why.</param>
    /// <param name="Summary">"3 image(s) cannot be read and are left out (train 2, validation 0, test 1)", or null when none.</param>
    public sealed record Result(TaskDataset Data, IReadOnlyList<SkippedRow> Skipped, string? Summary);

    /// <summary>
    /// Probes every image of every split in parallel. Unreadable images are left out and listed, or with
    /// <paramref name="strict"/> the whole list is a <see cref="DataValidationException"/> (nothing is trained).
    /// </summary>
    public static Result Probe(TaskDataset data, bool strict)
    {
        var samples = data.Samples;
        var errors = new ConcurrentDictionary<int, string>();
        Parallel.For(0, samples.Count, i =>
        {
            try { ImageDecoder.Probe(samples[i].ImagePath); }
            catch (ImageDecodeException e) { errors[i] = e.Message; }
        });
        if (errors.IsEmpty) return new Result(data, [], null);

        var bad = errors.OrderBy(kv => kv.Key).Select(kv => (Sample: samples[kv.Key], Why: kv.Value)).ToList();
        string csv = data.Config.Data.Csv;
        if (strict)
            throw new DataValidationException(csv, bad.Select(b => new DataProblem(b.Sample.SourceLine, b.Why)).ToList());
        var drop = new HashSet<Sample>(bad.Select(b => b.Sample), ReferenceEqualityComparer.Instance);
        int In(IReadOnlyList<Sample> split) => split.Count(drop.Contains);
        string summary = $"{bad.Count} image(s) cannot be read and are left out (train {In(data.Split.Train)}, validation {In(data.Split.Validation)}, " +
            $"test {In(data.Split.Test)}); first: {bad[0].Why}";
        return new Result(data.Without(drop), bad.Select(b => new SkippedRow(csv, b.Sample.SourceLine, b.Why)).ToList(), summary);
    }
}
