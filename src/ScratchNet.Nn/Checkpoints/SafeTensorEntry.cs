using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// One named tensor of a safetensors file: its dtype, its shape (row-major, PyTorch's layout) and its raw
/// little-endian bytes. This is the unit <see cref="SafeTensorsFile"/> reads and writes; turning entries into
/// <c>Tensor</c>s (and module parameters into entries) is the state-dict layer's job, so this type stays
/// independent of devices and autograd.
/// </summary>
/// <remarks>
/// Entries read from a file always have <c>Data.Length == ExpectedByteLength</c>. The raw constructor does not
/// insist on that (it only checks the name and shape) so that callers can wrap bytes they produce elsewhere;
/// <c>SafeTensorsFile.Write</c> checks every entry's length while writing and the conversion methods
/// check before converting.
/// </remarks>
public sealed class SafeTensorEntry
{
    private readonly int[] shape;

    /// <summary>
    /// Wraps raw little-endian bytes (not copied: do not mutate them afterwards).
    /// Throws <see cref="ArgumentException"/> for an empty or reserved name or a negative dimension.
    /// </summary>
    public SafeTensorEntry(string name, SafeTensorDType dtype, ReadOnlySpan<int> shape, ReadOnlyMemory<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0)
            throw new ArgumentException("a safetensors entry name must not be empty", nameof(name));
        if (name == SafeTensorsFile.MetadataKey)
            throw new ArgumentException($"'{SafeTensorsFile.MetadataKey}' is reserved by the safetensors format and cannot name a tensor", nameof(name));
        _ = dtype.ElementSize(); // rejects values outside the enum
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
                throw new ArgumentException($"entry '{name}': dimension {i} of shape {FormatShape(shape)} is negative", nameof(shape));
        }

        Name = name;
        DType = dtype;
        this.shape = shape.ToArray();
        Data = data;
    }

    /// <summary>The state-dict name, e.g. <c>encoder.0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The stored element type.</summary>
    public SafeTensorDType DType { get; }

    /// <summary>The shape (an empty list is a scalar; a zero dimension makes an empty tensor).</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>A copy of the shape as an array.</summary>
    public int[] ShapeArray => (int[])shape.Clone();

    /// <summary>The raw little-endian, row-major bytes.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Number of elements: the product of the dimensions (1 for a scalar). Throws on overflow.</summary>
    public long ElementCount => ComputeElementCount(shape);

    /// <summary>Bytes the shape and dtype call for: <c>ElementCount × ElementSize</c>. Throws on overflow.</summary>
    public long ExpectedByteLength => checked(ElementCount * DType.ElementSize());

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {DType.ToHeaderString()} {FormatShape(shape)}";

    // ---------------------------------------------------------------- factories

    /// <summary>An F32 entry holding a copy of <paramref name="values"/>, whose length must match the shape.</summary>
    public static SafeTensorEntry FromFloat32(string name, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
        => FromValues(name, SafeTensorDType.F32, values, shape);

    /// <summary>An F64 entry holding a copy of <paramref name="values"/>, whose length must match the shape.</summary>
    public static SafeTensorEntry FromFloat64(string name, ReadOnlySpan<double> values, ReadOnlySpan<int> shape)
        => FromValues(name, SafeTensorDType.F64, values, shape);

    /// <summary>An I64 entry holding a copy of <paramref name="values"/>, whose length must match the shape.</summary>
    public static SafeTensorEntry FromInt64(string name, ReadOnlySpan<long> values, ReadOnlySpan<int> shape)
        => FromValues(name, SafeTensorDType.I64, values, shape);

    /// <summary>An I32 entry holding a copy of <paramref name="values"/>, whose length must match the shape.</summary>
    public static SafeTensorEntry FromInt32(string name, ReadOnlySpan<int> values, ReadOnlySpan<int> shape)
        => FromValues(name, SafeTensorDType.I32, values, shape);

    /// <summary>A BOOL entry (one byte per element, 0 or 1), whose length must match the shape.</summary>
    public static SafeTensorEntry FromBool(string name, ReadOnlySpan<bool> values, ReadOnlySpan<int> shape)
    {
        CheckCount(name, values.Length, shape);
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++) bytes[i] = values[i] ? (byte)1 : (byte)0;
        return new SafeTensorEntry(name, SafeTensorDType.BOOL, shape, bytes);
    }

    private static SafeTensorEntry FromValues<T>(string name, SafeTensorDType dtype, ReadOnlySpan<T> values, ReadOnlySpan<int> shape)
        where T : unmanaged
    {
        CheckCount(name, values.Length, shape);
        var bytes = new byte[checked(values.Length * dtype.ElementSize())];
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(bytes);
            return new SafeTensorEntry(name, dtype, shape, bytes);
        }
        var span = bytes.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            // Big-endian hosts: element-wise little-endian writes.
            switch (values[i])
            {
                case float f: BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], f); break;
                case double d: BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], d); break;
                case long l: BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], l); break;
                case int n: BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], n); break;
                default: throw new NotSupportedException(typeof(T).Name);
            }
        }
        return new SafeTensorEntry(name, dtype, shape, bytes);
    }

    private static void CheckCount(string name, int count, ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        long expected;
        try { expected = ComputeElementCount(shape); }
        catch (OverflowException) { throw new ArgumentException($"entry '{name}': shape {FormatShape(shape)} has too many elements", nameof(shape)); }
        if (expected != count)
            throw new ArgumentException($"entry '{name}': shape {FormatShape(shape)} holds {expected} elements but {count} values were given", nameof(shape));
    }

    // ---------------------------------------------------------------- conversions

    /// <summary>The values as float: from F32 (copy), F64 (rounded), F16 or BF16 (exact). Other dtypes throw.</summary>
    public float[] ToFloatArray()
    {
        var src = CheckedData(nameof(ToFloatArray), SafeTensorDType.F32, SafeTensorDType.F64, SafeTensorDType.F16, SafeTensorDType.BF16);
        int n = (int)ElementCount;
        var result = new float[n];
        switch (DType)
        {
            case SafeTensorDType.F32:
                if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, float>(src).CopyTo(result);
                else for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(i * 4)..]);
                break;
            case SafeTensorDType.F64:
                for (int i = 0; i < n; i++) result[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(i * 8)..]);
                break;
            case SafeTensorDType.F16:
                for (int i = 0; i < n; i++) result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(src[(i * 2)..]);
                break;
            default: // BF16: the upper half of an F32
                for (int i = 0; i < n; i++) result[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]) << 16);
                break;
        }
        return result;
    }

    /// <summary>The values as double: from F64 (copy), F32, F16 or BF16 (all exact). Other dtypes throw.</summary>
    public double[] ToDoubleArray()
    {
        var src = CheckedData(nameof(ToDoubleArray), SafeTensorDType.F64, SafeTensorDType.F32, SafeTensorDType.F16, SafeTensorDType.BF16);
        if (DType == SafeTensorDType.F64)
        {
            int n = (int)ElementCount;
            var result = new double[n];
            if (BitConverter.IsLittleEndian) MemoryMarshal.Cast<byte, double>(src).CopyTo(result);
            else for (int i = 0; i < n; i++) result[i] = BinaryPrimitives.ReadDoubleLittleEndian(src[(i * 8)..]);
            return result;
        }
        return Array.ConvertAll(ToFloatArray(), f => (double)f);
    }

    /// <summary>The values as long: from I64 (copy) or any narrower integer type (I32, I16, I8, U32, U16, U8). Other dtypes throw.</summary>
    public long[] ToInt64Array()
    {
        var src = CheckedData(nameof(ToInt64Array), SafeTensorDType.I64, SafeTensorDType.I32, SafeTensorDType.I16,
            SafeTensorDType.I8, SafeTensorDType.U32, SafeTensorDType.U16, SafeTensorDType.U8);
        int n = (int)ElementCount;
        var result = new long[n];
        for (int i = 0; i < n; i++) result[i] = ReadInteger(src, i);
        return result;
    }

    /// <summary>
    /// The values as int: from I32 (copy), I16, I8, U16, U8, or I64/U32 when every value fits (else throws naming
    /// the entry, the index and the value). Other dtypes throw.
    /// </summary>
    public int[] ToInt32Array()
    {
        var src = CheckedData(nameof(ToInt32Array), SafeTensorDType.I32, SafeTensorDType.I64, SafeTensorDType.I16,
            SafeTensorDType.I8, SafeTensorDType.U32, SafeTensorDType.U16, SafeTensorDType.U8);
        int n = (int)ElementCount;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            long v = ReadInteger(src, i);
            if (v < int.MinValue || v > int.MaxValue)
                throw new InvalidOperationException($"entry '{Name}' ({DType.ToHeaderString()}): element {i} = {v} does not fit in int32");
            result[i] = (int)v;
        }
        return result;
    }

    /// <summary>The values as bool: from BOOL (nonzero = true). Other dtypes throw.</summary>
    public bool[] ToBoolArray()
    {
        var src = CheckedData(nameof(ToBoolArray), SafeTensorDType.BOOL);
        var result = new bool[src.Length];
        for (int i = 0; i < src.Length; i++) result[i] = src[i] != 0;
        return result;
    }

    private long ReadInteger(ReadOnlySpan<byte> src, int i) => DType switch
    {
        SafeTensorDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(src[(i * 8)..]),
        SafeTensorDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(src[(i * 4)..]),
        SafeTensorDType.I16 => BinaryPrimitives.ReadInt16LittleEndian(src[(i * 2)..]),
        SafeTensorDType.I8 => (sbyte)src[i],
        SafeTensorDType.U32 => BinaryPrimitives.ReadUInt32LittleEndian(src[(i * 4)..]),
        SafeTensorDType.U16 => BinaryPrimitives.ReadUInt16LittleEndian(src[(i * 2)..]),
        SafeTensorDType.U8 => src[i],
        _ => throw new InvalidOperationException($"entry '{Name}': {DType} is not an integer dtype"),
    };

    /// <summary>Checks the dtype is one the conversion accepts and the byte length matches the shape.</summary>
    private ReadOnlySpan<byte> CheckedData(string method, params SafeTensorDType[] accepted)
    {
        if (Array.IndexOf(accepted, DType) < 0)
            throw new InvalidOperationException(
                $"entry '{Name}' has dtype {DType.ToHeaderString()}; {method} converts only from {string.Join(", ", accepted.Select(d => d.ToHeaderString()))}");
        long expected;
        try { expected = ExpectedByteLength; }
        catch (OverflowException) { expected = -1; }
        if (expected != Data.Length)
            throw new InvalidOperationException(
                $"entry '{Name}': {DType.ToHeaderString()} {FormatShape(shape)} needs {(expected < 0 ? "an overflowing number of" : expected.ToString())} bytes but holds {Data.Length}");
        return Data.Span;
    }

    internal static long ComputeElementCount(ReadOnlySpan<int> shape)
    {
        long count = 1;
        foreach (int d in shape) count = checked(count * d);
        return count;
    }

    internal static string FormatShape(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
