namespace ScratchNet.Nn.Models;

/// <summary>
/// One task head of a <see cref="MultiHeadCnn"/>: an MLP on the pooled features,
/// <c>Linear(features, h₁) → act → Dropout(p) → … → Linear(h_k, outputs)</c>, one hidden layer per entry of
/// <paramref name="Hidden"/> (none when it is empty: <c>Dropout(p) → Linear(features, outputs)</c>). The loss decides
/// how the outputs are read (logits, a value, tag logits).
/// </summary>
/// <param name="Name">Task name; also the state-dict prefix <c>heads.{Name}</c> under <see cref="ModuleNames.ScratchNet"/>.</param>
/// <param name="Outputs">Output units (classes, 1 for regression, tags).</param>
/// <param name="Hidden">Hidden widths, first to last (empty for a single linear layer).</param>
/// <param name="Dropout">Dropout after each hidden activation (before the first layer when there is none).</param>
/// <param name="Activation"><see cref="HeadActivation.Gelu"/> or <see cref="HeadActivation.Relu"/>, after each hidden layer.</param>
/// <param name="Module">Under <see cref="ModuleNames.Seed"/>: the head's top-level module name (seed 000: <c>classifier</c>, <c>regressor</c>).</param>
public sealed record HeadSpec(string Name, int Outputs, IReadOnlyList<int> Hidden, double Dropout = 0.0, HeadActivation Activation = HeadActivation.Gelu, string? Module = null)
{
    /// <summary>A head with one hidden layer of <paramref name="hidden"/> units (none when 0).</summary>
    public HeadSpec(string name, int outputs, int hidden = 32, double dropout = 0.0)
        : this(name, outputs, hidden > 0 ? [hidden] : [], dropout) { }
}

/// <summary>The non-linearity between a head's hidden layers.</summary>
public enum HeadActivation
{
    /// <summary>GELU (erf form), as seed 000's classifier.</summary>
    Gelu,
    /// <summary>ReLU, as seed 000's regressor.</summary>
    Relu,
}

/// <summary>How a <see cref="MultiHeadCnn"/>'s modules are named in its state dict.</summary>
public enum ModuleNames
{
    /// <summary><c>trunk.*</c>, <c>heads.{task}.tail.*</c>, <c>heads.{task}.mlp.*</c>: any backbone, any heads.</summary>
    ScratchNet,
    /// <summary>
    /// Seed 000's PyTorch <c>MultiTaskCNN</c> names: the trunk plus its global pooling is <c>encoder.*</c> and each
    /// head is one top-level <c>Sequential</c> named by <see cref="HeadSpec.Module"/> (<c>Flatten → Linear → act →
    /// [Dropout] → … → Linear</c>, dropout only where p &gt; 0), so <c>classifier.1.weight</c> … <c>regressor.5.bias</c>
    /// load into the seed's PyTorch model and back. Seed encoder only.
    /// </summary>
    Seed,
}
