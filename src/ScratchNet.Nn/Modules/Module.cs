using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Modules;

/// <summary>
/// Base of every layer and model, as <c>torch.nn.Module</c>: it registers parameters, buffers and child modules
/// under PyTorch-style dotted names (<c>encoder.0.weight</c>), switches train/eval mode, zeroes gradients, moves
/// to a device and saves/loads its state dict.
/// </summary>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Tensor)> parameters = new();
    private readonly List<(string Name, Tensor Tensor)> buffers = new();
    private readonly List<(string Name, Module Module)> children = new();

    /// <summary>True in training mode (the default), false after <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a learnable tensor (sets RequiresGrad).</summary>
    protected Tensor RegisterParameter(string name, Tensor tensor)
    {
        CheckName(name);
        tensor.RequiresGrad = true;
        parameters.Add((name, TensorScope.Untrack(tensor))); // owned by the module, not by a scope
        return tensor;
    }

    /// <summary>Registers a non-learnable tensor that belongs to the state (BatchNorm's running stats).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        CheckName(name);
        buffers.Add((name, TensorScope.Untrack(tensor)));
        return tensor;
    }

    /// <summary>Registers a child module; its entries are prefixed with <paramref name="name"/>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        CheckName(name);
        children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.'))
            throw new ArgumentException($"{GetType().Name}: invalid member name '{name}' (non-empty, no dots)");
        if (parameters.Any(p => p.Name == name) || buffers.Any(b => b.Name == name) || children.Any(c => c.Name == name))
            throw new ArgumentException($"{GetType().Name}: '{name}' is already registered");
    }

    /// <summary>Direct children with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => children;

    /// <summary>This module and every descendant with dotted names (this one as ""), depth-first.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules(string prefix = "")
    {
        yield return (prefix.TrimEnd('.'), this);
        foreach (var (n, m) in children)
            foreach (var d in m.NamedModules(prefix + n + "."))
                yield return d;
    }

    /// <summary>Every parameter of this module and its descendants, with dotted names, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Parameter)> NamedParameters(string prefix = "")
    {
        foreach (var (n, t) in parameters) yield return (prefix + n, t);
        foreach (var (n, m) in children)
            foreach (var p in m.NamedParameters(prefix + n + "."))
                yield return p;
    }

    /// <summary>Every parameter tensor.</summary>
    public IEnumerable<Tensor> Parameters() => NamedParameters().Select(p => p.Parameter);

    /// <summary>Every buffer with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, t) in buffers) yield return (prefix + n, t);
        foreach (var (n, m) in children)
            foreach (var b in m.NamedBuffers(prefix + n + "."))
                yield return b;
    }

    /// <summary>Sets training mode on this module and every descendant.</summary>
    public Module Train(bool mode = true)
    {
        Training = mode;
        foreach (var (_, m) in children) m.Train(mode);
        return this;
    }

    /// <summary>Evaluation mode: BatchNorm uses running stats, Dropout is the identity.</summary>
    public Module Eval() => Train(false);

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters()) p.ZeroGrad();
    }

    /// <summary>Number of learnable scalars.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.Numel);

    /// <summary>The device of the first parameter or buffer (CPU if there are none).</summary>
    public Device Device => NamedParameters().Select(p => p.Parameter).Concat(NamedBuffers().Select(b => b.Buffer)).FirstOrDefault()?.Device ?? Device.Cpu;

    /// <summary>Moves every parameter and buffer to <paramref name="device"/> in place (as PyTorch's <c>module.to</c>): references to them stay valid.</summary>
    public Module To(Device device)
    {
        foreach (var (_, t) in parameters) t.MoveTo(device);
        foreach (var (_, t) in buffers) t.MoveTo(device);
        foreach (var (_, m) in children) m.To(device);
        return this;
    }

    /// <summary>Non-tensor state entries of this module alone (BatchNorm's int64 counter), by local name.</summary>
    protected virtual IEnumerable<(string Name, HostTensor Value)> ExtraState() => [];

    /// <summary>Restores an entry returned by <see cref="ExtraState"/>.</summary>
    protected virtual void LoadExtraState(string name, HostTensor value) =>
        throw new InvalidOperationException($"{GetType().Name} has no state entry '{name}'");

    private IEnumerable<(string Name, Tensor? Tensor, Module Owner, string Local)> Entries(string prefix)
    {
        foreach (var (n, t) in parameters) yield return (prefix + n, t, this, n);
        foreach (var (n, t) in buffers) yield return (prefix + n, t, this, n);
        foreach (var (n, _) in ExtraState()) yield return (prefix + n, null, this, n);
        foreach (var (n, m) in children)
            foreach (var e in m.Entries(prefix + n + "."))
                yield return e;
    }

    /// <summary>
    /// Host copies of every parameter, buffer and extra state entry under PyTorch's names, in PyTorch's order
    /// (per module: parameters, buffers, then children).
    /// </summary>
    public Dictionary<string, HostTensor> StateDict()
    {
        var result = new Dictionary<string, HostTensor>();
        foreach (var (name, tensor, owner, local) in Entries(""))
        {
            if (tensor is null)
            {
                result[name] = owner.ExtraState().First(e => e.Name == local).Value;
                continue;
            }
            result[name] = tensor.DType switch
            {
                DType.Float32 => new HostTensor(HostDType.Float32, tensor.Shape.ToArray(), tensor.ToArray<float>()),
                DType.Float64 => new HostTensor(HostDType.Float64, tensor.Shape.ToArray(), tensor.ToArray<double>()),
                _ => throw new NotSupportedException($"state entry {name} has dtype {tensor.DType.Name()}"),
            };
        }
        return result;
    }

    /// <summary>
    /// Copies values into this module's tensors. Strict (the default): a missing or unexpected key, or a shape
    /// that differs, is an error naming it, and nothing is changed. Float32/float64 convert to the tensor's dtype.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, HostTensor> state, bool strict = true)
    {
        var entries = Entries("").ToList();
        var problems = new List<string>();
        var names = new HashSet<string>(entries.Select(e => e.Name));
        if (strict)
        {
            foreach (var e in entries)
                if (!state.ContainsKey(e.Name)) problems.Add($"missing key '{e.Name}'");
            foreach (var k in state.Keys)
                if (!names.Contains(k)) problems.Add($"unexpected key '{k}'");
        }
        foreach (var e in entries)
        {
            if (!state.TryGetValue(e.Name, out var v)) continue;
            int[] expected = e.Tensor?.Shape.ToArray() ?? e.Owner.ExtraState().First(x => x.Name == e.Local).Value.Shape;
            if (!expected.SequenceEqual(v.Shape))
                problems.Add($"'{e.Name}': shape [{string.Join(", ", v.Shape)}] in the state dict, [{string.Join(", ", expected)}] in the model");
            else if (e.Tensor is not null && v.DType == HostDType.Int64)
                problems.Add($"'{e.Name}': int64 values for a floating tensor");
        }
        if (problems.Count > 0)
            throw new InvalidOperationException($"LoadStateDict for {GetType().Name}: " + string.Join("; ", problems));
        foreach (var e in entries)
        {
            if (!state.TryGetValue(e.Name, out var v)) continue;
            if (e.Tensor is null) { e.Owner.LoadExtraState(e.Local, v); continue; }
            using var host = Tensor.FromDoubles(v.ToDoubles(), v.Shape, e.Tensor.DType, e.Tensor.Device);
            host.CopyTo(e.Tensor);
        }
    }

    /// <summary>Disposes every parameter and buffer, recursively.</summary>
    public void Dispose()
    {
        foreach (var (_, t) in parameters) t.Dispose();
        foreach (var (_, t) in buffers) t.Dispose();
        foreach (var (_, m) in children) m.Dispose();
        GC.SuppressFinalize(this);
    }
}
