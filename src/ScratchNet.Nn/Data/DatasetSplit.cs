namespace ScratchNet.Nn.Data;

/// <summary>Train, validation and test samples produced by <see cref="DatasetSplitter"/>; no group spans two of them.</summary>
/// <param name="Train">Training samples.</param>
/// <param name="Validation">Validation samples (early stopping, best checkpoint).</param>
/// <param name="Test">Held-out test samples.</param>
public sealed record DatasetSplit(IReadOnlyList<Sample> Train, IReadOnlyList<Sample> Validation, IReadOnlyList<Sample> Test);
