using System.Diagnostics;
using Spectre.Console;

namespace ScratchNet.Apps.Training;

using ScratchNet.Nn.Experiments;

/// <summary>
/// Progress bars on a terminal (Spectre.Console): one bar for the epochs and one for the batches of the current
/// epoch, with loss, images/s and ETA; epoch summaries print above the bars.
/// </summary>
public sealed class ConsoleProgress : ITrainingProgress
{
    private readonly ProgressContext context;
    private readonly ProgressTask epochs;
    private ProgressTask? batchTask;
    private int epoch, total;
    private readonly Stopwatch clock = new();

    private ConsoleProgress(ProgressContext context, int totalEpochs, int startEpoch)
    {
        this.context = context;
        total = totalEpochs;
        epochs = context.AddTask("[bold]epochs[/]", maxValue: totalEpochs);
        epochs.Value = startEpoch;
    }

    /// <summary>Runs <paramref name="body"/> with live progress bars.</summary>
    public static void Run(int totalEpochs, int startEpoch, Action<ITrainingProgress> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => body(new ConsoleProgress(ctx, totalEpochs, startEpoch)));

    /// <inheritdoc/>
    public void StartEpoch(int epoch, int totalEpochs, int batches)
    {
        this.epoch = epoch; total = totalEpochs;
        batchTask?.StopTask();
        batchTask = context.AddTask($"epoch {epoch}/{total}", maxValue: batches);
        clock.Restart();
    }

    /// <inheritdoc/>
    public void Batch(int done, double meanLoss, double imagesPerSecond)
    {
        if (batchTask is null) return;
        batchTask.Value = done;
        batchTask.Description = $"epoch {epoch}/{total}  loss {meanLoss:F4}  {imagesPerSecond:F0} img/s";
    }

    /// <inheritdoc/>
    public void EpochSummary(int epoch, double seconds, string summary, bool isBest)
    {
        batchTask?.StopTask();
        epochs.Value = epoch;
        AnsiConsole.MarkupLine($"epoch {epoch}/{total} [grey]{seconds:F1} s[/]  {Markup.Escape(summary)}{(isBest ? "  [green]best[/]" : "")}");
    }

    /// <inheritdoc/>
    public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));
}
