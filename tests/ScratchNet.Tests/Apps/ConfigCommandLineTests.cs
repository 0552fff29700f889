using System.Text.Json;
using ScratchNet.Tests.Tasks;

namespace ScratchNet.Tests.Apps;

/// <summary>
/// The config commands end to end, through <c>Program.Main</c>: <c>train --config</c> → run directory →
/// <c>evaluate</c> and <c>predict --json</c> on its checkpoint, <c>--resume</c>, <c>compare</c>, and bad configs and
/// CSVs refused with exit code 2 before anything trains. Data: <see cref="SyntheticTaskData"/> (96 16×16 images).
/// </summary>
public sealed class ConfigCommandLineTests(SyntheticTaskData data) : IClassFixture<SyntheticTaskData>
{
    private const string Yaml = """
        name: synth
        data:
          csv: data.csv
          seed: 1
        input:
          size: 16
        model:
          width: 0.25
          head_hidden: 8
        tasks:
          - name: colour
            type: classification
            column: colour
            labels: [red, green, blue]
          - name: size
            type: regression
            column: size
            scale: 10
            weight: 0.5
          - name: corners
            type: multilabel
            column: corners
            labels: [tl, tr, bl, br]
            threshold: tuned
        train:
          lr: 0.01
          batch_size: 16
          epochs: 2
        """;

    private string WriteConfig(string text)
    {
        string path = Path.Combine(data.Root, $"cfg-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Out, string Err) Run(params string[] args) => Cli.Run(args);

    [Fact]
    public void TrainEvaluatePredictAndResumeAConfigRun()
    {
        string run = data.RunDir("cli");
        var (code, output, err) = Run("train", "--config", WriteConfig(Yaml), "--device", "cpu", "--out", run);
        Assert.True(code == 0, err + output);
        foreach (var f in new[] { "experiment.json", "config.yml", "log.csv", "best.safetensors", "last.safetensors", "metrics.json", "curves.png", "colour_confusion.png", "size_scatter.png" })
            Assert.True(File.Exists(Path.Combine(run, f)), $"{f} missing from the run directory");
        Assert.Contains("colour (classification", output);
        Assert.Contains("corners (multilabel", output);
        // split.csv: every image once, with its split and CSV line.
        var split = File.ReadAllLines(Path.Combine(run, "split.csv"));
        Assert.Equal("image,split,line", split[0]);
        Assert.Equal(SyntheticTaskData.Rows, split.Length - 1);
        Assert.Equal(["test", "train", "validation"], split.Skip(1).Select(l => l.Split(',')[1]).Distinct().Order());
        Assert.Equal(SyntheticTaskData.Rows, split.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count());
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json"))))
        {
            var tasks = metrics.RootElement.GetProperty("test").GetProperty("tasks");
            Assert.Equal(3, tasks.GetArrayLength());
            Assert.Equal(4, metrics.RootElement.GetProperty("thresholds").GetProperty("corners").GetArrayLength());
        }

        // evaluate on the experiment's own test split, with plots
        string evalDir = Path.Combine(run, "eval");
        (code, output, err) = Run("evaluate", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--out", evalDir);
        Assert.True(code == 0, err);
        Assert.Contains("test:", output);
        Assert.True(File.Exists(Path.Combine(evalDir, "metrics.json")));

        // evaluate every row of a CSV with the experiment's columns (here the whole data set: 96 images)
        (code, output, err) = Run("evaluate", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--csv", data.Csv);
        Assert.True(code == 0, err);
        Assert.Contains($"test: {SyntheticTaskData.Rows} images", output);

        // predict: one answer per task per image; an unreadable image is reported, not fatal to the others
        (code, output, err) = Run("predict", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--json",
            Path.Combine(data.Root, "img", "0.png"), Path.Combine(data.Root, "missing.png"));
        Assert.Equal(1, code);
        using (var json = JsonDocument.Parse(output))
        {
            var first = json.RootElement[0].GetProperty("tasks");
            Assert.Contains(first.GetProperty("colour").GetProperty("label").GetString(), SyntheticTaskData.Colours);
            Assert.True(first.GetProperty("size").GetProperty("value").GetDouble() is var v && double.IsFinite(v));
            Assert.Equal(JsonValueKind.Array, first.GetProperty("corners").GetProperty("tags").ValueKind);
            Assert.False(string.IsNullOrEmpty(json.RootElement[1].GetProperty("error").GetString()));
        }

        // the text form: a multi-label task lists every label's probability, highest first
        string apostrophe = Path.Combine(data.Root, "it's.png");
        File.Copy(Path.Combine(data.Root, "img", "0.png"), apostrophe, overwrite: true);
        (code, output, err) = Run("predict", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", apostrophe);
        Assert.True(code == 0, err);
        Assert.Matches(@"corners = \{[^}]*\} \((tl|tr|bl|br) \d\.\d{3}(, (tl|tr|bl|br) \d\.\d{3}){3}\)", output);
        // plain UTF-8 JSON: the apostrophe is not escaped as \u0027
        (code, output, err) = Run("predict", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--json", apostrophe);
        Assert.True(code == 0, err);
        Assert.Contains("it's.png", output);

        // resuming a finished run says so before scoring it again
        (code, output, err) = Run("train", "--resume", run, "--device", "cpu");
        Assert.True(code == 0, err + output);
        Assert.Contains("the run had already finished (all 2 epochs): nothing to train", output);

        // resume the finished run for one more epoch
        (code, output, err) = Run("train", "--resume", run, "--epochs", "3", "--device", "cpu");
        Assert.True(code == 0, err + output);
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(run, "log.csv")).Length);
    }

    [Fact]
    public void PredictWithholdsATaskWhoseConditionThePredictedLabelFails()
    {
        // size only means something for red squares here: predict must give it exactly where colour is predicted red.
        string yaml = Yaml.Replace("    weight: 0.5\n", "    weight: 0.5\n    when:\n      label: { task: colour, in: [red] }\n");
        Assert.Contains("in: [red]", yaml);
        string run = data.RunDir("when");
        var (code, output, err) = Run("train", "--config", WriteConfig(yaml), "--device", "cpu", "--out", run, "--epochs", "6");
        Assert.True(code == 0, err + output);
        var images = Enumerable.Range(0, 24).Select(i => Path.Combine(data.Root, "img", $"{i}.png")).ToArray();
        (code, output, err) = Run(["predict", "--model", Path.Combine(run, "best.safetensors"), "--device", "cpu", "--json", .. images]);
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        int reds = 0;
        foreach (var image in json.RootElement.EnumerateArray())
        {
            var tasks = image.GetProperty("tasks");
            bool red = tasks.GetProperty("colour").GetProperty("label").GetString() == "red";
            var size = tasks.GetProperty("size");
            Assert.Equal(red, size.TryGetProperty("value", out _));
            Assert.Equal(!red, size.TryGetProperty("not_applicable", out var why) && why.GetString()!.StartsWith("colour = ", StringComparison.Ordinal));
            reds += red ? 1 : 0;
        }
        Assert.InRange(reds, 1, images.Length - 1); // both branches were exercised
    }

    [Fact]
    public void ACancelledComparisonThrowsInsteadOfWritingATable()
    {
        var config = ScratchNet.Nn.Experiments.Config.ConfigLoader.Parse(Yaml, "cancel.yml", data.Root);
        string root = data.RunDir("cancelled");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Throws<OperationCanceledException>(() => ScratchNet.Nn.Experiments.ExperimentComparison.Run(config,
            ScratchNet.Tensors.Device.Get("cpu"), root, _ => new ScratchNet.Nn.Experiments.PlainProgress(TextWriter.Null), cancel.Token));
        Assert.False(File.Exists(Path.Combine(root, "compare.md")));
        Assert.True(File.Exists(Path.Combine(root, "single-colour", "last.safetensors")), "the interrupted model keeps its last checkpoint");
    }

    [Fact]
    public void ATypoInTheConfigIsAnErrorNamingTheLine()
    {
        string run = data.RunDir("typo");
        var (code, _, err) = Run("train", "--config", WriteConfig(Yaml.Replace("    labels: [red, green, blue]", "    lables: [red, green, blue]")), "--device", "cpu", "--out", run);
        Assert.Equal(2, code);
        Assert.Matches(@"\.yml:14: tasks\[0\]", err);
        Assert.Contains("did you mean 'labels'", err);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void ALabelOutsideTheListStopsBeforeTraining()
    {
        string run = data.RunDir("badlabel");
        var (code, _, err) = Run("train", "--config", WriteConfig(Yaml.Replace("labels: [red, green, blue]", "labels: [red, green]")), "--device", "cpu", "--out", run);
        Assert.Equal(2, code);
        Assert.Contains("data.csv:", err);
        Assert.Contains("'blue', which is not one of its labels [red, green]", err);
        Assert.False(File.Exists(Path.Combine(run, "log.csv")));
    }

    [Fact]
    public void PredictTakesFoldersAndCsvsAndWritesACsv()
    {
        string run = data.RunDir("predict-many");
        var (code, output, err) = Run("train", "--config", WriteConfig(Yaml), "--device", "cpu", "--out", run, "--epochs", "1");
        Assert.True(code == 0, err + output);

        // A folder: every image under it, sorted; a CSV: its image column, relative to the CSV's folder.
        string csvOut = Path.Combine(run, "predictions.csv");
        (code, output, err) = Run("predict", "--model", run, "--device", "cpu", Path.Combine(data.Root, "img"), data.Csv, "--csv", csvOut);
        Assert.True(code == 0, err + output);
        Assert.Contains($"wrote {2 * SyntheticTaskData.Rows} prediction(s) to {csvOut}", output);
        var rows = File.ReadAllLines(csvOut);
        Assert.Equal("image,error,colour,colour_p,colour_p_red,colour_p_green,colour_p_blue,colour_note,size,size_note,corners,corners_p_tl,corners_p_tr,corners_p_bl,corners_p_br,corners_note", rows[0]);
        Assert.Equal(1 + 2 * SyntheticTaskData.Rows, rows.Length);
        Assert.EndsWith(Path.Combine("img", "0.png"), rows[1].Split(',')[0]);   // the folder, sorted by name: 0, 1, 10, …
        Assert.EndsWith(Path.Combine("img", "10.png"), rows[3].Split(',')[0]);
        Assert.EndsWith(Path.Combine("img", "0.png"), rows[1 + SyntheticTaskData.Rows].Split(',')[0]); // then the CSV, in its order
        Assert.EndsWith(Path.Combine("img", "1.png"), rows[2 + SyntheticTaskData.Rows].Split(',')[0]);
        var cells = rows[1].Split(',');
        Assert.Equal("", cells[1]);
        Assert.Contains(cells[2], SyntheticTaskData.Colours);
        double pRed = double.Parse(cells[4], System.Globalization.CultureInfo.InvariantCulture), pGreen = double.Parse(cells[5], System.Globalization.CultureInfo.InvariantCulture),
            pBlue = double.Parse(cells[6], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1.0, pRed + pGreen + pBlue, 5);

        // A bad image is a row with its error (exit 1); a folder without images and a CSV without an image column are errors.
        string bad = Path.Combine(data.Root, $"bad-{Guid.NewGuid():N}.png");
        File.WriteAllText(bad, "text");
        (code, _, _) = Run("predict", "--model", run, "--device", "cpu", bad, "--csv", csvOut);
        Assert.Equal(1, code);
        Assert.Contains("holds text", File.ReadAllLines(csvOut)[1]);
        string empty = Path.Combine(data.Root, $"empty-{Guid.NewGuid():N}");
        Directory.CreateDirectory(empty);
        (code, _, err) = Run("predict", "--model", run, "--device", "cpu", empty);
        Assert.Equal(2, code);
        Assert.Contains("is a folder without image files", err);
        string noColumn = Path.Combine(data.Root, $"nocol-{Guid.NewGuid():N}.csv");
        File.WriteAllText(noColumn, "picture,x\na.png,1\n");
        (code, _, err) = Run("predict", "--model", run, "--device", "cpu", noColumn);
        Assert.Equal(2, code);
        Assert.Contains("has no image column", err);
        Assert.Contains("its columns are picture, x", err);
    }

    // A copy of the data with one test-split image (row 90, CSV line 92) that is not an image.
    private string DataWithABadTestImage()
    {
        string root = Path.Combine(data.Root, $"bad-image-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path.Combine(root, "img"));
        foreach (var f in Directory.GetFiles(Path.Combine(data.Root, "img"))) File.Copy(f, Path.Combine(root, "img", Path.GetFileName(f)));
        File.Copy(data.Csv, Path.Combine(root, "data.csv"));
        File.WriteAllText(Path.Combine(root, "img", "90.png"), "not a png\n");
        string yaml = Yaml.Replace("  seed: 1", "  seed: 1\n  split_column: split");
        File.WriteAllText(Path.Combine(root, "cfg.yml"), yaml);
        return Path.Combine(root, "cfg.yml");
    }

    [Fact]
    public void AnUnreadableTestImageIsFoundBeforeTrainingAndListed()
    {
        string config = DataWithABadTestImage(), run = data.RunDir("bad-image");
        var (code, output, err) = Run("train", "--config", config, "--device", "cpu", "--out", run, "--epochs", "1");
        Assert.True(code == 0, err + output);
        Assert.Contains("1 image(s) cannot be read and are left out (train 0, validation 0, test 1)", output);
        Assert.True(output.IndexOf("cannot be read", StringComparison.Ordinal) < output.IndexOf("epoch 1/1", StringComparison.Ordinal), "reported after training started");
        var skipped = File.ReadAllLines(Path.Combine(run, "skipped.csv"));
        Assert.Equal(2, skipped.Length);
        Assert.Contains("data.csv,92,", skipped[1]);
        Assert.Contains("90.png", skipped[1]);
        Assert.DoesNotContain("90.png", File.ReadAllText(Path.Combine(run, "split.csv")));

        // --strict (with --config too): the same image is fatal, before anything trains.
        string strictRun = data.RunDir("bad-image-strict");
        (code, _, err) = Run("train", "--config", config, "--device", "cpu", "--out", strictRun, "--strict");
        Assert.Equal(2, code);
        Assert.Contains("data.csv:92: cannot decode image", err);
        Assert.Contains("90.png", err);
        Assert.False(File.Exists(Path.Combine(strictRun, "last.safetensors")));

        // evaluate reports it too, and lists it beside the metrics.
        string outDir = data.RunDir("bad-image-eval");
        (code, output, err) = Run("evaluate", "--model", run, "--device", "cpu", "--out", outDir);
        Assert.True(code == 0, err + output);
        Assert.Contains("1 image(s) cannot be read and are left out (train 0, validation 0, test 1)", output);
        Assert.True(File.Exists(Path.Combine(outDir, "skipped.csv")));
        (code, _, err) = Run("evaluate", "--model", run, "--device", "cpu", "--strict");
        Assert.Equal(2, code);
        Assert.Contains("90.png", err);
    }

    [Fact]
    public void CompareWritesTheSideBySideTable()
    {
        string root = data.RunDir("compare");
        var (code, output, err) = Run("compare", "--config", WriteConfig(Yaml), "--device", "cpu", "--out", root, "--epochs", "1");
        Assert.True(code == 0, err + output);
        string table = File.ReadAllText(Path.Combine(root, "compare.md"));
        Assert.Contains("| colour | accuracy |", table);
        Assert.Contains("| size | mae |", table);
        Assert.Contains("| corners | macro_f1 |", table);
        Assert.Contains("| models | 3 | 1 |", table);
        foreach (var run in new[] { "single-colour", "single-size", "single-corners", "multi" })
            Assert.True(File.Exists(Path.Combine(root, run, "metrics.json")), run);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "compare.json")));
        Assert.True(json.RootElement.GetProperty("multi_images_per_second").GetDouble() > 0);
    }
}
