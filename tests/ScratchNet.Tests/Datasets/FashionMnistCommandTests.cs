using System.CommandLine;
using ScratchNet.Apps.Commands;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.Datasets;

/// <summary>
/// The <c>fashion-mnist</c> and <c>mosaic</c> subcommands, run under a root command of their own (they are not yet
/// wired under <c>scratchnet data</c>): missing files are an exit-2 message that says how to install them.
/// </summary>
public sealed class FashionMnistCommandTests : IDisposable
{
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand { DataFashionCommand.Create(), DataMosaicCommand.Create() };
        var (output, errors) = (new StringWriter(), new StringWriter());
        var (previousOut, previousErr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            return (root.Parse(args).Invoke(), output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousErr);
        }
    }

    [Theory]
    [InlineData("fashion-mnist")]
    [InlineData("mosaic")]
    public void MissingFilesExitWithCode2AndSayHowToInstallThem(string command)
    {
        string empty = tmp.Sub("empty"), outDir = tmp.File("out");
        var (code, _, err) = Run(command, "--out", outDir, "--from", empty);
        Assert.Equal(2, code);
        Assert.Contains(empty, err);
        Assert.Contains("train-images-idx3-ubyte.gz", err);
        Assert.Contains("t10k-labels-idx1-ubyte.gz", err);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", err);
        Assert.Contains("/usr/share/datasets/fashion-mnist", err);
        Assert.Contains("https://github.com/zalandoresearch/fashion-mnist", err);
        Assert.Contains("--from DIR", err);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void ExportsTheFakeSetWithALimit()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        var (code, output, err) = Run("fashion-mnist", "--out", outDir, "--from", from, "--limit", "6");
        Assert.True(code == 0, err);
        Assert.Contains("6 train + 1 test images", output);
        Assert.Equal(8, File.ReadAllLines(Path.Combine(outDir, "fashion.csv")).Length);
        Assert.True(File.Exists(Path.Combine(outDir, "dataset.json")));
    }

    [Fact]
    public void BuildsMosaicsFromTheFakeSet()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx")), outDir = tmp.File("out");
        var (code, output, err) = Run("mosaic", "--out", outDir, "--from", from, "--count", "20", "--test-count", "5", "--seed", "9");
        Assert.True(code == 0, err);
        Assert.Contains("20 train + 5 test mosaics", output);
        Assert.Equal(26, File.ReadAllLines(Path.Combine(outDir, "mosaic.csv")).Length);
    }

    [Fact]
    public void AMalformedFileIsAnExit2MessageNamingIt()
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx"));
        string labels = Path.Combine(from, "train-labels-idx1-ubyte");
        File.WriteAllBytes(labels, File.ReadAllBytes(labels)[..^3]);
        var (code, _, err) = Run("fashion-mnist", "--out", tmp.File("out"), "--from", from);
        Assert.Equal(2, code);
        Assert.Contains(labels, err);
        Assert.Contains("truncated data", err);
    }

    [Theory]
    [InlineData("fashion-mnist", "--limit", "0")]
    [InlineData("mosaic", "--count", "-1")]
    [InlineData("mosaic", "--test-count", "-5")]
    public void BadCountsAreRefused(string command, string option, string value)
    {
        string from = FakeFashionMnist.Write(tmp.Sub("idx"));
        var (code, _, err) = Run(command, "--out", tmp.File("out"), "--from", from, option, value);
        Assert.Equal(2, code);
        Assert.Contains("error:", err);
    }
}
