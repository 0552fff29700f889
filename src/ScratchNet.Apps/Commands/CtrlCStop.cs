namespace ScratchNet.Apps.Commands;

/// <summary>
/// Ctrl-C as "stop after the current batch" while a training loop runs: the first press is swallowed and cancels
/// <see cref="Token"/> (the loop finishes its batch and saves <c>last</c>); a second press kills the process as
/// usual. <see cref="Dispose"/> unhooks the handler, so Ctrl-C after training (during the test) behaves normally.
/// </summary>
internal sealed class CtrlCStop : IDisposable
{
    // No timer or linked token: the source holds nothing that needs disposing, and Token stays readable after Dispose.
    private readonly CancellationTokenSource source = new();

    /// <summary>Hooks Ctrl-C.</summary>
    public CtrlCStop() => Console.CancelKeyPress += OnCancel;

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => source.Token;

    private void OnCancel(object? sender, ConsoleCancelEventArgs e)
    {
        if (source.IsCancellationRequested) return; // a second Ctrl-C kills as usual
        e.Cancel = true;
        source.Cancel();
        Console.Error.WriteLine("stopping after the current batch (Ctrl-C again to abort)...");
    }

    /// <summary>Unhooks Ctrl-C.</summary>
    public void Dispose() => Console.CancelKeyPress -= OnCancel;
}
