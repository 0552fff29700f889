using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>Theory data: every kernel test runs on each backend × floating dtype.</summary>
public static class KernelCases
{
    /// <summary>
    /// The backends under test: <c>cpu</c> and <c>ilgpu-cpu</c> (ILGPU's CPU simulator stands in for CUDA/OpenCL
    /// without a GPU). <c>SCRATCHNET_TEST_BACKENDS</c> (comma-separated) overrides the list, e.g. <c>cpu,cuda</c> on a
    /// GPU machine, or <c>reference</c> to self-test the suite against <see cref="HostReferenceBackend"/>.
    /// </summary>
    public static readonly string[] BackendNames =
        Environment.GetEnvironmentVariable("SCRATCHNET_TEST_BACKENDS") is { Length: > 0 } list
            ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : ["cpu", "ilgpu-cpu"];

    /// <summary>The dtypes every floating kernel supports.</summary>
    public static readonly DType[] FloatTypes = [DType.Float32, DType.Float64];

    /// <summary>("cpu", Float32), ("cpu", Float64), ("ilgpu-cpu", Float32), ("ilgpu-cpu", Float64).</summary>
    public static TheoryData<string, DType> BackendsAndDTypes
    {
        get
        {
            var d = new TheoryData<string, DType>();
            foreach (var b in BackendNames)
                foreach (var t in FloatTypes) d.Add(b, t);
            return d;
        }
    }

    /// <summary>
    /// Backend × dtype for shapes big enough to reach multi-threaded and multi-cache-block code paths; ILGPU's
    /// CPU simulator is left out (it is ~200–1000× slower than a plain loop, and its kernels have no such paths).
    /// </summary>
    public static TheoryData<string, DType> FastBackendsAndDTypes
    {
        get
        {
            var d = new TheoryData<string, DType>();
            foreach (var b in BackendNames.Where(b => b != "ilgpu-cpu"))
                foreach (var t in FloatTypes) d.Add(b, t);
            return d;
        }
    }

    /// <summary>Each backend name alone (for Int32-only ops).</summary>
    public static TheoryData<string> BackendsOnly
    {
        get
        {
            var d = new TheoryData<string>();
            foreach (var b in BackendNames) d.Add(b);
            return d;
        }
    }

    /// <summary>Each backend × dtype crossed with each case string.</summary>
    public static TheoryData<string, DType, string> Cross(params string[] cases)
    {
        var d = new TheoryData<string, DType, string>();
        foreach (var b in BackendNames)
            foreach (var t in FloatTypes)
                foreach (var c in cases) d.Add(b, t, c);
        return d;
    }

    /// <summary>A seed that depends only on the text (string.GetHashCode is randomised per process): FNV-1a.</summary>
    public static int Seed(string text)
    {
        uint hash = 2166136261;
        foreach (char ch in text) hash = (hash ^ ch) * 16777619;
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>Parses "key1 key2 ..." specs such as <c>n2 c3 h5 w7 o4 k3x3 s1 p1</c> into a name → values map.</summary>
    public static Dictionary<string, int[]> ParseSpec(string spec)
    {
        var r = new Dictionary<string, int[]>();
        foreach (var tok in spec.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            int i = 0;
            while (i < tok.Length && char.IsLetter(tok[i])) i++;
            r[tok[..i]] = tok[i..].Split('x').Select(int.Parse).ToArray();
        }
        return r;
    }

    /// <summary>"p1" → 1 on every side; "p3x3x2x2" → top 3, left 3, bottom 2, right 2 (ONNX's order).</summary>
    private static Padding2d ParsePad(int[] p) => p.Length == 4 ? new Padding2d(p[0], p[1], p[2], p[3]) : p[0];

    /// <summary><c>n2 c3 h5 w7 o4 k3x3 s1 p1</c> → a <see cref="Conv2dShape"/> (k3 means 3×3; p1x1x0x0 pads top, left, bottom, right).</summary>
    public static Conv2dShape ParseConv(string spec)
    {
        var m = ParseSpec(spec);
        int[] k = m["k"];
        return new Conv2dShape(m["n"][0], m["c"][0], m["h"][0], m["w"][0], m["o"][0], k[0], k.Length > 1 ? k[1] : k[0], m["s"][0], ParsePad(m["p"]));
    }

    /// <summary><c>n2 c3 h7 w9 k3 s2 p1</c> → a <see cref="Pool2dShape"/>.</summary>
    public static Pool2dShape ParsePool(string spec)
    {
        var m = ParseSpec(spec);
        return new Pool2dShape(m["n"][0], m["c"][0], m["h"][0], m["w"][0], m["k"][0], m["s"][0], ParsePad(m["p"]));
    }

    /// <summary>"4x3" → [4, 3]; "" or "scalar" is not used.</summary>
    public static int[] ParseDims(string dims) => dims.Split('x').Select(int.Parse).ToArray();
}
