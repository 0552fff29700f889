namespace ScratchNet.Nn.Models;

/// <summary>
/// One task head of a <see cref="MultiHeadCnn"/>: an MLP on the pooled features,
/// <c>Linear(features, hidden) → GELU → Dropout(p) → Linear(hidden, outputs)</c> (no hidden layer when
/// <paramref name="Hidden"/> is 0). The loss decides how the outputs are read (logits, a value, tag logits).
/// </summary>
/// <param name="Name">Task name; also the state-dict prefix <c>heads.{Name}</c>.</param>
/// <param name="Outputs">Output units (classes, 1 for regression, tags).</param>
/// <param name="Hidden">Hidden width (0 for a single linear layer).</param>
/// <param name="Dropout">Dropout before the last layer.</param>
public sealed record HeadSpec(string Name, int Outputs, int Hidden = 32, double Dropout = 0.0);
