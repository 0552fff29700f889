using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;
using ScratchNet.Tensors.Memory;

namespace ScratchNet.Tensors;

/// <summary>
/// An n-dimensional, contiguous, row-major array on a <see cref="Device"/>, with an optional gradient.
/// PyTorch's twin: <c>torch.Tensor</c>. Differentiable ops live in <see cref="Functional"/> (and the operators
/// below); each records a <see cref="Function"/> so <see cref="Backward"/> can compute gradients.
/// </summary>
/// <remarks>
/// Tensors own device memory, which the garbage collector cannot see: dispose them, or create them inside a
/// <see cref="TensorScope"/>. Views (reshape, flatten, squeeze) share the storage and keep it alive.
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    private readonly int[] shape;
    private Storage? storage;
    private bool requiresGrad;

    internal Tensor(Storage storage, int[] shape, DType dtype)
    {
        this.storage = storage;
        this.shape = shape;
        DType = dtype;
        Numel = ShapeUtil.Numel(shape);
        TensorScope.Register(this);
    }

    /// <summary>Sizes of each dimension.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Number of elements.</summary>
    public long Numel { get; }

    /// <summary>The device holding the data.</summary>
    public Device Device => Storage.Device;

    /// <summary>True after <see cref="Dispose"/>.</summary>
    public bool IsDisposed => storage is null;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/> (null before).</summary>
    public Tensor? Grad { get; internal set; }

    /// <summary>The op that produced this tensor, or null for a leaf.</summary>
    public Function? GradFn { get; internal set; }

    /// <summary>True for tensors not produced by a recorded op (inputs, parameters).</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>
    /// Whether gradients flow to this tensor. Settable on leaves only (as PyTorch), and only for floating dtypes.
    /// </summary>
    public bool RequiresGrad
    {
        get => requiresGrad;
        set
        {
            if (!IsLeaf && !value)
                throw new InvalidOperationException($"RequiresGrad can only be cleared on a leaf tensor; use Detach() on {this}");
            if (value && !DType.IsFloating())
                throw new InvalidOperationException($"only floating tensors can require gradients; {this} is {DType.Name()}");
            requiresGrad = value;
        }
    }

    internal void MarkRequiresGrad() => requiresGrad = true;

    /// <summary>Size of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => shape[ShapeUtil.NormalizeDim(dim, Rank, "Dim")];

    internal int[] ShapeArray => shape;

    internal Storage Storage => storage ?? throw new ObjectDisposedException(nameof(Tensor), $"tensor {ShapeUtil.Format(shape)} {DType.Name()} was used after Dispose()");

    /// <summary>The backend buffer (validated not disposed).</summary>
    public DeviceBuffer Buffer => Storage.Buffer;

    // ------------------------------------------------------------------ creation

    /// <summary>An uninitialised tensor (contents unspecified): for kernels that overwrite their output.</summary>
    public static Tensor Empty(ReadOnlySpan<int> shape, DType dtype, Device device)
    {
        var s = shape.ToArray();
        ShapeUtil.Validate(s, "Empty");
        long n = ShapeUtil.Numel(s);
        var buffer = device.Allocator.Rent(dtype, Math.Max(n, 1));
        return new Tensor(new Storage(device, buffer, n), s, dtype);
    }

    /// <summary>A tensor filled with <paramref name="value"/>. PyTorch: <c>torch.full</c>.</summary>
    public static Tensor Full(ReadOnlySpan<int> shape, double value, DType dtype, Device device)
    {
        var t = Empty(shape, dtype, device);
        device.Backend.Fill(t.Buffer, t.Numel, value);
        return t;
    }

    /// <summary>Zeros. PyTorch: <c>torch.zeros</c>.</summary>
    public static Tensor Zeros(ReadOnlySpan<int> shape, DType dtype, Device device) => Full(shape, 0, dtype, device);

    /// <summary>Ones. PyTorch: <c>torch.ones</c>.</summary>
    public static Tensor Ones(ReadOnlySpan<int> shape, DType dtype, Device device) => Full(shape, 1, dtype, device);

    /// <summary>Copies host data into a new tensor of the given shape and the element type's dtype.</summary>
    public static Tensor FromArray<T>(T[] data, ReadOnlySpan<int> shape, Device device) where T : unmanaged
    {
        var t = Empty(shape, DTypeExtensions.Of<T>(), device);
        if (data.Length != t.Numel)
        {
            t.Dispose();
            throw new ArgumentException($"FromArray: {data.Length} values cannot fill shape {ShapeUtil.Format(shape.ToArray())} ({ShapeUtil.Numel(shape.ToArray())} elements)");
        }
        device.Backend.Upload<T>(data, t.Buffer);
        return t;
    }

    /// <summary>Copies host doubles into a new tensor converted to <paramref name="dtype"/>.</summary>
    public static Tensor FromDoubles(double[] data, ReadOnlySpan<int> shape, DType dtype, Device device) => dtype switch
    {
        DType.Float64 => FromArray(data, shape, device),
        DType.Float32 => FromArray(Array.ConvertAll(data, v => (float)v), shape, device),
        DType.Int32 => FromArray(Array.ConvertAll(data, v => checked((int)v)), shape, device),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>Uniform random values in [low, high) from a seeded host RNG (reproducible on every device).</summary>
    public static Tensor Uniform(ReadOnlySpan<int> shape, double low, double high, DType dtype, Device device, Random rng)
    {
        var data = new double[ShapeUtil.Numel(shape.ToArray())];
        for (int i = 0; i < data.Length; i++) data[i] = low + (high - low) * rng.NextDouble();
        return FromDoubles(data, shape, dtype, device);
    }

    // ------------------------------------------------------------------ reading back

    /// <summary>Copies the data to a host array of the tensor's own element type.</summary>
    public T[] ToArray<T>() where T : unmanaged
    {
        if (DTypeExtensions.Of<T>() != DType)
            throw new InvalidOperationException($"ToArray<{typeof(T).Name}>: tensor {ShapeUtil.Format(shape)} is {DType.Name()}; use ToDoubleArray() to convert");
        var result = new T[Numel];
        Device.Backend.Download<T>(Buffer, result);
        return result;
    }

    /// <summary>Copies the data to the host, converted to double.</summary>
    public double[] ToDoubleArray() => DType switch
    {
        DType.Float64 => ToArray<double>(),
        DType.Float32 => Array.ConvertAll(ToArray<float>(), v => (double)v),
        DType.Int32 => Array.ConvertAll(ToArray<int>(), v => (double)v),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>The value of a one-element tensor. PyTorch: <c>tensor.item()</c>.</summary>
    public double Item()
    {
        if (Numel != 1)
            throw new InvalidOperationException($"Item() needs a one-element tensor; got shape {ShapeUtil.Format(shape)}");
        return ToDoubleArray()[0];
    }

    // ------------------------------------------------------------------ autograd

    /// <summary>
    /// Computes gradients of this scalar with respect to every leaf that requires them, accumulating (+=) into
    /// their <see cref="Grad"/>. The graph's saved state is released afterwards.
    /// </summary>
    public void Backward() => Autograd.Backward.Run(this);

    /// <summary>A new tensor sharing this one's storage, cut from the graph. PyTorch: <c>detach()</c>.</summary>
    public Tensor Detach()
    {
        Storage.AddRef();
        return new Tensor(Storage, (int[])shape.Clone(), DType);
    }

    /// <summary>A view with another shape over the same storage (no copy), no graph.</summary>
    internal Tensor AliasAs(int[] newShape)
    {
        Storage.AddRef();
        return new Tensor(Storage, newShape, DType);
    }

    /// <summary>A deep copy on the same device, cut from the graph. PyTorch: <c>clone().detach()</c>.</summary>
    public Tensor CloneDetached()
    {
        var t = Empty(shape, DType, Device);
        Device.Backend.Copy(Buffer, 0, t.Buffer, 0, Numel);
        return t;
    }

    /// <summary>Clears <see cref="Grad"/> (disposing it). PyTorch: <c>grad = None</c>.</summary>
    public void ZeroGrad()
    {
        Grad?.Dispose();
        Grad = null;
    }

    /// <summary>Copies this tensor's values into <paramref name="destination"/> (same shape and dtype, any device).</summary>
    public void CopyTo(Tensor destination)
    {
        if (!ShapeUtil.Equal(shape, destination.shape) || DType != destination.DType)
            throw new ArgumentException($"CopyTo: source {this} and destination {destination} differ in shape or dtype");
        if (ReferenceEquals(Device, destination.Device))
        {
            Device.Backend.Copy(Buffer, 0, destination.Buffer, 0, Numel);
            return;
        }
        switch (DType)
        {
            case DType.Float32: destination.Device.Backend.Upload<float>(ToArray<float>(), destination.Buffer); break;
            case DType.Float64: destination.Device.Backend.Upload<double>(ToArray<double>(), destination.Buffer); break;
            default: destination.Device.Backend.Upload<int>(ToArray<int>(), destination.Buffer); break;
        }
    }

    /// <summary>A copy of this tensor on <paramref name="device"/> (no graph). PyTorch: <c>to(device)</c>.</summary>
    public Tensor To(Device device)
    {
        var t = Empty(shape, DType, device);
        CopyTo(t);
        return t;
    }

    /// <summary>
    /// Moves this tensor's data to <paramref name="device"/> in place (PyTorch: <c>p.data = p.data.to(device)</c>),
    /// so modules keep their references to their parameters. The gradient is dropped. Not for graph nodes.
    /// </summary>
    public void MoveTo(Device device)
    {
        if (ReferenceEquals(Device, device)) return;
        if (!IsLeaf) throw new InvalidOperationException($"MoveTo: {this} is produced by {GradFn}; only leaves can be moved in place");
        using var moved = To(device);
        moved.Storage.AddRef();
        var old = Interlocked.Exchange(ref storage, moved.Storage);
        old?.Release();
        ZeroGrad();
    }

    /// <summary>Releases the device memory (shared storage lives on while a view or saved copy holds it).</summary>
    public void Dispose()
    {
        var s = Interlocked.Exchange(ref storage, null);
        if (s is null) return;
        s.Release();
        Grad?.Dispose();
        Grad = null;
        // GradFn stays: a disposed intermediate is still a node of the graph (as a PyTorch tensor that went
        // out of scope), and backward must be able to walk through it.
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"Tensor{ShapeUtil.Format(shape)} {DType.Name()}" + (storage is null ? " (disposed)" : $" on {storage.Device.Name}");
}

public sealed partial class Tensor
{
    /// <summary>A deep copy with another shape of the same element count.</summary>
    internal Tensor CloneDetachedAs(int[] newShape)
    {
        var t = Empty(newShape, DType, Device);
        Device.Backend.Copy(Buffer, 0, t.Buffer, 0, Numel);
        return t;
    }
}
