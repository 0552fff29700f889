using System.CommandLine;
using System.Diagnostics;
using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet gradcheck</c>: every op's backward against central finite differences on one device; one row
/// per op and dtype; exit code 1 if any check fails.
/// </summary>
internal static class GradCheckCommand
{
    public static Command Create()
    {
        var device = CommonOptions.Device();
        var dtype = new Option<string>("--dtype")
        {
            Description = "float64 (eps 1e-6, atol 1e-5, rtol 1e-3), float32 (eps 1e-3, tolerances 1e-2, plus agreement with float64), or all",
            DefaultValueFactory = _ => "all",
        };
        dtype.AcceptOnlyFromAmong("float64", "float32", "all");
        var filter = new Option<string?>("--op") { Description = "Only ops whose name contains this text" };
        var command = new Command("gradcheck", "Check every op's gradient against finite differences") { device, dtype, filter };
        command.SetAction(result => Run(result.GetValue(device)!, result.GetValue(dtype)!, result.GetValue(filter)));
        return command;
    }

    private static int Run(string deviceName, string dtypeName, string? filter)
    {
        Device device;
        try
        {
            device = Device.Get(deviceName);
        }
        catch (DeviceNotAvailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        DType[] dtypes = dtypeName switch
        {
            "float64" => [DType.Float64],
            "float32" => [DType.Float32],
            _ => [DType.Float64, DType.Float32],
        };
        var cases = OpGradChecks.All.Where(c => filter is null || c.Op.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
        if (cases.Count == 0)
        {
            var names = OpGradChecks.All.Select(c => c.Op.Split(' ', '(')[0]).Distinct().Order();
            Console.Error.WriteLine($"error: no op matches --op '{filter}'; the ops are: {string.Join(", ", names)}");
            return 2;
        }
        Console.WriteLine($"gradcheck on {device.Name} ({device.Backend.Description}): {cases.Count} ops x {dtypes.Length} dtype(s)");
        Console.WriteLine($"{"op",-46} {"backend",-10} {"dtype",-8} {"max abs err",12} {"max rel err",12} {"vs f64",8}  result");
        int failures = 0;
        var clock = Stopwatch.StartNew();
        foreach (var dtype in dtypes)
            foreach (var c in cases)
            {
                GradCheckResult r;
                try
                {
                    r = c.Run(device, dtype);
                }
                catch (Exception e)
                {
                    r = new GradCheckResult(c.Op, device.Name, dtype, double.NaN, double.NaN, double.NaN, false, $"{e.GetType().Name}: {e.Message}");
                }
                if (!r.Passed) failures++;
                string vs = dtype == DType.Float32 ? r.MaxErrorVsFloat64.ToString("0.000") : "-";
                Console.WriteLine($"{r.Op,-46} {r.Backend,-10} {r.DType.Name(),-8} {r.MaxAbsError,12:0.00e+00} {r.MaxRelError,12:0.00e+00} {vs,8}  {(r.Passed ? "pass" : "FAIL " + r.Detail)}");
            }
        Console.WriteLine($"{cases.Count * dtypes.Length - failures} passed, {failures} failed ({clock.Elapsed.TotalSeconds:0.0} s)");
        return failures == 0 ? 0 : 1;
    }
}
