namespace ScratchNet.Nn.Experiments;

/// <summary>The training loss became NaN or infinite: the weights are no longer usable (the last saved checkpoint still is).</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
