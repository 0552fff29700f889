using ScratchNet.Tensors;

namespace ScratchNet.Nn.Optim;

/// <summary>
/// Base of the optimizers, as <c>torch.optim.Optimizer</c> with one parameter group: holds the parameters, the
/// learning rate (which schedulers change) and per-parameter state tensors on the parameters' device.
/// Updates run as backend kernels in place: nothing is copied to the host during a step.
/// </summary>
public abstract class Optimizer : IDisposable
{
    private readonly List<Tensor> parameters;

    /// <summary>Takes the parameters to update (e.g. <c>model.Parameters()</c>).</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, double lr)
    {
        this.parameters = parameters.ToList();
        if (this.parameters.Count == 0) throw new ArgumentException($"{GetType().Name}: got an empty parameter list");
        if (lr <= 0 || double.IsNaN(lr)) throw new ArgumentOutOfRangeException(nameof(lr), $"{GetType().Name}: learning rate must be positive, got {lr}");
        foreach (var p in this.parameters)
            if (!p.RequiresGrad) throw new ArgumentException($"{GetType().Name}: parameter {p} does not require a gradient");
        Lr = lr;
    }

    /// <summary>The parameters.</summary>
    public IReadOnlyList<Tensor> Params => parameters;

    /// <summary>The current learning rate.</summary>
    public double Lr { get; set; }

    /// <summary>Steps taken.</summary>
    public long StepCount { get; private set; }

    /// <summary>Updates every parameter that has a gradient (parameters without one are skipped, as PyTorch does).</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            if (p.Grad is null) continue;
            Update(i, p, p.Grad);
        }
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in parameters) p.ZeroGrad();
    }

    /// <summary>Applies one update to parameter <paramref name="index"/>.</summary>
    protected abstract void Update(int index, Tensor param, Tensor grad);

    /// <summary>A zero state tensor shaped like <paramref name="param"/>, owned by the optimizer (not by any scope).</summary>
    protected static Tensor NewState(Tensor param) =>
        TensorScope.Untrack(Tensor.Zeros(param.Shape.ToArray(), param.DType, param.Device));

    /// <summary>Releases the optimizer's state tensors.</summary>
    public abstract void Dispose();

    /// <summary>
    /// Host copies of the optimizer's state, for a resumable checkpoint: <c>step</c> and <c>lr</c>, then
    /// <c>state.{i}.{name}</c> per parameter index (PyTorch's optimizer state-dict layout, flattened).
    /// </summary>
    public Dictionary<string, HostTensor> StateDict()
    {
        var result = new Dictionary<string, HostTensor>
        {
            ["step"] = new HostTensor(HostDType.Int64, [], new[] { StepCount }),
            ["lr"] = new HostTensor(HostDType.Float64, [], new[] { Lr }),
        };
        foreach (var (index, name, tensor) in StateTensors())
            result[$"state.{index}.{name}"] = tensor.DType == Kernels.DType.Float64
                ? new HostTensor(HostDType.Float64, tensor.Shape.ToArray(), tensor.ToArray<double>())
                : new HostTensor(HostDType.Float32, tensor.Shape.ToArray(), tensor.ToArray<float>());
        return result;
    }

    /// <summary>Restores <see cref="StateDict"/>'s output; shapes must match the parameters.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, HostTensor> state)
    {
        if (!state.TryGetValue("step", out var step) || !state.TryGetValue("lr", out var lr))
            throw new InvalidOperationException($"{GetType().Name}.LoadStateDict: the state has no 'step' or 'lr' entry");
        // Each parameter that has state must have all of it: a half-present state would resume with zeros.
        var names = state.Keys.Where(k => k.StartsWith("state.", StringComparison.Ordinal)).Select(k => k.Split('.'))
            .Where(p => p.Length == 3).GroupBy(p => p[1], p => p[2]);
        foreach (var g in names)
            if (StateNames.Except(g).FirstOrDefault() is { } missing)
                throw new InvalidOperationException($"{GetType().Name}.LoadStateDict: parameter {g.Key} has {string.Join(", ", g)} but no '{missing}' (the optimizer state is incomplete)");
        StepCount = (long)step.ToDoubles()[0];
        Lr = lr.ToDoubles()[0];
        foreach (var (key, value) in state)
        {
            if (!key.StartsWith("state.", StringComparison.Ordinal)) continue;
            var parts = key.Split('.');
            if (parts.Length != 3 || !int.TryParse(parts[1], out int index) || index < 0 || index >= parameters.Count)
                throw new InvalidOperationException($"{GetType().Name}.LoadStateDict: unexpected entry '{key}' for {parameters.Count} parameters");
            var p = parameters[index];
            if (!p.Shape.SequenceEqual(value.Shape))
                throw new InvalidOperationException($"{GetType().Name}.LoadStateDict: '{key}' has shape [{string.Join(", ", value.Shape)}] but parameter {index} is {p}");
            var target = StateTensor(index, parts[2]);
            using var host = Tensor.FromDoubles(value.ToDoubles(), value.Shape, p.DType, p.Device);
            host.CopyTo(target);
        }
    }

    /// <summary>The names of one parameter's state tensors (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>): a parameter with state has all of them.</summary>
    protected virtual IReadOnlyList<string> StateNames => [];

    /// <summary>Every state tensor with its parameter index and name (e.g. <c>exp_avg</c>).</summary>
    protected abstract IEnumerable<(int Index, string Name, Tensor Tensor)> StateTensors();

    /// <summary>The state tensor <paramref name="name"/> of parameter <paramref name="index"/>, created (zero) if absent.</summary>
    protected abstract Tensor StateTensor(int index, string name);
}
