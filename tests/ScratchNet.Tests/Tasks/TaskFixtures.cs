using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Kernels;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;
using SkiaSharp;

namespace ScratchNet.Tests.Tasks;

/// <summary>Configs, batches, tensors, host reference losses and small image/CSV writers shared by the Tasks tests.</summary>
internal static class TaskFixtures
{
    public static readonly Device Cpu = Device.Get("cpu");

    public static TaskConfig Class(string name, params string[] labels) =>
        new() { Name = name, Kind = TaskKind.Classification, Column = name, Labels = labels };

    public static TaskConfig Regression(string name, double scale = 1) =>
        new() { Name = name, Kind = TaskKind.Regression, Column = name, Scale = scale };

    public static TaskConfig Tags(string name, params string[] labels) =>
        new() { Name = name, Kind = TaskKind.MultiLabel, Column = name, Labels = labels };

    public static TaskConfig BinaryColumns(string name, params string[] columns) =>
        new() { Name = name, Kind = TaskKind.MultiLabel, Columns = columns };

    /// <summary>A config for in-memory use (no CSV is read).</summary>
    public static ExperimentConfig Config(IReadOnlyList<TaskConfig> tasks, string csv = "/nonexistent/data.csv", TrainConfig? train = null, DataConfig? data = null) => new()
    {
        Name = "test",
        SourceFile = "test.yml",
        Data = data ?? new DataConfig { Csv = csv, Images = Path.GetDirectoryName(csv)! },
        Tasks = tasks,
        Train = train ?? new TrainConfig(),
    };

    /// <summary>A batch of the given target rows (images are zeros, 1×1 pixels).</summary>
    public static Batch MakeBatch(TargetLayout layout, IReadOnlyList<double[]> rows)
    {
        int n = rows.Count, w = layout.Width;
        var targets = new double[n * w];
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(w, rows[i].Length);
            rows[i].CopyTo(targets, i * w);
        }
        return new Batch(new float[n * 3], targets, Enumerable.Range(0, n).ToArray(), 1, w, 0, 0);
    }

    /// <summary>A leaf tensor that requires grad.</summary>
    public static Tensor Leaf(double[] values, int[] shape, DType dtype = DType.Float64)
    {
        var t = Tensor.FromDoubles(values, shape, dtype, Cpu);
        t.RequiresGrad = true;
        return t;
    }

    /// <summary>Uniform values in [lo, hi) from a seeded RNG.</summary>
    public static double[] Uniform(Random rng, int n, double lo = -2, double hi = 2) =>
        Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();

    public static double[] GradOf(Tensor t) => t.Grad?.ToDoubleArray() ?? new double[t.Numel];

    // ------------------------------------------------------------------ host reference losses

    /// <summary>Softmax cross-entropy of one row: logsumexp(z) − z[label].</summary>
    public static double CrossEntropy(ReadOnlySpan<double> z, int label)
    {
        double m = double.NegativeInfinity;
        foreach (var v in z) m = Math.Max(m, v);
        double s = 0;
        foreach (var v in z) s += Math.Exp(v - m);
        return m + Math.Log(s) - z[label];
    }

    /// <summary>Mean over labels of binary cross-entropy with logits.</summary>
    public static double Bce(ReadOnlySpan<double> z, ReadOnlySpan<double> y)
    {
        double s = 0;
        for (int k = 0; k < z.Length; k++)
            s += Math.Max(z[k], 0) - z[k] * y[k] + Math.Log(1 + Math.Exp(-Math.Abs(z[k])));
        return s / z.Length;
    }

    public static int ArgMax(ReadOnlySpan<double> z)
    {
        int best = 0;
        for (int i = 1; i < z.Length; i++) if (z[i] > z[best]) best = i;
        return best;
    }

    // ------------------------------------------------------------------ files

    /// <summary>Writes a 16×16 (or <paramref name="size"/>²) PNG whose pixel (x, y) is <paramref name="color"/>(x, y).</summary>
    public static string Png(string path, Func<int, int, SKColor> color, int size = 16)
    {
        using var bmp = new SKBitmap(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                bmp.SetPixel(x, y, color(x, y));
        using var data = bmp.Encode(SKEncodedImageFormat.Png, 100) ?? throw new InvalidOperationException("Skia cannot encode PNG");
        File.WriteAllBytes(path, data.ToArray());
        return path;
    }

    /// <summary>A fresh temporary folder, deleted on dispose.</summary>
    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("scratchnet-tasks-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try { Directory.Delete(Path, recursive: true); }
            catch (IOException) { /* best effort */ }
        }
    }
}
