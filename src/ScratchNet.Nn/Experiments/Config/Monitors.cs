namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// The validation figures a run can monitor (<see cref="TrainConfig.Monitor"/>, early stopping, plateau):
/// <c>val_loss</c> (the weighted sum of the task losses) or <c>TASK.METRIC</c> with a metric of that task's kind.
/// Loss, MAE, RMSE and Hamming loss are better when lower; accuracy, macro-F1, R² and exact match when higher.
/// </summary>
public static class Monitors
{
    /// <summary>The total validation loss.</summary>
    public const string ValLoss = "val_loss";

    private static readonly string[] LowerIsBetterMetrics = ["loss", "mae", "rmse", "hamming_loss"];

    /// <summary>
    /// The metrics a task of <paramref name="kind"/> reports, by the names used after the dot; a regression task
    /// with <c>bands:</c> (<paramref name="bands"/>) also reports <c>band_accuracy</c>.
    /// </summary>
    public static IReadOnlyList<string> MetricsOf(TaskKind kind, bool bands = false) => kind switch
    {
        TaskKind.Classification => ["accuracy", "macro_f1", "loss"],
        TaskKind.Regression => bands ? ["mae", "rmse", "r2", "band_accuracy", "loss"] : ["mae", "rmse", "r2", "loss"],
        _ => ["hamming_loss", "exact_match", "macro_f1", "loss"],
    };

    /// <summary>Every valid monitor name for <paramref name="tasks"/>: <c>val_loss</c>, then each task's metrics.</summary>
    public static IReadOnlyList<string> All(IEnumerable<TaskConfig> tasks) =>
        [ValLoss, .. tasks.SelectMany(t => MetricsOf(t.Kind, t.Bands is not null).Select(m => $"{t.Name}.{m}"))];

    /// <summary>Whether a smaller value of <paramref name="monitor"/> is an improvement (<c>val_loss</c>, <c>*.loss</c>, <c>*.mae</c>, <c>*.rmse</c>, <c>*.hamming_loss</c>).</summary>
    public static bool LowerIsBetter(string monitor) =>
        monitor == ValLoss || LowerIsBetterMetrics.Contains(monitor[(monitor.IndexOf('.') + 1)..]);
}
