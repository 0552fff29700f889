using System.Diagnostics;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// Progress as plain log lines, for output that is not a terminal (CI, <c>| tee</c>): one summary line per epoch,
/// and inside an epoch a progress line (batch, loss, images/s, ETA) only when 30 s have passed without a line, so a
/// log of short epochs stays one line per epoch. Each line says how long this process has been training, and each epoch
/// line ends with the time the remaining epochs should take at the mean epoch time so far (early stopping may end
/// sooner): a start-up estimate cannot know the machine.
/// </summary>
public sealed class PlainProgress(TextWriter output) : ITrainingProgress
{
    private int epoch, total, batches, epochsTimed;
    private double secondsTimed;
    private readonly Stopwatch sinceLine = new(), sinceEpoch = new();

    /// <inheritdoc/>
    public void StartEpoch(int epoch, int totalEpochs, int batches)
    {
        this.epoch = epoch; total = totalEpochs; this.batches = batches;
        sinceLine.Restart();
        sinceEpoch.Restart();
    }

    /// <inheritdoc/>
    public void Batch(int done, double meanLoss, double imagesPerSecond)
    {
        if (sinceLine.Elapsed.TotalSeconds < 30 || done == batches) return;
        sinceLine.Restart();
        double eta = done > 0 ? sinceEpoch.Elapsed.TotalSeconds / done * (batches - done) : 0;
        output.WriteLine($"epoch {epoch}/{total}  batch {done}/{batches}  loss {meanLoss:F4}  {imagesPerSecond:F0} img/s  epoch ETA {eta:F0} s  [{Elapsed(secondsTimed + sinceEpoch.Elapsed.TotalSeconds)}]");
        output.Flush();
    }

    /// <inheritdoc/>
    public void EpochSummary(int epoch, double seconds, string summary, bool isBest)
    {
        sinceLine.Restart();
        string left = TimeLeft(epoch, seconds);
        output.WriteLine($"epoch {epoch}/{total} done in {seconds:F1} s [{Elapsed(secondsTimed)}]: {summary}{(isBest ? "  (best so far)" : "")}{left}");
        output.Flush();
    }

    /// <summary>This process's training time so far (its epochs' seconds), "42 s in all" or "3.5 min in all".</summary>
    private static string Elapsed(double seconds) => seconds < 90 ? $"{seconds:F0} s in all" : $"{seconds / 60:F1} min in all";

    /// <summary>"; about 12 min left" from the mean epoch time of this process's epochs; empty after the last epoch.</summary>
    private string TimeLeft(int doneEpoch, double seconds)
    {
        epochsTimed++;
        secondsTimed += seconds;
        int left = total - doneEpoch;
        if (left <= 0) return "";
        double s = secondsTimed / epochsTimed * left;
        return s < 90 ? $"; about {s:F0} s left" : $"; about {s / 60:F0} min left";
    }

    /// <inheritdoc/>
    public void Message(string text)
    {
        output.WriteLine(text);
        output.Flush();
    }
}
