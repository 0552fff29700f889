using System.CommandLine;
using ScratchNet.Apps.Datasets.FashionMnist;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Commands;

/// <summary>What the Fashion-MNIST based <c>data</c> subcommands share: the <c>--from</c> option, progress lines, error handling.</summary>
internal static class FashionMnistCli
{
    /// <summary>The <c>--from</c> option, defaulting to where Debian's package installs the files.</summary>
    public static Option<string> FromOption() => new("--from")
    {
        Description = $"Folder with the four Fashion-MNIST IDX files, gzipped or not (default: {FashionMnistFiles.DefaultFolder}, from `sudo apt-get install dataset-fashion-mnist`)",
        DefaultValueFactory = _ => FashionMnistFiles.DefaultFolder,
    };

    /// <summary>A progress sink printing "N unit" each time another <paramref name="every"/> items are done.</summary>
    public static IProgress<int> Progress(string unit, int every = 10000) => new LineProgress(unit, every);

    /// <summary>
    /// Runs <paramref name="job"/> and prints <paramref name="summary"/> of its result. Exit codes: 0 done; 2 when the
    /// input is missing (with the install instructions) or malformed; 1 when the output cannot be written.
    /// </summary>
    public static int Run<T>(string outDir, Func<T> job, Func<T, string> summary)
    {
        try
        {
            Console.WriteLine(summary(job()));
            return 0;
        }
        catch (FashionMnistMissingException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (IdxFormatException e)
        {
            Console.Error.WriteLine($"error: malformed Fashion-MNIST file {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: cannot read the input or write {outDir}: {e.Message}");
            return 1;
        }
    }

    /// <summary>
    /// Prints synchronously from the reporting worker (System.Progress would post lines to the thread pool, where
    /// they can arrive out of order or after the summary).
    /// </summary>
    private sealed class LineProgress(string unit, int every) : IProgress<int>
    {
        private readonly Lock gate = new();
        private int printed;

        public void Report(int done)
        {
            lock (gate)
            {
                if (done / every <= printed / every) return;
                printed = done;
                Console.WriteLine($"  {done} {unit}");
            }
        }
    }
}
