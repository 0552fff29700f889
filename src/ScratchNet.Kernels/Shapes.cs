namespace ScratchNet.Kernels;

/// <summary>
/// Geometry of a 2-D convolution on NCHW data with an [OutC, C, KH, KW] weight.
/// <c>OH = (H + 2·Pad − KH) / Stride + 1</c>, same for OW (PyTorch, dilation 1, groups 1).
/// </summary>
public readonly record struct Conv2dShape(int N, int C, int H, int W, int OutC, int KH, int KW, int Stride, int Pad)
{
    /// <summary>Output height.</summary>
    public int OH => (H + 2 * Pad - KH) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OW => (W + 2 * Pad - KW) / Stride + 1;
    /// <summary>Elements of x.</summary>
    public long InputSize => (long)N * C * H * W;
    /// <summary>Elements of w.</summary>
    public long WeightSize => (long)OutC * C * KH * KW;
    /// <summary>Elements of y.</summary>
    public long OutputSize => (long)N * OutC * OH * OW;

    /// <summary>Throws a clear error when the geometry cannot be computed.</summary>
    public void Validate(string op)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || OutC <= 0 || KH <= 0 || KW <= 0 || Stride <= 0 || Pad < 0)
            throw new ArgumentException($"{op}: invalid geometry {this}; sizes, kernel and stride must be positive and padding non-negative");
        if (OH <= 0 || OW <= 0)
            throw new ArgumentException($"{op}: kernel {KH}x{KW} with padding {Pad} does not fit input {H}x{W} (output would be {OH}x{OW})");
    }
}

/// <summary>
/// Geometry of max/avg pooling on NCHW data (floor mode, as PyTorch's default).
/// <c>OH = (H + 2·Pad − K) / Stride + 1</c>.
/// </summary>
public readonly record struct Pool2dShape(int N, int C, int H, int W, int K, int Stride, int Pad)
{
    /// <summary>Output height.</summary>
    public int OH => (H + 2 * Pad - K) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OW => (W + 2 * Pad - K) / Stride + 1;
    /// <summary>Elements of x.</summary>
    public long InputSize => (long)N * C * H * W;
    /// <summary>Elements of y.</summary>
    public long OutputSize => (long)N * C * OH * OW;

    /// <summary>Throws a clear error when the geometry cannot be computed.</summary>
    public void Validate(string op)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || K <= 0 || Stride <= 0 || Pad < 0)
            throw new ArgumentException($"{op}: invalid geometry {this}");
        if (Pad * 2 > K)
            throw new ArgumentException($"{op}: padding {Pad} must be at most half the kernel size {K} (as PyTorch requires)");
        if (OH <= 0 || OW <= 0)
            throw new ArgumentException($"{op}: window {K} does not fit input {H}x{W}");
    }
}

/// <summary>The pointwise nonlinearity of a fused <see cref="BatchNormActPoolShape"/> block.</summary>
public enum Activation
{
    /// <summary><c>g = max(z, 0)</c>, <c>g′ = z &gt; 0 ? 1 : 0</c>.</summary>
    Relu,
    /// <summary>Exact GELU <c>g = z·Φ(z)</c>, <c>g′ = Φ(z) + z·φ(z)</c>.</summary>
    Gelu,
}

/// <summary>
/// Geometry of the fused block BatchNorm2d → activation → MaxPool2d(Pool) on an [N, C, H, W] input:
/// non-overlapping Pool×Pool windows (stride Pool, no padding, floor mode), so <c>OH = H / Pool</c>; Pool = 1
/// means no pooling (the block is BatchNorm2d → activation and y has x's shape).
/// </summary>
public readonly record struct BatchNormActPoolShape(int N, int C, int H, int W, int Pool, Activation Act)
{
    /// <summary>Output height.</summary>
    public int OH => H / Pool;
    /// <summary>Output width.</summary>
    public int OW => W / Pool;
    /// <summary>Elements of x.</summary>
    public long InputSize => (long)N * C * H * W;
    /// <summary>Elements of y (and of the argmax indices when Pool &gt; 1).</summary>
    public long OutputSize => (long)N * C * OH * OW;
    /// <summary>The pooling this block performs, as a <see cref="Pool2dShape"/> (window Pool, stride Pool).</summary>
    public Pool2dShape PoolShape => new(N, C, H, W, Pool, Pool, 0);

    /// <summary>Throws a clear error when the geometry cannot be computed.</summary>
    public void Validate(string op)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || Pool <= 0)
            throw new ArgumentException($"{op}: invalid geometry {this}; sizes and pool window must be positive");
        if (OH <= 0 || OW <= 0)
            throw new ArgumentException($"{op}: pool window {Pool} does not fit input {H}x{W}");
        if (!Enum.IsDefined(Act))
            throw new ArgumentException($"{op}: unknown activation {(int)Act}");
    }
}

/// <summary>
/// A broadcast of up to four dimensions, trailing-aligned as NumPy/PyTorch do, padded with leading 1s.
/// <c>Out</c> holds the output dims; <c>A</c> and <c>B</c> hold each operand's strides in the output's
/// index space (0 where that operand has size 1 along the dim).
/// </summary>
public readonly record struct Broadcast4(
    int D0, int D1, int D2, int D3,
    long A0, long A1, long A2, long A3,
    long B0, long B1, long B2, long B3)
{
    /// <summary>Number of output elements.</summary>
    public long Count => (long)D0 * D1 * D2 * D3;

    /// <summary>Maximum rank handled by the broadcast kernels.</summary>
    public const int MaxRank = 4;

    /// <summary>
    /// Builds the broadcast of two shapes (each of rank ≤ 4), or throws naming both shapes.
    /// </summary>
    public static Broadcast4 Of(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op)
    {
        int rank = Math.Max(a.Length, b.Length);
        if (rank > MaxRank)
            throw new ArgumentException($"{op}: broadcasting supports rank ≤ {MaxRank}, got [{string.Join(", ", a.ToArray())}] and [{string.Join(", ", b.ToArray())}]");
        Span<int> pa = stackalloc int[MaxRank], pb = stackalloc int[MaxRank], po = stackalloc int[MaxRank];
        Pad(a, pa); Pad(b, pb);
        for (int d = 0; d < MaxRank; d++)
        {
            if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1)
                throw new ArgumentException($"{op}: shapes [{string.Join(", ", a.ToArray())}] and [{string.Join(", ", b.ToArray())}] cannot be broadcast (dim {d - (MaxRank - rank)}: {pa[d]} vs {pb[d]})");
            po[d] = Math.Max(pa[d], pb[d]);
        }
        Span<long> sa = stackalloc long[MaxRank], sb = stackalloc long[MaxRank];
        Strides(pa, sa); Strides(pb, sb);
        return new Broadcast4(po[0], po[1], po[2], po[3], sa[0], sa[1], sa[2], sa[3], sb[0], sb[1], sb[2], sb[3]);
    }

    /// <summary>The output shape of broadcasting <paramref name="a"/> with <paramref name="b"/>, at the larger rank.</summary>
    public static int[] OutputShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var o = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            o[i] = Math.Max(da, db);
        }
        return o;
    }

    private static void Pad(ReadOnlySpan<int> s, Span<int> p)
    {
        p.Fill(1);
        s.CopyTo(p[(MaxRank - s.Length)..]);
    }

    // Row-major strides of the padded shape, with 0 for size-1 dims so they broadcast.
    private static void Strides(ReadOnlySpan<int> p, Span<long> s)
    {
        long stride = 1;
        for (int d = MaxRank - 1; d >= 0; d--)
        {
            s[d] = p[d] == 1 ? 0 : stride;
            stride *= p[d];
        }
    }
}

/// <summary>Elementwise binary operators of <see cref="IBackend.Binary"/>.</summary>
public enum BinaryOp
{
    /// <summary>a + b</summary>
    Add,
    /// <summary>a − b</summary>
    Sub,
    /// <summary>a · b</summary>
    Mul,
    /// <summary>a / b</summary>
    Div,
}
