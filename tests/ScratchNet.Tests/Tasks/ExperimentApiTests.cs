using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Tests.Nn;

namespace ScratchNet.Tests.Tasks;

/// <summary>
/// The engine as a library: <see cref="Experiment"/> loads a YAML file, trains, tests and writes the run from C# (the
/// README's example), resumes, stops on a cancelled token, and reports a user's mistakes as exceptions in words.
/// </summary>
public sealed class ExperimentApiTests(SyntheticTaskData data) : IClassFixture<SyntheticTaskData>
{
    private const string Yaml = """
        name: api
        data: { csv: data.csv, split: [0.6, 0.25, 0.15], seed: 4 }
        input: { size: 16 }
        model: { width: 0.25, head_hidden: 8 }
        tasks:
          - { name: colour, type: classification, column: colour, labels: [red, green, blue] }
          - { name: size, type: regression, column: size, scale: 10 }
        train: { lr: 0.01, batch_size: 16, epochs: 2, monitor: colour.accuracy }
        """;

    private string WriteConfig()
    {
        string path = Path.Combine(data.Root, $"api-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, Yaml);
        return path;
    }

    [Fact]
    public void LoadTrainAndReadTheMetricsFromCode()
    {
        string dir = data.RunDir("api");
        var log = new StringWriter();
        var result = Experiment.Load(WriteConfig()).Train(new TrainOptions { OutDir = dir, Log = log });

        Assert.False(result.Interrupted);
        Assert.Equal(Path.GetFullPath(dir), Path.GetFullPath(result.RunDirectory));
        Assert.Equal(Path.Combine(result.RunDirectory, "best.safetensors"), result.Checkpoint);
        Assert.InRange(result.Epoch, 1, 2);
        var test = result.Metrics!.Test;
        Assert.Equal(["colour", "size"], test.Tasks.Select(t => t.Task));
        Assert.InRange(test.Tasks[0].Accuracy!.Value, 0, 1);
        Assert.True(test.SampleCount > 0);
        foreach (var f in new[] { "experiment.json", "config.yml", "split.csv", "log.csv", "last.safetensors", "metrics.json" })
            Assert.True(File.Exists(Path.Combine(dir, f)), f);
        Assert.Contains("epoch 2/2", log.ToString());
        Assert.Contains("test:", log.ToString());

        // The checkpoint it names predicts.
        using var predictor = new TaskPredictor(result.Checkpoint!, ScratchNet.Tensors.Device.Cpu);
        Assert.Null(predictor.Predict(Path.Combine(data.Root, "img", "0.png")).Error);

        // Resume with more epochs continues the same run.
        var more = Experiment.Resume(dir, epochs: 3).Train(new TrainOptions { Log = TextWriter.Null });
        Assert.False(more.Interrupted);
        Assert.Equal(4, File.ReadAllLines(Path.Combine(dir, "log.csv")).Length); // header + 3 epochs
    }

    [Fact]
    public void ACancelledTokenStopsAndSavesLast()
    {
        string dir = data.RunDir("api-stop");
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var result = Experiment.Load(WriteConfig()).Train(new TrainOptions { OutDir = dir, Log = TextWriter.Null, Stop = stop.Token });
        Assert.True(result.Interrupted);
        Assert.Null(result.Metrics);
        Assert.True(File.Exists(Path.Combine(dir, "last.safetensors")));
        Assert.False(File.Exists(Path.Combine(dir, "metrics.json")));
        // and it resumes to the end
        Assert.False(Experiment.Resume(dir).Train(new TrainOptions { Log = TextWriter.Null }).Interrupted);
        Assert.True(File.Exists(Path.Combine(dir, "metrics.json")));
    }

    [Fact]
    public void MistakesAreExceptionsInWords()
    {
        string config = WriteConfig();
        string dir = data.RunDir("api-twice");
        Experiment.Load(config).Train(new TrainOptions { OutDir = dir, Log = TextWriter.Null });
        var again = Assert.Throws<RunDirectoryException>(() => Experiment.Load(config).Train(new TrainOptions { OutDir = dir, Log = TextWriter.Null }));
        Assert.Contains("already holds a run", again.Message);

        var notRun = Assert.Throws<RunDirectoryException>(() => Experiment.Resume(data.Root));
        Assert.Contains("is not a resumable run", notRun.Message);

        string bad = Path.Combine(data.Root, $"bad-{Guid.NewGuid():N}.yml");
        File.WriteAllText(bad, Yaml.Replace("epochs: 2", "epochs: two"));
        var e = Assert.Throws<ConfigException>(() => Experiment.Load(bad));
        Assert.Contains("train.epochs: expected an integer >= 1, got 'two'", e.Message);
    }
}
