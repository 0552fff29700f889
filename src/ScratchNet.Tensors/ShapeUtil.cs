namespace ScratchNet.Tensors;

/// <summary>Small helpers on shapes (int arrays).</summary>
public static class ShapeUtil
{
    /// <summary>Product of the dims (1 for a scalar shape []).</summary>
    public static long Numel(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    /// <summary>"[2, 3, 4]".</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>True when both shapes have the same dims.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>Throws when a dim is negative.</summary>
    public static void Validate(ReadOnlySpan<int> shape, string op)
    {
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"{op}: negative dimension in shape {Format(shape)}");
    }

    /// <summary>Maps a possibly negative dim to [0, rank).</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if (d < 0 || d >= rank)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: dim {dim} is out of range for a tensor of rank {rank}");
        return d;
    }

    /// <summary>Pads a shape of rank ≤ 4 with leading 1s to exactly 4 dims.</summary>
    public static int[] Pad4(ReadOnlySpan<int> shape, string op)
    {
        if (shape.Length > 4)
            throw new ArgumentException($"{op}: supports rank ≤ 4, got {Format(shape)}");
        var p = new int[] { 1, 1, 1, 1 };
        shape.CopyTo(p.AsSpan(4 - shape.Length));
        return p;
    }
}
