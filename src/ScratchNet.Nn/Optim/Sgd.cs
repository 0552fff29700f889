using ScratchNet.Tensors;

namespace ScratchNet.Nn.Optim;

/// <summary>
/// PyTorch's <c>torch.optim.SGD</c>: <c>g ← g + λθ</c>; with momentum μ, <c>b ← μ·b + (1−dampening)·g</c>
/// (b = g on the first step), <c>g ← nesterov ? g + μ·b : b</c>; <c>θ ← θ − lr·g</c>.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly Dictionary<int, Tensor> momentumBuffers = new();

    /// <summary>Creates the optimizer; Nesterov needs momentum &gt; 0 and zero dampening (as PyTorch).</summary>
    public Sgd(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weightDecay = 0, bool nesterov = false)
        : base(parameters, lr)
    {
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("SGD: Nesterov momentum requires a momentum > 0 and zero dampening");
        Momentum = momentum; Dampening = dampening; WeightDecay = weightDecay; Nesterov = nesterov;
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>Dampening.</summary>
    public double Dampening { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Tensor param, Tensor grad)
    {
        Tensor? buffer = null;
        bool first = false;
        if (Momentum != 0 && !momentumBuffers.TryGetValue(index, out buffer))
        {
            buffer = NewState(param);
            momentumBuffers[index] = buffer;
            first = true;
        }
        param.Device.Backend.SgdStep(param.Buffer, grad.Buffer, buffer?.Buffer, param.Numel, Lr, Momentum, Dampening, WeightDecay, Nesterov, first);
    }

    /// <inheritdoc/>
    protected override IReadOnlyList<string> StateNames => ["momentum_buffer"];

    /// <inheritdoc/>
    protected override IEnumerable<(int Index, string Name, Tensor Tensor)> StateTensors() =>
        momentumBuffers.OrderBy(kv => kv.Key).Select(kv => (kv.Key, "momentum_buffer", kv.Value));

    /// <inheritdoc/>
    protected override Tensor StateTensor(int index, string name)
    {
        if (name != "momentum_buffer") throw new InvalidOperationException($"SGD has no state '{name}' (expected momentum_buffer)");
        if (!momentumBuffers.TryGetValue(index, out var b)) momentumBuffers[index] = b = NewState(Params[index]);
        return b;
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        foreach (var b in momentumBuffers.Values) b.Dispose();
        momentumBuffers.Clear();
    }
}
