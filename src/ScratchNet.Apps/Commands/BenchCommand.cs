using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ScratchNet.Apps.Bench;
using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu;
using ScratchNet.Kernels.Cpu.Simd;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet bench</c>: the seed model's training step and inference at several image sizes on one device,
/// with images/s, achieved GFLOP/s and % of the measured FMA peak, managed bytes and new device buffers per
/// steady-state step, and peak working set; <c>--layers</c> adds a per-layer breakdown; <c>--json</c> writes it all.
/// Compare with <c>../shared/tools/peer-bench</c> (libtorch) run right after, with the same thread count.
/// </summary>
internal static class BenchCommand
{
    // More threads than cores only time-slice; beyond this a typo (100000) would start that many waits on a pool of
    // ProcessorCount − 1 helpers.
    private const int MaxThreads = 1024;

    public static Command Create()
    {
        var device = CommonOptions.Device("cpu");
        var threads = new Option<int?>("--threads") { Description = "CPU threads (cpu device only; default: all cores)" };
        var sizes = new Option<string>("--sizes") { Description = "Image sizes, comma-separated", DefaultValueFactory = _ => "64,128,224" };
        var batch = new Option<int>("--batch") { Description = "Batch size of the training step and the batched inference", DefaultValueFactory = _ => 16 };
        var steps = new Option<int>("--steps") { Description = "Measured steps per phase (after warm-up)", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Warm-up steps per phase", DefaultValueFactory = _ => 3 };
        var layers = new Option<bool>("--layers") { Description = "Per-layer forward/backward breakdown at each size" };
        var json = new Option<string?>("--json") { Description = "Write all results to this JSON file" };
        var skipPeak = new Option<bool>("--skip-peak") { Description = "Do not measure the FMA peak (no % of peak)" };
        var command = new Command("bench", "Benchmark the seed model (training step, inference) on a device") { device, threads, sizes, batch, steps, warmup, layers, json, skipPeak };
        command.SetAction(r => Run(r.GetValue(device)!, r.GetValue(threads), r.GetValue(sizes)!, r.GetValue(batch), r.GetValue(steps),
            r.GetValue(warmup), r.GetValue(layers), r.GetValue(json), r.GetValue(skipPeak)));
        return command;
    }

    private static int Run(string deviceName, int? threads, string sizesText, int batch, int steps, int warmup, bool layers, string? jsonPath, bool skipPeak)
    {
        int[] sizes;
        try
        {
            sizes = sizesText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            if (sizes.Length == 0 || sizes.Any(s => s < 4)) throw new FormatException();
        }
        catch (FormatException)
        {
            Console.Error.WriteLine($"error: --sizes must be a comma-separated list of image sizes ≥ 4, got '{sizesText}'");
            return 2;
        }
        if (batch < 1 || steps < 1 || warmup < 0)
        {
            Console.Error.WriteLine("error: --batch and --steps must be ≥ 1, --warmup ≥ 0");
            return 2;
        }
        if (threads is < 1 or > MaxThreads)
        {
            Console.Error.WriteLine($"error: --threads must be between 1 and {MaxThreads}, got {threads} (this machine has {Environment.ProcessorCount} cores)");
            return 2;
        }
        Device device;
        try
        {
            device = threads is int n && deviceName == "cpu"
                ? Device.FromBackend(new CpuBackend(n))
                : Device.Get(deviceName);
        }
        catch (DeviceNotAvailableException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        int threadCount = threads ?? Environment.ProcessorCount;
        var cpu = device.Backend as CpuBackend;
        double peak = skipPeak || cpu is null ? 0 : SimdPeak.MeasureGflops(cpu.Tier, threadCount);
        Console.WriteLine($"scratchnet bench on {device.Backend.Description}; batch {batch}, {steps} steps after {warmup} warm-up; " +
            (peak > 0 ? $"FP32 peak at SIMD {SimdTiers.Name(cpu!.Tier)} {peak:F0} GFLOP/s on {threadCount} thread(s)" : "no peak measured"));
        Console.WriteLine($"{"phase",-14} {"size",5} {"median ms",10} {"p25-p75 ms",16} {"images/s",9} {"GFLOP/s",8} {"% peak",7} {"alloc B/step",13} {"new bufs",8}");
        var rows = new List<BenchRow>();
        var layerReports = new List<object>();
        foreach (int size in sizes)
        {
            foreach (var row in new[]
            {
                ModelBench.TrainingStep(device, size, batch, warmup, steps, peak),
                ModelBench.Inference(device, size, batch, warmup, steps, peak),
                ModelBench.Inference(device, size, 1, warmup, steps, peak),
            })
            {
                rows.Add(row);
                Console.WriteLine($"{row.Phase,-14} {row.ImageSize,5} {row.Time.MedianMs,10:F2} {$"{row.Time.P25Ms:F2}-{row.Time.P75Ms:F2}",16} {row.ImagesPerSecond,9:F0} {row.GFlops,8:F1} {row.PercentOfPeak,7:F1} {row.ManagedBytesPerStep,13:N0} {row.NewDeviceBuffersPerStep,8}");
            }
            if (layers)
            {
                var (fwd, bwd) = ModelBench.Layers(device, size, batch, Math.Max(3, steps / 4));
                Console.WriteLine($"  per-layer at {size}x{size}, batch {batch} (median ms):");
                foreach (var (name, ms) in fwd) Console.WriteLine($"    fwd  {name,-34} {ms,8:F3}");
                foreach (var (name, ms) in bwd) Console.WriteLine($"    bwd  {name,-34} {ms,8:F3}");
                layerReports.Add(new { size, forward = fwd.Select(f => new { layer = f.Layer, ms = f.Ms }), backward = bwd.Select(b => new { op = b.Op, ms = b.Ms }) });
            }
        }
        long peakWorkingSet = Process.GetCurrentProcess().PeakWorkingSet64;
        Console.WriteLine($"peak working set {peakWorkingSet / (1024.0 * 1024):F0} MiB");
        if (jsonPath is not null)
        {
            var report = new
            {
                date = DateTime.UtcNow.ToString("O"),
                device = device.Backend.Description,
                threads = threadCount,
                batch,
                steps,
                warmup,
                simdTier = cpu is null ? null : SimdTiers.Name(cpu.Tier),
                fmaPeakGflops = peak,
                peakWorkingSetBytes = peakWorkingSet,
                rows,
                layers = layerReports,
            };
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {jsonPath}");
        }
        return 0;
    }
}
