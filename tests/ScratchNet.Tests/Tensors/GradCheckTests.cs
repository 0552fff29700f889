using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Tensors;

/// <summary>
/// Every op's backward against finite differences, on every backend this machine has, in float64 and float32
/// (the same cases <c>scratchnet gradcheck</c> prints).
/// </summary>
public class GradCheckTests
{
    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var device in new[] { "cpu", "ilgpu-cpu" })
            foreach (var dtype in new[] { "float64", "float32" })
                foreach (var c in OpGradChecks.All)
                    data.Add(device, dtype, c.Op);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string device, string dtype, string op)
    {
        var c = OpGradChecks.All.Single(x => x.Op == op);
        var result = c.Run(Device.Get(device), dtype == "float64" ? DType.Float64 : DType.Float32);
        Assert.True(result.Passed, $"{op} on {device} {dtype}: max abs {result.MaxAbsError:G3}, max rel {result.MaxRelError:G3}, vs f64 {result.MaxErrorVsFloat64:G3}; {result.Detail}");
    }

    [Fact]
    public void GradCheckCatchesAWrongGradient()
    {
        // A deliberately wrong backward (the gradient of 2x reported for x²) must fail the check: the checker
        // itself is tested, not only the ops.
        var inputs = new[] { new GradInput([0.3, -0.7, 1.1], [3]) };
        var good = GradCheck.Check("square", Device.Cpu, DType.Float64, t => t[0] * t[0], inputs);
        var bad = GradCheck.Check("not square", Device.Cpu, DType.Float64, t => Functional.Scale(t[0], 2) * t[0].Detach(), inputs);
        Assert.True(good.Passed, good.Detail);
        Assert.False(bad.Passed);
    }
}
