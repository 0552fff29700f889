using System.CommandLine;
using ScratchNet.Apps.Commands;

namespace ScratchNet.Apps;

/// <summary>The <c>scratchnet</c> command line.</summary>
public static class Program
{
    /// <summary>Entry point: parses the arguments and runs the chosen command.</summary>
    public static int Main(string[] args)
    {
        // --simd (any command) is applied before parsing: a lower tier may re-run the whole command in a child process.
        if (SimdOption.Apply(ref args, out var restoreSimd) is int code) return code;
        try
        {
            // Exceptions reach the handler below instead of System.CommandLine's, which prints a stack trace.
            return Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserErrors.IsUserError(e))
        {
            return UserErrors.Report(e);
        }
        finally
        {
            restoreSimd();
        }
    }

    private static ParseResult Parse(string[] args)
    {
        var root = new RootCommand("ScratchNet: a deep-learning engine written from scratch in C# (hand-written CPU SIMD and ILGPU kernels, reverse-mode autograd).");
        root.Subcommands.Add(GradCheckCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvaluateCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(CompareCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        // Listed for --help; SimdOption takes it out of the arguments before they are parsed.
        root.Options.Add(new Option<string>(SimdOption.Flag) { Description = "SIMD tier of the CPU kernels: avx512, avx2, 128 or scalar (at most this machine's; default: its widest, or SCRATCHNET_SIMD)", Recursive = true });
        return root.Parse(args);
    }
}
