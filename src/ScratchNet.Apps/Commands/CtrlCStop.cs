using System.Runtime.InteropServices;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as "stop after the current batch or validation" while a training loop runs: the
/// first signal is swallowed and cancels <see cref="Token"/> (the loop finishes its batch, or the validation under
/// way, saves <c>last</c> and prints the resume command); a second one ends the process as usual.
/// <see cref="Dispose"/> unhooks the handlers, so a signal after training (during the test) behaves normally.
/// </summary>
internal sealed class CtrlCStop : IDisposable
{
    // No timer or linked token: the source holds nothing that needs disposing, and Token stays readable after Dispose.
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration[] registrations;

    /// <summary>Hooks SIGINT and SIGTERM.</summary>
    public CtrlCStop() => registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)];

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        if (source.IsCancellationRequested) return; // the second one ends the process as usual
        context.Cancel = true;
        source.Cancel();
        string what = context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "Ctrl-C";
        Console.Error.WriteLine($"{what}: stopping after the current batch or validation, then saving (Ctrl-C again to abort)...");
    }

    /// <summary>Unhooks the handlers.</summary>
    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
    }
}
