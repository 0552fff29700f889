using BenchmarkDotNet.Running;

namespace ScratchNet.Benchmarks;

/// <summary>
/// Per-op kernel benchmarks (BenchmarkDotNet). Run all: <c>dotnet run -c Release --project benchmarks/ScratchNet.Benchmarks -- --filter '*'</c>;
/// one class: <c>--filter '*Gemm*'</c>. Each benchmark reports its work rate (GFLOP/s or GB/s) in the
/// "Rate" column, computed from the measured mean.
/// </summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, new RateConfig());
}
