using System.Diagnostics;
using System.Reflection;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>--simd avx512|avx2|128|scalar</c> (any command) and <c>SCRATCHNET_SIMD</c>: run at a lower SIMD tier than the
/// machine's, to compare tiers on one machine. The width-generic kernels follow the CPU backend's tier, but the rest
/// of the process (the GEMM's micro-kernels, <c>Vector&lt;T&gt;</c> loops, the JIT itself) follow what the runtime
/// reports, so a lower tier re-runs the command in a child process with the runtime's own switches set
/// (<c>DOTNET_EnableAVX512F=0</c>, <c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableHWIntrinsic=0</c>): the whole
/// process then is the lower machine. Hosted in another program (the tests' in-process runner) it cannot re-run
/// itself and lowers the CPU backend's kernels only.
/// </summary>
internal static class SimdOption
{
    public const string Flag = "--simd";

    /// <summary>
    /// Takes <c>--simd</c> out of <paramref name="args"/>. Returns an exit code when the command has run (in a child
    /// process) or cannot run (a bad tier: exit 2 with the error on stderr); null to run it here, with
    /// <paramref name="restore"/> undoing any in-process change afterwards.
    /// </summary>
    public static int? Apply(ref string[] args, out Action restore)
    {
        restore = () => { };
        string? text = null;
        var rest = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == Flag)
            {
                if (i + 1 >= args.Length) return Fail($"{Flag} needs a tier: avx512, avx2, 128 or scalar");
                text = args[++i];
            }
            else if (args[i].StartsWith(Flag + "=", StringComparison.Ordinal)) text = args[i][(Flag.Length + 1)..];
            else rest.Add(args[i]);
        }
        string what = Flag;
        if (text is null && Environment.GetEnvironmentVariable(SimdTiers.EnvironmentVariable) is { Length: > 0 } env)
            (text, what) = (env, SimdTiers.EnvironmentVariable);
        args = rest.ToArray();
        if (text is null) return null;
        SimdTier tier;
        try
        {
            tier = SimdTiers.Require(SimdTiers.Parse(text, what));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return Fail(e.Message);
        }
        if (tier == SimdTiers.Hardware) return null;
        if (Assembly.GetEntryAssembly() == typeof(SimdOption).Assembly && Environment.ProcessPath is { } exe)
            return RunLowered(exe, args, tier);
        var previous = Environment.GetEnvironmentVariable(SimdTiers.EnvironmentVariable);
        Environment.SetEnvironmentVariable(SimdTiers.EnvironmentVariable, SimdTiers.Name(tier));
        restore = () => Environment.SetEnvironmentVariable(SimdTiers.EnvironmentVariable, previous);
        return null;
    }

    /// <summary>The runtime's switch that lowers a process to each tier.</summary>
    private static (string Name, string Value)[] RuntimeSwitches(SimdTier tier) => tier switch
    {
        SimdTier.V256 => [("DOTNET_EnableAVX512F", "0"), ("DOTNET_EnableAVX512", "0")],
        SimdTier.V128 => [("DOTNET_EnableAVX2", "0")],
        SimdTier.Scalar => [("DOTNET_EnableHWIntrinsic", "0")],
        _ => [],
    };

    private static int RunLowered(string exe, string[] args, SimdTier tier)
    {
        var start = new ProcessStartInfo(exe) { UseShellExecute = false };
        // Under `dotnet scratchnet.dll` the process is the host: the child needs the assembly path again.
        if (Path.GetFileNameWithoutExtension(exe) == "dotnet") start.ArgumentList.Add(typeof(SimdOption).Assembly.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in RuntimeSwitches(tier)) start.Environment[name] = value;
        start.Environment[SimdTiers.EnvironmentVariable] = SimdTiers.Name(tier);
        // Ctrl-C reaches the child too (same process group): it saves and exits; this process only waits for it.
        ConsoleCancelEventHandler wait = (_, e) => e.Cancel = true;
        Console.CancelKeyPress += wait;
        try
        {
            using var child = Process.Start(start)!;
            child.WaitForExit();
            return child.ExitCode;
        }
        finally
        {
            Console.CancelKeyPress -= wait;
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 2;
    }
}
