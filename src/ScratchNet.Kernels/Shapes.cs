namespace ScratchNet.Kernels;

/// <summary>
/// Zero padding of a 2-D window op (convolution, pooling): <see cref="Top"/> rows above the input, <see cref="Bottom"/>
/// below, <see cref="Left"/> and <see cref="Right"/> columns beside it. PyTorch pads symmetrically (one number, which
/// converts implicitly); ONNX writes <c>pads = [top, left, bottom, right]</c>, and CNTK's exports differ per side (a
/// 7×7/2 stem with [3, 3, 2, 2], 3×3/2 convolutions and max-pools with [1, 1, 0, 0]). Kernels offset by
/// <see cref="Top"/> and <see cref="Left"/>; <see cref="Bottom"/> and <see cref="Right"/> only change the output size.
/// </summary>
public readonly record struct Padding2d(int Top, int Left, int Bottom, int Right)
{
    /// <summary>The same padding on every side (PyTorch's <c>padding=p</c>).</summary>
    public static implicit operator Padding2d(int p) => new(p, p, p, p);

    /// <summary>Rows added in all (top + bottom).</summary>
    public int Rows => Top + Bottom;

    /// <summary>Columns added in all (left + right).</summary>
    public int Columns => Left + Right;

    /// <summary>True when every side has the same padding.</summary>
    public bool IsUniform => Top == Bottom && Left == Right && Top == Left;

    /// <summary>True when no side is negative.</summary>
    public bool IsValid => Top >= 0 && Left >= 0 && Bottom >= 0 && Right >= 0;

    /// <summary>"1", or "[3, 3, 2, 2]" (top, left, bottom, right) when the sides differ.</summary>
    public override string ToString() => IsUniform ? Top.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"[{Top}, {Left}, {Bottom}, {Right}]";
}

/// <summary>
/// Geometry of a 2-D convolution on NCHW data with an [OutC, C, KH, KW] weight.
/// <c>OH = (H + Pad.Top + Pad.Bottom − KH) / Stride + 1</c>, likewise OW with Left + Right (dilation 1, groups 1;
/// PyTorch's symmetric <c>padding=p</c> is <c>Pad = p</c>).
/// </summary>
public readonly record struct Conv2dShape(int N, int C, int H, int W, int OutC, int KH, int KW, int Stride, Padding2d Pad)
{
    /// <summary>Output height.</summary>
    public int OH => (H + Pad.Rows - KH) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OW => (W + Pad.Columns - KW) / Stride + 1;
    /// <summary>Elements of x.</summary>
    public long InputSize => (long)N * C * H * W;
    /// <summary>Elements of w.</summary>
    public long WeightSize => (long)OutC * C * KH * KW;
    /// <summary>Elements of y.</summary>
    public long OutputSize => (long)N * OutC * OH * OW;

    /// <summary>Throws a clear error when the geometry cannot be computed.</summary>
    public void Validate(string op)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || OutC <= 0 || KH <= 0 || KW <= 0 || Stride <= 0 || !Pad.IsValid)
            throw new ArgumentException($"{op}: invalid geometry {this}; sizes, kernel and stride must be positive and padding non-negative");
        if (OH <= 0 || OW <= 0)
            throw new ArgumentException($"{op}: kernel {KH}x{KW} with padding {Pad} does not fit input {H}x{W} (output would be {OH}x{OW})");
    }
}

/// <summary>
/// Geometry of max/avg pooling on NCHW data (floor mode, as PyTorch's default).
/// <c>OH = (H + Pad.Top + Pad.Bottom − K) / Stride + 1</c>, likewise OW.
/// </summary>
public readonly record struct Pool2dShape(int N, int C, int H, int W, int K, int Stride, Padding2d Pad)
{
    /// <summary>Output height.</summary>
    public int OH => (H + Pad.Rows - K) / Stride + 1;
    /// <summary>Output width.</summary>
    public int OW => (W + Pad.Columns - K) / Stride + 1;
    /// <summary>Elements of x.</summary>
    public long InputSize => (long)N * C * H * W;
    /// <summary>Elements of y.</summary>
    public long OutputSize => (long)N * C * OH * OW;

    /// <summary>Throws a clear error when the geometry cannot be computed.</summary>
    public void Validate(string op)
    {
        if (N <= 0 || C <= 0 || H <= 0 || W <= 0 || K <= 0 || Stride <= 0 || !Pad.IsValid)
            throw new ArgumentException($"{op}: invalid geometry {this}");
        // Every window then holds at least one input pixel (PyTorch's rule, applied per side).
        if (2 * Math.Max(Math.Max(Pad.Top, Pad.Bottom), Math.Max(Pad.Left, Pad.Right)) > K)
            throw new ArgumentException($"{op}: padding {Pad} must be at most half the kernel size {K} on every side (as PyTorch requires)");
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
