namespace ScratchNet.Tests.Apps;

/// <summary>The <c>scratchnet</c> commands refuse bad input with a message and exit code 2, before doing any work.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("scratchnet-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void GradcheckWithAnOpThatMatchesNothingIsAnErrorListingTheOps()
    {
        var (code, _, err) = Run("gradcheck", "--op", "typo");
        Assert.Equal(2, code);
        Assert.Contains("no op matches --op 'typo'", err);
        Assert.Contains("conv2d", err);
    }

    [Fact]
    public void AFolderThatIsNotARunGivenAsTheModelIsOneLine()
    {
        string folder = Directory.CreateTempSubdirectory("scratchnet-notamodel-").FullName;
        var (code, _, err) = Run("predict", "--model", folder, "x.png");
        Directory.Delete(folder);
        Assert.Equal(2, code);
        Assert.Contains($"{folder} is a folder without best.safetensors or last.safetensors", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void TrainOnACsvWithoutTheAqiColumnNamesTheFileAndTheColumnsFound()
    {
        string csv = Path.Combine(root, "aqi.csv");
        File.WriteAllText(csv, "Location,Filename,PM2.5\nA,x.jpg,12\n");
        Directory.CreateDirectory(Path.Combine(root, "images"));
        var (code, _, err) = Run("train", "--device", "cpu", "--csv", csv, "--images", Path.Combine(root, "images"), "--out", Path.Combine(root, "run"));
        Assert.Equal(2, code);
        Assert.Contains(csv, err);
        Assert.Contains("AQI", err);
        Assert.Contains("PM2.5", err); // the columns it did find
        Assert.False(File.Exists(Path.Combine(root, "run", "last.safetensors")));
    }

    [Fact]
    public void StrictTrainingRefusesABadRowBeforeTraining()
    {
        string images = Path.Combine(root, "images");
        Directory.CreateDirectory(images);
        string csv = Path.Combine(root, "aqi.csv");
        File.WriteAllText(csv, "Filename,AQI\nmissing.png,120\n");
        var (code, _, err) = Run("train", "--device", "cpu", "--strict", "--csv", csv, "--images", images, "--out", Path.Combine(root, "run"));
        Assert.Equal(2, code);
        Assert.Contains("missing.png", err);
        Assert.False(File.Exists(Path.Combine(root, "run", "config.json")));
    }

    [Fact]
    public void AValidationSplitWithoutSkyImagesFallsBackToTheLastEpoch()
    {
        string data = Path.Combine(root, "data");
        ScratchNet.Apps.Datasets.Sky.SkyDatasetGenerator.Generate(new() { OutDir = data, Count = 12, Size = 16, Seed = 1 });
        var manifest = ScratchNet.Apps.Datasets.Sky.SkyAqiManifest.Load(Path.Combine(data, "aqi.csv"), Path.Combine(data, "sky"), Path.Combine(data, "negatives"));
        // Find a split seed whose validation split holds only negatives (few sky groups make that common).
        int seed = Enumerable.Range(0, 200).First(s =>
            ScratchNet.Nn.Data.DatasetSplitter.Split(manifest.Samples, 0.7, 0.15, 0.15, s).Validation.All(x => x.Targets[0] == 0));
        var (code, output, err) = Run("train", "--device", "cpu", "--csv", Path.Combine(data, "aqi.csv"), "--images", Path.Combine(data, "sky"),
            "--negatives", Path.Combine(data, "negatives"), "--image-size", "16", "--epochs", "2", "--seed", seed.ToString(), "--out", Path.Combine(root, "run"));
        Assert.True(code == 0, $"exit {code}: {err}");
        Assert.True(output.Contains("testing the last epoch"), output);
        Assert.True(File.Exists(Path.Combine(root, "run", "metrics.json")));
    }

    // --preset seed goes through the config engine (examples/sky-seed.yml) and must still write seed 000's exact
    // PyTorch state dict: load_state_dict(strict=True) on the seed's MultiTaskCNN depends on these names and shapes.
    [Fact]
    public void PresetSeedWritesExactlyTheSeedsPyTorchKeysAndPredictsFromTheRunFolder()
    {
        string data = Path.Combine(root, "data");
        ScratchNet.Apps.Datasets.Sky.SkyDatasetGenerator.Generate(new() { OutDir = data, Count = 16, Size = 16, Seed = 3 });
        string run = Path.Combine(root, "seed-run");
        var (code, output, err) = Run("train", "--device", "cpu", "--preset", "seed", "--csv", Path.Combine(data, "aqi.csv"), "--images", Path.Combine(data, "sky"),
            "--negatives", Path.Combine(data, "negatives"), "--image-size", "16", "--epochs", "1", "--out", run);
        Assert.True(code == 0, $"exit {code}: {err}{output}");
        Assert.Contains("examples/sky-seed.yml", output);
        string checkpoint = File.Exists(Path.Combine(run, "best.safetensors")) ? Path.Combine(run, "best.safetensors") : Path.Combine(run, "last.safetensors");
        var tensors = ScratchNet.Nn.Checkpoints.SafeTensorsFile.Read(checkpoint).Tensors;
        var model = tensors.Keys.Where(k => !k.StartsWith("optimizer/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ScratchNet.Tests.Seed.MultiTaskCnn.PyTorchStateDictKeys.Order(StringComparer.Ordinal), model);
        Assert.Equal([8L, 32L], tensors["regressor.3.weight"].Shape.Select(d => (long)d));
        Assert.Equal([1L, 8L], tensors["regressor.5.weight"].Shape.Select(d => (long)d));

        // predict --model RUN_DIR picks the run's checkpoint; the AQI answer carries its EPA band.
        string sky = Directory.GetFiles(Path.Combine(data, "sky")).Order(StringComparer.Ordinal).First();
        (code, output, err) = Run("predict", "--device", "cpu", "--model", run, sky, "--json");
        Assert.True(code == 0, err);
        Assert.Contains("\"is_sky\"", output);
    }

    // --size 100000 overflowed inside the renderer and printed an AggregateException's stack trace.
    [Theory]
    [InlineData("sky", "--size", "100000", "--size 16 … 4096")]
    [InlineData("sky", "--count", "0", "--count must be 1 … 1000000")]
    [InlineData("flowers", "--size", "100000", "--size must be an integer 16 … 4096 (got '100000')")]
    public void DataGeneratorsRefuseAbsurdSizesInOneLine(string generator, string option, string value, string message)
    {
        string outDir = Path.Combine(root, "gen-" + generator);
        var (code, _, err) = Run("data", generator, "--out", outDir, option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.DoesNotContain("   at ", err);
        Assert.False(Directory.Exists(outDir) && Directory.EnumerateFileSystemEntries(outDir).Any());
    }

    [Fact]
    public void AMissingGpuIsAnErrorMessageNotACrash()
    {
        if (ScratchNet.Kernels.Ilgpu.IlgpuBackend.TryCreateGpu() is { } gpu) { gpu.Dispose(); return; }
        var (code, _, err) = Run("gradcheck", "--device", "cuda");
        Assert.Equal(2, code);
        Assert.Contains("CUDA", err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void PredictWithAMissingCheckpointSaysSo()
    {
        var (code, _, err) = Run("predict", "--device", "cpu", "--model", Path.Combine(root, "nope.safetensors"), Path.Combine(root, "a.png"));
        Assert.Equal(2, code);
        Assert.Contains("nope.safetensors", err);
    }
}
