using ScratchNet.Nn.Modules;

namespace ScratchNet.Nn.Optim;

/// <summary>
/// Keras' <c>EarlyStopping(patience, restore_best_weights=True)</c>: stop after <see cref="Patience"/> epochs
/// without improvement (by more than <see cref="MinDelta"/>) of a monitored metric, and put back the best
/// epoch's weights. Seed 000 keeps the model with the best validation MAE.
/// </summary>
public sealed class EarlyStopping
{
    private Dictionary<string, HostTensor>? bestState;
    private int badEpochs;

    /// <summary>Creates the rule.</summary>
    public EarlyStopping(int patience, string mode = "min", double minDelta = 0, bool restoreBestWeights = true)
    {
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), "EarlyStopping: patience must be ≥ 0");
        if (mode is not ("min" or "max")) throw new ArgumentException($"EarlyStopping: mode must be 'min' or 'max', got '{mode}'");
        Patience = patience; Mode = mode; MinDelta = minDelta; RestoreBestWeights = restoreBestWeights;
        Best = mode == "min" ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>Epochs without improvement tolerated.</summary>
    public int Patience { get; }
    /// <summary>"min" or "max".</summary>
    public string Mode { get; }
    /// <summary>Smallest change that counts as improvement.</summary>
    public double MinDelta { get; }
    /// <summary>Whether <see cref="RestoreBest"/> puts back the best weights.</summary>
    public bool RestoreBestWeights { get; }
    /// <summary>Best metric so far.</summary>
    public double Best { get; private set; }
    /// <summary>Epoch index (0-based) of the best metric.</summary>
    public int BestEpoch { get; private set; } = -1;
    /// <summary>Epochs seen.</summary>
    public int Epochs { get; private set; }

    /// <summary>Records an epoch's metric; snapshots the weights when it improved; returns true when training should stop.</summary>
    public bool Step(double metric, Module model)
    {
        bool improved = !double.IsNaN(metric) && (Mode == "min" ? metric < Best - MinDelta : metric > Best + MinDelta);
        if (improved)
        {
            Best = metric;
            BestEpoch = Epochs;
            badEpochs = 0;
            if (RestoreBestWeights) bestState = model.StateDict();
        }
        else badEpochs++;
        Epochs++;
        return badEpochs >= Math.Max(Patience, 1);
    }

    /// <summary>Loads the best epoch's weights into <paramref name="model"/> (no-op if none was recorded).</summary>
    public void RestoreBest(Module model)
    {
        if (RestoreBestWeights && bestState is not null) model.LoadStateDict(bestState);
    }
}
