using ScratchNet.Tensors;

namespace ScratchNet.Nn.Optim;

/// <summary>
/// PyTorch's <c>torch.optim.Adam</c> (weight decay as L2 added to the gradient):
/// <c>g ← g + λθ; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²; θ ← θ − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε)</c>.
/// With <paramref name="decoupled"/> it is AdamW (see <see cref="AdamW"/>).
/// </summary>
public class Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 0, bool decoupled = false) : Optimizer(parameters, lr)
{
    private readonly Dictionary<int, (Tensor M, Tensor V)> state = new();

    /// <summary>β1.</summary>
    public double Beta1 { get; } = beta1;
    /// <summary>β2.</summary>
    public double Beta2 { get; } = beta2;
    /// <summary>ε.</summary>
    public double Eps { get; } = eps;
    /// <summary>λ.</summary>
    public double WeightDecay { get; } = weightDecay;

    /// <inheritdoc/>
    protected override void Update(int index, Tensor param, Tensor grad)
    {
        if (!state.TryGetValue(index, out var s))
        {
            s = (NewState(param), NewState(param));
            state[index] = s;
        }
        double t = StepCount;
        param.Device.Backend.AdamStep(param.Buffer, grad.Buffer, s.M.Buffer, s.V.Buffer, param.Numel,
            Lr, Beta1, Beta2, Eps, WeightDecay, 1 - Math.Pow(Beta1, t), 1 - Math.Pow(Beta2, t), decoupled);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames => ["exp_avg", "exp_avg_sq"];

    /// <inheritdoc/>
    protected override IEnumerable<(int Index, string Name, Tensor Tensor)> StateTensors()
    {
        foreach (var (i, (m, v)) in state.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value)))
        {
            yield return (i, "exp_avg", m);
            yield return (i, "exp_avg_sq", v);
        }
    }

    /// <inheritdoc/>
    protected override Tensor StateTensor(int index, string name)
    {
        if (!state.TryGetValue(index, out var s))
            state[index] = s = (NewState(Params[index]), NewState(Params[index]));
        return name switch
        {
            "exp_avg" => s.M,
            "exp_avg_sq" => s.V,
            _ => throw new InvalidOperationException($"Adam has no state '{name}' (expected exp_avg, exp_avg_sq)"),
        };
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (var (m, v) in state.Values) { m.Dispose(); v.Dispose(); }
        state.Clear();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// PyTorch's <c>torch.optim.AdamW</c>: decoupled weight decay <c>θ ← θ·(1 − lr·λ)</c>, then the Adam step
/// without the L2 term. Default λ = 0.01 as PyTorch.
/// </summary>
public sealed class AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
    double eps = 1e-8, double weightDecay = 0.01) : Adam(parameters, lr, beta1, beta2, eps, weightDecay, decoupled: true);
