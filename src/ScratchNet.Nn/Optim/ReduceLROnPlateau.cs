namespace ScratchNet.Nn.Optim;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: after <see cref="Patience"/> epochs without improvement of a monitored
/// metric, <c>lr ← max(lr·factor, min_lr)</c>, then wait <see cref="Cooldown"/> epochs. Improvement is relative:
/// better than best·(1 ∓ threshold) (PyTorch's default threshold mode 'rel').
/// </summary>
public sealed class ReduceLROnPlateau
{
    private readonly Optimizer optimizer;
    private int badEpochs, cooldownLeft;

    /// <summary>Watches <paramref name="optimizer"/>'s learning rate.</summary>
    public ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1, int patience = 10,
        double threshold = 1e-4, int cooldown = 0, double minLr = 0)
    {
        if (mode is not ("min" or "max")) throw new ArgumentException($"ReduceLROnPlateau: mode must be 'min' or 'max', got '{mode}'");
        if (factor <= 0 || factor >= 1) throw new ArgumentOutOfRangeException(nameof(factor), $"ReduceLROnPlateau: factor must be in (0, 1), got {factor}");
        this.optimizer = optimizer;
        Mode = mode; Factor = factor; Patience = patience; Threshold = threshold; Cooldown = cooldown; MinLr = minLr;
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>"min" (loss, MAE) or "max" (accuracy).</summary>
    public string Mode { get; }
    /// <summary>Multiplier applied on a plateau.</summary>
    public double Factor { get; }
    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }
    /// <summary>Relative improvement that counts.</summary>
    public double Threshold { get; }
    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }
    /// <summary>Floor of the learning rate.</summary>
    public double MinLr { get; }
    /// <summary>Best metric so far.</summary>
    public double Best { get; private set; }

    /// <summary>Records one epoch's metric; returns true when the learning rate was reduced.</summary>
    public bool Step(double metric)
    {
        if (IsBetter(metric)) { Best = metric; badEpochs = 0; }
        else badEpochs++;
        if (cooldownLeft > 0) { cooldownLeft--; badEpochs = 0; }
        if (badEpochs <= Patience) return false;
        double newLr = Math.Max(optimizer.Lr * Factor, MinLr);
        badEpochs = 0;
        cooldownLeft = Cooldown;
        if (optimizer.Lr - newLr <= 1e-8) return false; // PyTorch's eps: no change below it
        optimizer.Lr = newLr;
        return true;
    }

    private bool IsBetter(double metric) => !double.IsNaN(metric) &&
        (Mode == "min" ? metric < Best * (1 - Threshold) || double.IsPositiveInfinity(Best) : metric > Best * (1 + Threshold) || double.IsNegativeInfinity(Best));
}
