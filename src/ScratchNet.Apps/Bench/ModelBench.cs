using ScratchNet.Apps.Datasets.Sky;
using System.Diagnostics;
using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;
using ScratchNet.Nn.Models;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Apps.Bench;

/// <summary>Timing statistics of one measured phase, in milliseconds.</summary>
public sealed record Timing(double MedianMs, double MinMs, double MaxMs, double P25Ms, double P75Ms, int Samples)
{
    /// <summary>Summarises raw samples.</summary>
    public static Timing Of(List<double> ms)
    {
        var s = ms.OrderBy(v => v).ToArray();
        double Q(double q) => s[(int)Math.Round(q * (s.Length - 1))];
        return new Timing(Q(0.5), s[0], s[^1], Q(0.25), Q(0.75), s.Length);
    }
}

/// <summary>One benchmark row: a phase at one image size.</summary>
public sealed record BenchRow(string Phase, int ImageSize, int Batch, Timing Time, double ImagesPerSecond, double GFlops,
    double PercentOfPeak, long ManagedBytesPerStep, long NewDeviceBuffersPerStep);

/// <summary>
/// Times seed 000's model — the built-in <c>sky-seed</c> experiment, exactly what <c>train --preset seed</c> trains —
/// as peer-bench times it in libtorch: a training step (forward + the masked 0.1·CE + 0.9·MSE objective + backward +
/// Adam lr 1e-4, wd 1e-5) and eval-mode inference, on random float32 data. Each step ends with a device
/// synchronisation (the loss read), so times are wall times of finished work.
/// </summary>
internal static class ModelBench
{
    // The seed experiment at this image size, its model, objective and one batch of random labels (half sky).
    private static (ExperimentConfig Config, MultiHeadCnn Model, MultiTaskObjective Objective, Batch Labels) Seed(Device device, int size, int batch)
    {
        var config = BuiltinConfigs.Load(BuiltinConfigs.SkySeed);
        config = config with { Input = config.Input with { Size = size } };
        Init.ManualSeed(0);
        var model = ExperimentModel.Build(config, device);
        var layout = new TargetLayout(config.Tasks);
        var rng = new Random(2);
        var targets = new double[batch * layout.Width];
        for (int i = 0; i < batch; i++)
        {
            bool sky = i % 2 == 1;
            targets[i * layout.Width + layout["is_sky"].Offset] = sky ? 1 : 0;
            targets[i * layout.Width + layout["aqi"].Offset] = sky ? 15 + 435 * rng.NextDouble() : double.NaN;
        }
        var labels = new Batch(new float[batch * 3 * size * size], targets, Enumerable.Range(0, batch).ToArray(), size, layout.Width, 0, 0);
        return (config, model, new MultiTaskObjective(config.Tasks, layout), labels);
    }

    public static BenchRow TrainingStep(Device device, int size, int batch, int warmup, int steps, double peak)
    {
        var (_, net, objective, labels) = Seed(device, size, batch);
        using var model = net;
        using var opt = new Adam(model.Parameters(), lr: 1e-4, weightDecay: 1e-5);
        using var x = Tensor.Uniform([batch, 3, size, size], 0, 1, DType.Float32, device, new Random(1));
        void Step()
        {
            using var scope = TensorScope.Begin();
            opt.ZeroGrad();
            var (l, _) = objective.Forward(model.Forward(x), labels);
            l.Backward();
            opt.Step();
            _ = l.Item();
        }
        return Measure("train step", device, size, batch, warmup, steps, Step, SeedModelFlops.TrainingStep(batch, size), peak);
    }

    public static BenchRow Inference(Device device, int size, int batch, int warmup, int steps, double peak)
    {
        using var model = Seed(device, size, batch).Model;
        model.Eval();
        using var x = Tensor.Uniform([batch, 3, size, size], 0, 1, DType.Float32, device, new Random(1));
        void Step()
        {
            using var scope = TensorScope.Begin();
            using var noGrad = GradMode.NoGrad();
            _ = model.Forward(x);
            device.Backend.Synchronize();
        }
        return Measure($"inference b{batch}", device, size, batch, warmup, steps, Step, SeedModelFlops.Forward(batch, size), peak);
    }

    private static BenchRow Measure(string phase, Device device, int size, int batch, int warmup, int steps, Action step, double flops, double peak)
    {
        for (int i = 0; i < warmup; i++) step();
        long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
        long buffersBefore = device.Allocator.BackendAllocations;
        var samples = new List<double>(steps);
        for (int i = 0; i < steps; i++)
        {
            long t0 = Stopwatch.GetTimestamp();
            step();
            samples.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        long bytes = (GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / steps;
        long buffers = (device.Allocator.BackendAllocations - buffersBefore) / steps;
        var t = Timing.Of(samples);
        double gflops = flops / (t.MedianMs / 1000) / 1e9;
        return new BenchRow(phase, size, batch, t, batch / (t.MedianMs / 1000), gflops, peak > 0 ? 100 * gflops / peak : 0, bytes, buffers);
    }

    /// <summary>Per-layer forward times (encoder layers one by one, heads as blocks) and backward times per op.</summary>
    public static (List<(string Layer, double Ms)> Forward, List<(string Op, double Ms)> Backward) Layers(Device device, int size, int batch, int repeats)
    {
        var (_, net, objective, labels) = Seed(device, size, batch);
        using var model = net;
        var encoder = model.Trunk;
        using var x = Tensor.Uniform([batch, 3, size, size], 0, 1, DType.Float32, device, new Random(1));
        var forward = new Dictionary<string, List<double>>();
        var backward = new List<List<(string, double)>>();
        for (int r = 0; r < repeats + 1; r++)
        {
            using var scope = TensorScope.Begin();
            Tensor h = x;
            var fwd = new List<(string, double)>();
            for (int i = 0; i < encoder.Count;)
            {
                long t0 = Stopwatch.GetTimestamp();
                h = encoder.ForwardStep(i, h, out int used);
                device.Backend.Synchronize();
                // A fused BatchNorm2d block is one step: "encoder.1-3 BatchNorm2d+Gelu+MaxPool2d".
                var names = Enumerable.Range(i, used).Select(k => encoder[k].GetType().Name);
                string label = used == 1 ? $"encoder.{i}" : $"encoder.{i}-{i + used - 1}";
                fwd.Add(($"{label} {string.Join("+", names)}", Stopwatch.GetElapsedTime(t0).TotalMilliseconds));
                i += used;
            }
            long th = Stopwatch.GetTimestamp();
            var (l, _) = objective.Forward(model.ForwardHeads(h), labels);
            device.Backend.Synchronize();
            fwd.Add(("heads + loss", Stopwatch.GetElapsedTime(th).TotalMilliseconds));
            using (var profiler = BackwardProfiler.Start())
            {
                l.Backward();
                if (r > 0) backward.Add(profiler.Records.ToList());
            }
            model.ZeroGrad();
            if (r == 0) continue; // warm-up
            foreach (var (name, ms) in fwd)
            {
                if (!forward.TryGetValue(name, out var list)) forward[name] = list = new List<double>();
                list.Add(ms);
            }
        }
        var fwdMedian = forward.Select(kv => (kv.Key, Timing.Of(kv.Value).MedianMs)).ToList();
        int ops = backward[0].Count;
        var bwdMedian = Enumerable.Range(0, ops).Select(i => (backward[0][i].Item1, Timing.Of(backward.Select(b => b[i].Item2).ToList()).MedianMs)).ToList();
        return (fwdMedian, bwdMedian);
    }
}
