namespace ScratchNet.Nn.Data;

/// <summary>
/// An unsigned-byte array read from an IDX file: its dimensions (outermost first, as stored) and its elements in
/// row-major order. The first dimension counts items (images, labels); the rest describe one item.
/// </summary>
public sealed class IdxArray
{
    /// <summary>Wraps already-validated data; <see cref="IdxFile"/> is the normal way to get one.</summary>
    /// <exception cref="ArgumentException">The dimensions are empty, not positive, or disagree with the data length.</exception>
    public IdxArray(int[] dimensions, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (dimensions.Length == 0 || dimensions.Any(d => d <= 0))
            throw new ArgumentException($"dimensions must be non-empty and positive, got [{string.Join(", ", dimensions)}]", nameof(dimensions));
        long elements = 1;
        foreach (int d in dimensions) elements = checked(elements * d);
        if (elements != data.Length)
            throw new ArgumentException($"dimensions [{string.Join(", ", dimensions)}] need {elements} bytes, data has {data.Length}", nameof(data));
        Dimensions = dimensions;
        Data = data;
        ItemLength = (int)(elements / dimensions[0]);
    }

    /// <summary>The size of each dimension, outermost first (e.g. [60000, 28, 28] for images, [60000] for labels).</summary>
    public int[] Dimensions { get; }

    /// <summary>All elements, row-major; its length is the product of <see cref="Dimensions"/>.</summary>
    public byte[] Data { get; }

    /// <summary>Number of items: the first dimension.</summary>
    public int Count => Dimensions[0];

    /// <summary>Elements per item: the product of the dimensions after the first (1 for a labels file).</summary>
    public int ItemLength { get; }

    /// <summary>The elements of item <paramref name="index"/> (one image's pixels, or one label).</summary>
    public ReadOnlySpan<byte> Item(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return Data.AsSpan(index * ItemLength, ItemLength);
    }
}
