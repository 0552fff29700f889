using System.CommandLine;
using ScratchNet.Apps.Commands;
using ScratchNet.Apps.Datasets.Flowers;

namespace ScratchNet.Tests.Apps;

/// <summary><c>data flowers</c>: bad options are exit-2 messages before any work, I/O errors exit 1, success writes a complete dataset.</summary>
public sealed class DataFlowersCommandTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("scratchnet-flowers-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Runs <c>flowers …</c> under a root command, as <c>scratchnet data</c> will host it.</summary>
    private static (int Code, string Out, string Err) Run(params string[] args) =>
        Cli.Capture(() => new RootCommand { DataFlowersCommand.Create() }.Parse(["flowers", .. args]).Invoke());

    [Theory]
    [InlineData("--size", "8", "--size")]
    [InlineData("--count", "0", "--count")]
    [InlineData("--count", "abc", "--count")]
    [InlineData("--seed", "1.5", "--seed")]
    [InlineData("--format", "gif", "--format")]
    [InlineData("--colours", "red,blue", "blue")]
    [InlineData("--colours", "red,red", "twice")]
    public void BadOptionsAreExitTwoWithAMessageAndWriteNothing(string option, string value, string mentioned)
    {
        string dir = Path.Combine(_root, "out");
        var (code, _, err) = Run("--out", dir, option, value);
        Assert.Equal(2, code);
        Assert.Contains(mentioned, err);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void AMissingOutFolderIsExitTwo()
    {
        var (code, _, err) = Run("--count", "4");
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
    }

    [Fact]
    public void AnUnwritableOutFolderIsExitOne()
    {
        string file = Path.Combine(_root, "a-file");
        File.WriteAllText(file, "not a folder");
        var (code, _, err) = Run("--out", file, "--count", "2", "--size", "16");
        Assert.Equal(1, code);
        Assert.Contains("cannot write", err);
    }

    [Fact]
    public void GeneratesACompleteDatasetAndSummarises()
    {
        string dir = Path.Combine(_root, "ok");
        var (code, output, err) = Run("--out", dir, "--count", "16", "--size", "16", "--seed", "3", "--format", "jpeg", "--colours", "red,pink,white,yellow");
        Assert.True(code == 0, err);
        Assert.True(FlowersDatasetGenerator.IsComplete(dir));
        Assert.Equal(16, Directory.GetFiles(Path.Combine(dir, "images"), "*.jpg").Length);
        Assert.Contains("16/16 images", output);
        Assert.Contains("rose/yellow 2", output);
        Assert.Contains("images/s", output);
    }
}
