using System.Globalization;
using System.Text;
using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// Moves test data to and from one backend in one dtype and compares results with the float64 reference.
/// </summary>
/// <remarks>
/// Every buffer is over-allocated by <see cref="Slack"/> elements whose contents are a sentinel, so a kernel that
/// takes its size from <see cref="DeviceBuffer.Length"/> instead of its arguments is caught: it either reads
/// the sentinel (wrong values) or overwrites it (reported as a write past the end). Output buffers start as NaN
/// so a kernel that accumulates into, or skips, an output element is caught too.
/// </remarks>
public sealed class KernelHarness : IDisposable
{
    /// <summary>Extra elements at the end of every buffer.</summary>
    public const int Slack = 5;

    /// <summary>Value of the over-allocated tail; exactly representable in float32, float64 and int32.</summary>
    public const double Sentinel = 12345.0;

    private readonly List<DeviceBuffer> _owned = [];

    public KernelHarness(IBackend backend, string backendName, DType dtype, int seed)
    {
        Backend = backend;
        BackendName = backendName;
        DType = dtype;
        Rng = new Random(seed);
    }

    public IBackend Backend { get; }
    public string BackendName { get; }
    public DType DType { get; }
    public Random Rng { get; }

    /// <summary><paramref name="v"/> rounded to the dtype, so the reference sees exactly what the kernel sees.</summary>
    public double Q(double v) => DType == DType.Float32 ? (float)v : v;

    /// <summary>Uniform random values in [lo, hi), representable in the dtype.</summary>
    public double[] Rand(long n, double lo = -1, double hi = 1)
    {
        var r = new double[n];
        for (long i = 0; i < n; i++) r[i] = Q(lo + (hi - lo) * Rng.NextDouble());
        return r;
    }

    /// <summary>Random small integers in [0, levels) as floats: many exact ties, for argmax/max-pool tie rules.</summary>
    public double[] RandLevels(long n, int levels)
    {
        var r = new double[n];
        for (long i = 0; i < n; i++) r[i] = Rng.Next(levels);
        return r;
    }

    /// <summary>Uploads <paramref name="data"/> (rounded to the dtype) into a buffer over-allocated by <see cref="Slack"/>.</summary>
    public DeviceBuffer Up(double[] data) => UpFloat(data, DType);

    private DeviceBuffer UpFloat(double[] data, DType dtype)
    {
        var buf = Track(Backend.Allocate(dtype, data.Length + Slack));
        if (dtype == DType.Float32)
        {
            var f = new float[data.Length + Slack];
            for (int i = 0; i < data.Length; i++) f[i] = (float)data[i];
            for (int i = data.Length; i < f.Length; i++) f[i] = (float)Sentinel;
            Backend.Upload<float>(f, buf);
        }
        else
        {
            var d = new double[data.Length + Slack];
            Array.Copy(data, d, data.Length);
            for (int i = data.Length; i < d.Length; i++) d[i] = Sentinel;
            Backend.Upload<double>(d, buf);
        }
        return buf;
    }

    /// <summary>Uploads Int32 data (targets, indices) with a sentinel tail.</summary>
    public DeviceBuffer UpInt(int[] data)
    {
        var buf = Track(Backend.Allocate(DType.Int32, data.Length + Slack));
        var d = new int[data.Length + Slack];
        Array.Copy(data, d, data.Length);
        for (int i = data.Length; i < d.Length; i++) d[i] = (int)Sentinel;
        Backend.Upload<int>(d, buf);
        return buf;
    }

    /// <summary>An output buffer of <paramref name="n"/> elements pre-filled with NaN (garbage the kernel must overwrite).</summary>
    public DeviceBuffer Out(long n) => Up(Enumerable.Repeat(double.NaN, checked((int)n)).ToArray());

    /// <summary>An Int32 output buffer pre-filled with a garbage value.</summary>
    public DeviceBuffer OutInt(long n) => UpInt(Enumerable.Repeat(-987654, checked((int)n)).ToArray());

    /// <summary>Downloads the first <paramref name="n"/> elements as double (plus the tail, which is returned separately).</summary>
    public (double[] Body, double[] Tail) DownWithTail(DeviceBuffer buf, long n)
    {
        int total = checked((int)n + Slack);
        var all = new double[total];
        if (buf.DType == DType.Float32)
        {
            var f = new float[total];
            Backend.Download<float>(buf, f);
            for (int i = 0; i < total; i++) all[i] = f[i];
        }
        else if (buf.DType == DType.Float64)
        {
            Backend.Download<double>(buf, all);
        }
        else
        {
            var k = new int[total];
            Backend.Download<int>(buf, k);
            for (int i = 0; i < total; i++) all[i] = k[i];
        }
        return (all[..(int)n], all[(int)n..]);
    }

    /// <summary>Downloads the first <paramref name="n"/> elements as double.</summary>
    public double[] Down(DeviceBuffer buf, long n) => DownWithTail(buf, n).Body;

    /// <summary>Downloads the first <paramref name="n"/> Int32 elements.</summary>
    public int[] DownInt(DeviceBuffer buf, long n) => Down(buf, n).Select(v => (int)v).ToArray();

    /// <summary>
    /// Asserts that <paramref name="actual"/> holds <paramref name="expected"/> within <paramref name="tol"/> and that
    /// its over-allocated tail still holds the sentinel. The message names the op, backend, dtype, the first bad
    /// index (with its multi-index when <paramref name="dims"/> is given), expected, actual and the tolerance.
    /// </summary>
    public void AssertClose(string op, double[] expected, DeviceBuffer actual, Tol tol, int[]? dims = null)
    {
        var (body, tail) = DownWithTail(actual, expected.Length);
        AssertArrayClose(op, expected, body, tol, dims);
        AssertTailUntouched(op, tail);
    }

    /// <summary>As <see cref="AssertClose"/> but for Int32 buffers, exact.</summary>
    public void AssertEqualInts(string op, int[] expected, DeviceBuffer actual, int[]? dims = null) =>
        AssertClose(op, expected.Select(v => (double)v).ToArray(), actual, Tol.Exact, dims);

    /// <summary>Compares two host arrays (for values computed on the host from downloaded data).</summary>
    public void AssertArrayClose(string op, double[] expected, double[] actual, Tol tol, int[]? dims = null)
    {
        Assert.Equal(expected.Length, actual.Length);
        int bad = 0, first = -1;
        double worst = 0;
        int worstIdx = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok;
            if (double.IsNaN(e)) ok = double.IsNaN(a);
            else if (double.IsInfinity(e)) ok = a == e;
            else
            {
                double diff = Math.Abs(a - e);
                ok = diff <= tol.Abs + tol.Rel * Math.Abs(e); // false for NaN actual
                if (!ok && (double.IsNaN(diff) || diff > worst)) { worst = double.IsNaN(diff) ? double.PositiveInfinity : diff; worstIdx = i; }
            }
            if (!ok) { bad++; if (first < 0) first = i; }
        }
        if (bad == 0) return;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{op} on {BackendName}/{DType.Name()}: {bad} of {expected.Length} elements outside tolerance {tol}.");
        foreach (int i in new[] { first, worstIdx }.Where(i => i >= 0).Distinct())
            sb.Append(CultureInfo.InvariantCulture,
                $"\n  {(i == first ? "first" : "worst")} at index {i}{MultiIndex(i, dims)}: expected {expected[i]:R}, actual {actual[i]:R}, |diff| {Math.Abs(actual[i] - expected[i]):G3}");
        int shown = 0;
        sb.Append("\n  first mismatches (index: expected vs actual):");
        for (int i = 0; i < expected.Length && shown < 8; i++)
        {
            double e = expected[i], a = actual[i];
            bool ok = double.IsNaN(e) ? double.IsNaN(a) : Math.Abs(a - e) <= tol.Abs + tol.Rel * Math.Abs(e);
            if (ok) continue;
            sb.Append(CultureInfo.InvariantCulture, $" [{i}{MultiIndex(i, dims)}: {e:G9} vs {a:G9}]");
            shown++;
        }
        Assert.Fail(sb.ToString());
    }

    private void AssertTailUntouched(string op, double[] tail)
    {
        for (int i = 0; i < tail.Length; i++)
            if (tail[i] != Sentinel)
                Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                    $"{op} on {BackendName}/{DType.Name()}: wrote past the logical end of an over-allocated buffer: element end+{i} changed from the sentinel {Sentinel} to {tail[i]:R} (sizes must come from the arguments, not DeviceBuffer.Length)"));
    }

    private static string MultiIndex(int flat, int[]? dims)
    {
        if (dims is null || dims.Length < 2) return "";
        var idx = new int[dims.Length];
        int rem = flat;
        for (int d = dims.Length - 1; d >= 0; d--) { idx[d] = rem % dims[d]; rem /= dims[d]; }
        return " = [" + string.Join(",", idx) + "]";
    }

    private DeviceBuffer Track(DeviceBuffer b)
    {
        _owned.Add(b);
        return b;
    }

    public void Dispose()
    {
        foreach (var b in _owned) b.Dispose();
        _owned.Clear();
    }
}
