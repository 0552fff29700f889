using System.Diagnostics;
using ScratchNet.Kernels.Cpu.Simd;

namespace ScratchNet.Tests.Apps;

/// <summary>
/// <c>--simd</c>: in-process it lowers the CPU backend's width-generic kernels; as its own program it re-runs the
/// command in a child process with the runtime's switches, so the whole process is the lower machine.
/// </summary>
public class SimdOptionTests
{
    [Fact]
    public void InProcessTheBackendRunsAtTheAskedTierAndTheEnvironmentIsRestored()
    {
        var before = Environment.GetEnvironmentVariable(SimdTiers.EnvironmentVariable);
        var (code, output, _) = Cli.Run("devices", "--simd", "scalar");
        Assert.Equal(0, code);
        Assert.Contains("threads, SIMD scalar", output);
        Assert.Equal(before, Environment.GetEnvironmentVariable(SimdTiers.EnvironmentVariable));
        (code, output, _) = Cli.Run("--simd=" + SimdTiers.Name(SimdTiers.Hardware), "devices");
        Assert.Equal(0, code);
        Assert.Contains($"SIMD {SimdTiers.Describe(SimdTiers.Hardware)}", output);
    }

    [Theory]
    [InlineData("avx3", "error: --simd: unknown SIMD tier 'avx3'; expected one of avx512, avx2, 128, scalar")]
    [InlineData(null, "error: --simd needs a tier: avx512, avx2, 128 or scalar")]
    public void ABadTierIsAClearErrorBeforeAnythingRuns(string? tier, string message)
    {
        var args = tier is null ? new[] { "bench", "--simd" } : new[] { "bench", "--simd", tier };
        var (code, output, errors) = Cli.Run(args);
        Assert.Equal(2, code);
        Assert.Equal(message, errors.Trim());
        Assert.Equal("", output);
    }

    [Fact]
    public void ATierAboveTheMachinesIsRefusedNamingWhatItHas()
    {
        if (SimdTiers.Hardware == SimdTier.V512)
        {
            // Nothing is above AVX-512: the refusal is the same code, checked against a smaller machine.
            var e = Assert.Throws<NotSupportedException>(() => SimdTiers.Require(SimdTier.V512, SimdTier.V128));
            Assert.Contains("tiers it can run: 128, scalar", e.Message);
            return;
        }
        var (code, _, errors) = Cli.Run("bench", "--simd", "avx512");
        Assert.Equal(2, code);
        Assert.Contains("SIMD tier 'avx512' is not available on this machine: it has " + SimdTiers.Describe(SimdTiers.Hardware), errors);
    }

    [Fact]
    public void AsItsOwnProgramALowerTierRunsTheWholeProcessLowered()
    {
        // scalar is below every machine's tier (or equal to it, where the runtime runs without SIMD: then no child).
        var (code, output) = RunScratchnet("devices", "--simd", "scalar");
        Assert.Equal(0, code);
        Assert.Contains("threads, SIMD scalar", output);
        // The child's runtime itself reports no SIMD (DOTNET_EnableHWIntrinsic=0 reached it), not only the backend.
        Assert.Contains("this machine runs: scalar (", output);
        (code, output) = RunScratchnet("gradcheck", "--simd", "scalar", "--op", "conv2d", "--dtype", "float32");
        Assert.Equal(0, code);
        Assert.Matches(@"\b[1-9]\d* passed, 0 failed", output);
    }

    private static (int Code, string Output) RunScratchnet(params string[] args) => ScratchnetProcess.Run(null, args);
}
