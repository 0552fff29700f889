namespace ScratchNet.Nn.Experiments;

/// <summary>What the training loop tells the person watching it.</summary>
public interface ITrainingProgress
{
    /// <summary>An epoch starts with <paramref name="batches"/> batches.</summary>
    void StartEpoch(int epoch, int totalEpochs, int batches);

    /// <summary>A batch finished: running mean loss and throughput so far in this epoch.</summary>
    void Batch(int done, double meanLoss, double imagesPerSecond);

    /// <summary>An epoch finished: <paramref name="summary"/> holds its losses and validation figures.</summary>
    void EpochSummary(int epoch, double seconds, string summary, bool isBest);

    /// <summary>A free-form line (warnings, checkpoints written).</summary>
    void Message(string text);
}
