namespace ScratchNet.Tensors.Autograd;

/// <summary>
/// Whether ops record the graph. <c>using (GradMode.NoGrad()) { … }</c> turns recording off for evaluation,
/// as PyTorch's <c>torch.no_grad()</c>: no Functions are created and nothing is saved.
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int disabledDepth;

    /// <summary>True unless inside a <see cref="NoGrad"/> scope on this thread.</summary>
    public static bool IsEnabled => disabledDepth == 0;

    /// <summary>Disables recording until the returned scope is disposed.</summary>
    public static IDisposable NoGrad()
    {
        disabledDepth++;
        return new Restore();
    }

    private sealed class Restore : IDisposable
    {
        private bool done;
        public void Dispose()
        {
            if (done) return;
            done = true;
            disabledDepth--;
        }
    }
}
