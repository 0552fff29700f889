namespace ScratchNet.Nn;

/// <summary>Element types of a state-dict entry on the host (int64 carries BatchNorm's <c>num_batches_tracked</c>).</summary>
public enum HostDType
{
    /// <summary>float32.</summary>
    Float32,
    /// <summary>float64.</summary>
    Float64,
    /// <summary>int64.</summary>
    Int64,
}

/// <summary>
/// A host copy of one state-dict entry: dtype, shape and values. What <see cref="Modules.Module.StateDict"/> returns
/// (as PyTorch's <c>state_dict()</c> moved to the CPU) and what checkpoints store.
/// </summary>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dims (empty for a scalar).</param>
/// <param name="Data">float[], double[] or long[] matching <paramref name="DType"/>.</param>
public sealed record HostTensor(HostDType DType, int[] Shape, Array Data)
{
    /// <summary>Element count implied by the shape.</summary>
    public long Numel => Shape.Aggregate(1L, (a, d) => a * d);

    /// <summary>The values as doubles (any dtype).</summary>
    public double[] ToDoubles() => Data switch
    {
        float[] f => Array.ConvertAll(f, v => (double)v),
        double[] d => (double[])d.Clone(),
        long[] l => Array.ConvertAll(l, v => (double)v),
        _ => throw new InvalidOperationException($"unexpected host data {Data.GetType().Name}"),
    };

    /// <summary>"[2, 3] float32".</summary>
    public override string ToString() => $"[{string.Join(", ", Shape)}] {DType.ToString().ToLowerInvariant()}";
}
