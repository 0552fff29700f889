using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tests.Data;

namespace ScratchNet.Tests.ExperimentConfigs;

/// <summary>The checks that touch the disk: the config file itself, data.csv and data.images.</summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    private string Write(string yaml)
    {
        var path = dir.File("exp.yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void MissingConfigFileIsLineZero()
    {
        var path = dir.File("none.yml");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Equal((path, 0), (e.File, e.Line));
        Assert.Equal($"{path}: config file {path} does not exist", e.Message);
    }

    [Fact]
    public void MissingCsvPointsAtTheCsvLine()
    {
        var path = Write("""
            name: x
            data:
              csv: sub/x.csv
            tasks: [{ name: a, type: regression, column: y }]
            """);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Equal(3, e.Line);
        Assert.Equal($"{path}:3: data.csv: file {dir.File("sub/x.csv")} does not exist", e.Message);
    }

    [Fact]
    public void CsvMustBeAFileAndImagesAFolder()
    {
        dir.Sub("folder.csv");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Write("data: { csv: folder.csv }\ntasks: [{ name: a, type: regression, column: y }]\n")));
        Assert.Equal(1, e.Line);
        Assert.Contains($"data.csv: {dir.File("folder.csv")} is a folder, not a CSV file", e.Message);

        File.WriteAllText(dir.File("d.csv"), "image,y\n");
        e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Write("""
            data:
              csv: d.csv
              images: pics
            tasks: [{ name: a, type: regression, column: y }]
            """)));
        Assert.Equal(3, e.Line);
        Assert.EndsWith($"data.images: folder {dir.File("pics")} does not exist", e.Message);

        // An absolute images folder is taken as it is.
        var c = ConfigLoader.Load(Write($"data: {{ csv: d.csv, images: '{dir.Sub("pics")}' }}\ntasks: [{{ name: a, type: regression, column: y }}]\n"));
        Assert.Equal(dir.File("pics"), c.Data.Images);
    }
}
