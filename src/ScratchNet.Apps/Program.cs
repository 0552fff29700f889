using System.CommandLine;
using ScratchNet.Apps.Commands;

namespace ScratchNet.Apps;

/// <summary>The <c>scratchnet</c> command line.</summary>
public static class Program
{
    /// <summary>Entry point: parses the arguments and runs the chosen command.</summary>
    public static int Main(string[] args)
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
        return root.Parse(args).Invoke();
    }
}
