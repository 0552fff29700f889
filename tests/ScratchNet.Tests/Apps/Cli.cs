namespace ScratchNet.Tests.Apps;

/// <summary>Runs a command line in-process with the console captured (tests run one at a time, so swapping Console is safe).</summary>
internal static class Cli
{
    /// <summary><c>scratchnet ARGS…</c> through <c>Program.Main</c>: exit code, stdout, stderr.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args) => Capture(() => ScratchNet.Apps.Program.Main(args));

    /// <summary>Runs <paramref name="main"/> with stdout and stderr captured.</summary>
    public static (int Code, string Out, string Err) Capture(Func<int> main)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var (previousOut, previousErr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            return (main(), output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousErr);
        }
    }
}
