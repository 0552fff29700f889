using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>
/// PyTorch's <c>nn.Dropout</c>: in training zeroes each element with probability p and scales the rest by
/// 1/(1−p); the identity in eval. Each forward draws a fresh mask from a seeded stream (seed from
/// <see cref="Init"/>, then a counter), so runs are reproducible; <see cref="FixedSeed"/> pins one mask
/// (for gradient checks).
/// </summary>
public sealed class Dropout : Layer
{
    private readonly ulong baseSeed;
    private ulong calls;

    /// <summary>Creates the layer.</summary>
    public Dropout(double p = 0.5)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: p must be in [0, 1), got {p}");
        P = p;
        baseSeed = Init.NextSeed();
    }

    /// <summary>Drop probability.</summary>
    public double P { get; }

    /// <summary>When set, every forward uses this mask seed.</summary>
    public ulong? FixedSeed { get; set; }

    /// <summary>
    /// Ties the masks to a training step: every Dropout in <paramref name="model"/> draws its mask from
    /// (its own seed, <paramref name="step"/>). A resumed run then replays exactly the masks an uninterrupted one
    /// would have drawn.
    /// </summary>
    public static void SeedForStep(Module model, long step)
    {
        foreach (var (_, m) in model.NamedModules())
            if (m is Dropout d) d.FixedSeed = d.baseSeed + 0x9E3779B97F4A7C15UL * (ulong)(step + 1);
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        ulong seed = FixedSeed ?? baseSeed + 0x9E3779B97F4A7C15UL * ++calls;
        return Functional.Dropout(x, P, Training, seed);
    }
}
