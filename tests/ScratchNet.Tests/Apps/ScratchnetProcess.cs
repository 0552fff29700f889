using System.Diagnostics;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Tests.Apps;

/// <summary>The built <c>scratchnet</c> (copied next to the tests) run as a real child process.</summary>
internal static class ScratchnetProcess
{
    /// <summary>Runs <c>scratchnet ARGS…</c> with extra environment variables; exit code and stdout + stderr.</summary>
    public static (int Code, string Output) Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var p = Start(environment, args);
        var stderr = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(180_000), "scratchnet did not finish in 3 minutes");
        return (p.ExitCode, stdout + stderr.Result);
    }

    /// <summary>Starts <c>scratchnet ARGS…</c> with its output redirected (the caller reads it and waits).</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scratchnet.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove(SimdTiers.EnvironmentVariable);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        return Process.Start(start)!;
    }
}
