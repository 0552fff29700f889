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
}
