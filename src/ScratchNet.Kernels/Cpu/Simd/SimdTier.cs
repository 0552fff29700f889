using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>
/// The vector widths the CPU backend's width-generic kernels are written for (<see cref="ISimd{V}"/>). A backend runs
/// at one tier, at most the machine's (<see cref="SimdTiers.Hardware"/>); a lower one can be asked for to compare
/// tiers on one machine (<c>--simd</c>, <c>SCRATCHNET_SIMD</c>).
/// </summary>
public enum SimdTier
{
    /// <summary>One float at a time: the reference every vector tier must match.</summary>
    Scalar = 0,
    /// <summary>128-bit vectors: SSE on x86, NEON on ARM64.</summary>
    V128 = 1,
    /// <summary>256-bit vectors with FMA: AVX2.</summary>
    V256 = 2,
    /// <summary>512-bit vectors with masked loads and stores: AVX-512.</summary>
    V512 = 3,
}

/// <summary>What the machine has, and the names users type for each tier.</summary>
public static class SimdTiers
{
    /// <summary>
    /// The widest tier this process can run, as the runtime reports it (so <c>DOTNET_EnableAVX512F=0</c>,
    /// <c>DOTNET_EnableAVX2=0</c> and <c>DOTNET_EnableHWIntrinsic=0</c> lower it, as they lower every other kernel).
    /// 256 needs AVX for its masked loads; 512 needs AVX-512F for its mask registers.
    /// </summary>
    public static SimdTier Hardware { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? SimdTier.V512 :
        Vector256.IsHardwareAccelerated && Avx2.IsSupported ? SimdTier.V256 :
        Vector128.IsHardwareAccelerated ? SimdTier.V128 : SimdTier.Scalar;

    /// <summary>Every tier this machine can run, widest first.</summary>
    public static IReadOnlyList<SimdTier> Available { get; } =
        Enum.GetValues<SimdTier>().Where(t => t <= Hardware).OrderByDescending(t => t).ToArray();

    /// <summary>
    /// The tier a new CPU backend uses: <c>SCRATCHNET_SIMD</c> when set (it must name a tier this machine has), else
    /// <see cref="Hardware"/>.
    /// </summary>
    public static SimdTier Default => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } v
        ? Require(Parse(v, $"{EnvironmentVariable}={v}"))
        : Hardware;

    /// <summary>The environment variable that lowers the tier of every CPU backend in a process.</summary>
    public const string EnvironmentVariable = "SCRATCHNET_SIMD";

    /// <summary>The name users type: avx512, avx2, 128, scalar.</summary>
    public static string Name(SimdTier t) => t switch
    {
        SimdTier.V512 => "avx512",
        SimdTier.V256 => "avx2",
        SimdTier.V128 => "128",
        _ => "scalar",
    };

    /// <summary>What the tier is on this machine's architecture, for headers: "avx2 (256-bit, FMA)".</summary>
    public static string Describe(SimdTier t) => t switch
    {
        SimdTier.V512 => "avx512 (512-bit, FMA, masks)",
        SimdTier.V256 => Fma.IsSupported ? "avx2 (256-bit, FMA)" : "avx2 (256-bit, no FMA)",
        SimdTier.V128 => System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported ? "128 (NEON)"
            : Fma.IsSupported ? "128 (SSE/AVX, FMA)" : "128 (SSE, no FMA)",
        _ => "scalar",
    };

    /// <summary>Parses a tier name (avx512|512, avx2|256, 128|sse|neon, scalar); <paramref name="what"/> names the input in the error.</summary>
    public static SimdTier Parse(string text, string what) => text.Trim().ToLowerInvariant() switch
    {
        "avx512" or "avx-512" or "512" => SimdTier.V512,
        "avx2" or "256" => SimdTier.V256,
        "128" or "sse" or "neon" => SimdTier.V128,
        "scalar" or "none" => SimdTier.Scalar,
        _ => throw new ArgumentException($"{what}: unknown SIMD tier '{text}'; expected one of avx512, avx2, 128, scalar"),
    };

    /// <summary>The tier itself if this machine has it, else an error naming it and what the machine has.</summary>
    public static SimdTier Require(SimdTier t) => Require(t, Hardware);

    /// <summary><see cref="Require(SimdTier)"/> against a given machine's widest tier.</summary>
    internal static SimdTier Require(SimdTier t, SimdTier hardware) => t <= hardware ? t
        : throw new NotSupportedException(
            $"SIMD tier '{Name(t)}' is not available on this machine: it has {Describe(hardware)} " +
            $"(tiers it can run: {string.Join(", ", Enum.GetValues<SimdTier>().Where(x => x <= hardware).OrderDescending().Select(Name))})");
}
