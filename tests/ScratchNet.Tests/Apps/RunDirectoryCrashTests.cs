using System.Diagnostics;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Tests.Nn;
using ScratchNet.Tests.Tasks;

namespace ScratchNet.Tests.Apps;

/// <summary>
/// The run directory under the failures a day-long run meets: a real <c>scratchnet train</c> process killed
/// (SIGKILL) at every file step of the whole run — temp file created, written and flushed, renamed, for every
/// checkpoint, log, metrics file and plot — then resumed; an injected disk-full error; SIGTERM; a second process on
/// the same folder; <c>--out</c> onto an existing run.
/// </summary>
public sealed class RunDirectoryCrashTests(SyntheticTaskData data) : IClassFixture<SyntheticTaskData>
{
    // 3 epochs of 4 batches, with dropout, augmentation and tuned thresholds, so that every piece of resumable state
    // (weights, Adam moments, RNG-driven masks, the best checkpoint's rewrite after the test) is exercised.
    private const string Yaml = """
        name: crash
        data:
          csv: data.csv
          split: [0.6, 0.25, 0.15]
          seed: 4
        input:
          size: 16
        model:
          width: 0.25
          head_hidden: 8
          dropout: 0.3
        tasks:
          - name: colour
            type: classification
            column: colour
            labels: [red, green, blue]
          - name: size
            type: regression
            column: size
            scale: 10
          - name: corners
            type: multilabel
            column: corners
            labels: [tl, tr, bl, br]
            threshold: tuned
        train:
          lr: 0.01
          batch_size: 16
          epochs: 3
          augmentation:
            flip: 0.5
            shift: 0.1
        """;

    private string WriteConfig()
    {
        string path = Path.Combine(data.Root, $"crash-{Guid.NewGuid():N}.yml");
        File.WriteAllText(path, Yaml);
        return path;
    }

    private static string[] Train(string config, string dir, params string[] more) => ["train", "--config", config, "--device", "cpu", "--out", dir, .. more];

    private static Dictionary<string, string> Env(string name, int step) => new() { [name] = step.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>epoch and training-loss columns of log.csv (the seconds and images/s columns differ between runs).</summary>
    private static string[] LogLosses(string dir) =>
        File.ReadAllLines(Path.Combine(dir, "log.csv")).Select(l => string.Join(',', l.Split(',').Take(5))).ToArray();

    private (string Config, string Reference) Reference()
    {
        string config = WriteConfig(), reference = data.RunDir("reference");
        var (code, _, err) = Cli.Run(Train(config, reference));
        Assert.True(code == 0, err);
        return (config, reference);
    }

    private static void AssertSameRun(string reference, string dir)
    {
        Assert.Equal(CheckpointTensors.Of(Path.Combine(reference, "last.safetensors")), CheckpointTensors.Of(Path.Combine(dir, "last.safetensors")));
        Assert.Equal(CheckpointTensors.Of(Path.Combine(reference, "best.safetensors")), CheckpointTensors.Of(Path.Combine(dir, "best.safetensors")));
        Assert.Equal(LogLosses(reference), LogLosses(dir));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "metrics.json")), File.ReadAllText(Path.Combine(dir, "metrics.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(dir), f => AtomicFile.IsTemporaryFile(Path.GetFileName(f)));
    }

    [Fact]
    public void AKillAtEveryFileStepOfARunLeavesEitherARunThatResumesToTheSameResultOrAClearRefusal()
    {
        var (config, reference) = Reference();
        int resumed = 0, refused = 0;
        for (int step = 1; ; step++)
        {
            Assert.True(step < 500, "the run never finished: the kill setting is not counting file steps");
            string dir = data.RunDir($"kill{step}");
            var (code, output) = ScratchnetProcess.Run(Env(AtomicFile.KillAfterEnvironmentVariable, step), Train(config, dir));
            if (code == 0) break; // the run has fewer file steps than this: every one of them has been a kill point
            Assert.True(code == 137, $"step {step}: exit {code} instead of a SIGKILL (137): {output}");
            bool hasLast = File.Exists(Path.Combine(dir, "last.safetensors"));
            var (rc, _, err) = Cli.Run("train", "--resume", dir, "--device", "cpu");
            if (!hasLast)
            {
                // Killed before the first checkpoint: nothing to resume, and resume says so in one line.
                Assert.Equal(2, rc);
                Assert.Matches(@"^error: .*(no last\.safetensors to resume from|is not a resumable run)", err);
                refused++;
                continue;
            }
            Assert.True(rc == 0, $"step {step}: resume failed: {err}");
            AssertSameRun(reference, dir);
            resumed++;
        }
        // 3 epochs × (best, last, log) and the report's files: far more than 20 distinct kill points.
        Assert.True(resumed >= 20, $"only {resumed} kill points had a checkpoint to resume from ({refused} refused)");
        Console.WriteLine($"crash test: {resumed} kills resumed to the same result, {refused} refused (before the first checkpoint)");
    }

    [Fact]
    public void AFullDiskDuringASaveIsOneLineAndThePreviousCheckpointStillResumes()
    {
        var (config, reference) = Reference();
        // Step 30 falls inside epoch 2's or 3's saves (the run starts with 3 files of 3 steps, then 9 steps per epoch).
        string dir = data.RunDir("full-disk");
        var (code, output) = ScratchnetProcess.Run(Env(AtomicFile.FailAtEnvironmentVariable, 30), Train(config, dir));
        Assert.Equal(2, code);
        var errors = output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Single(errors);
        Assert.Contains("No space left on device", errors[0]);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain(Directory.EnumerateFiles(dir), f => AtomicFile.IsTemporaryFile(Path.GetFileName(f)));
        Assert.True(Checkpoint.ReadInfo(Path.Combine(dir, "last.safetensors")).Epoch >= 1);

        var (rc, _, err) = Cli.Run("train", "--resume", dir, "--device", "cpu");
        Assert.True(rc == 0, err);
        AssertSameRun(reference, dir);
    }

    [Fact]
    public void ASecondTrainingProcessOnTheSameFolderIsRefusedWhileTheFirstHoldsIt()
    {
        string config = WriteConfig(), dir = data.RunDir("locked");
        var (rc, _, err) = Cli.Run(Train(config, dir, "--epochs", "1"));
        Assert.True(rc == 0, err);
        using (RunDirectory.Open(dir, RunStart.Resume))
        {
            foreach (var args in new[] { Train(config, dir, "--overwrite"), ["train", "--resume", dir, "--device", "cpu", "--epochs", "2"] })
            {
                var (code, output) = ScratchnetProcess.Run(null, args);
                Assert.Equal(2, code);
                Assert.Contains($"another scratchnet process is training in {Path.GetFullPath(dir)} (pid {Environment.ProcessId}", output);
            }
        }
        // Options that would change the run are refused on resume, not ignored.
        var (refused, _, why) = Cli.Run("train", "--resume", dir, "--device", "cpu", "--lr", "0.5", "--batch-size", "4");
        Assert.Equal(2, refused);
        Assert.Contains("only --epochs may change, not --batch-size, --lr", why);
        // Released with the holder: now the run continues.
        (rc, _, err) = Cli.Run("train", "--resume", dir, "--device", "cpu", "--epochs", "2");
        Assert.True(rc == 0, err);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "log.csv")).Length);
    }

    [Fact]
    public void TrainOntoAnExistingRunRefusesUnlessOverwrite()
    {
        string config = WriteConfig(), dir = data.RunDir("existing");
        var (code, _, err) = Cli.Run(Train(config, dir, "--epochs", "1"));
        Assert.True(code == 0, err);
        var before = File.ReadAllBytes(Path.Combine(dir, "best.safetensors"));
        (code, _, err) = Cli.Run(Train(config, dir, "--epochs", "2"));
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", err);
        Assert.Contains("--overwrite", err);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(dir, "best.safetensors")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(dir, "log.csv")).Length);

        (code, _, err) = Cli.Run(Train(config, dir, "--epochs", "2", "--overwrite"));
        Assert.True(code == 0, err);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(dir, "log.csv")).Length);
    }

    [System.Runtime.InteropServices.DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Fact]
    public void SigtermStopsAfterTheBatchOrValidationSavesAndPrintsTheResumeCommand()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGTERM is a POSIX signal
        string config = WriteConfig(), dir = data.RunDir("sigterm");
        using var p = ScratchnetProcess.Start(null, Train(config, dir, "--epochs", "100000"));
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            var clock = Stopwatch.StartNew();
            while (!File.Exists(Path.Combine(dir, "log.csv")) && !p.HasExited && clock.Elapsed < TimeSpan.FromSeconds(90)) Thread.Sleep(50);
            Assert.False(p.HasExited, "the run ended before its first epoch was logged: " + string.Join("\n", output));
            Assert.Equal(0, kill(p.Id, 15));
            Assert.True(p.WaitForExit(60_000), "SIGTERM did not stop the run within a minute: " + string.Join("\n", output));
            p.WaitForExit(); // flushes the redirected output
        }
        finally
        {
            if (!p.HasExited) p.Kill();
        }
        string text = string.Join("\n", output);
        Assert.True(p.ExitCode == 130, $"exit {p.ExitCode}: {text}");
        Assert.Contains("SIGTERM: stopping after the current batch or validation", text);
        Assert.Contains($"Continue with: scratchnet train --resume {Path.GetFullPath(dir)}", text);
        var info = Checkpoint.ReadInfo(Path.Combine(dir, "last.safetensors"));
        Assert.True(info.Step > 0);
        Assert.True(info.Epoch < 100000);
    }
}
