namespace ScratchNet.Nn.Optim;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c> (closed form): after epoch e of T,
/// <c>lr = η_min + (η_max − η_min)·(1 + cos(π·e/T))/2</c>, falling smoothly from the initial rate to η_min.
/// Stateless in e, so a resumed run sets the same rate as an uninterrupted one.
/// </summary>
public sealed class CosineAnnealingLR(Optimizer optimizer, int totalEpochs, double minLr = 0)
{
    /// <summary>The starting (maximum) rate, read from the optimizer at construction.</summary>
    public double BaseLr { get; } = optimizer.Lr;

    /// <summary>Epochs over which the rate anneals.</summary>
    public int TotalEpochs { get; } = totalEpochs > 0 ? totalEpochs : throw new ArgumentOutOfRangeException(nameof(totalEpochs), "must be positive");

    /// <summary>The rate for training epoch <paramref name="epoch"/> (0-based: epoch 0 uses the base rate).</summary>
    public double RateAt(int epoch) => minLr + (BaseLr - minLr) * (1 + Math.Cos(Math.PI * Math.Min(epoch, TotalEpochs) / TotalEpochs)) / 2;

    /// <summary>Sets the optimizer's rate for epoch <paramref name="epoch"/>.</summary>
    public void SetEpoch(int epoch) => optimizer.Lr = RateAt(epoch);
}
