namespace ScratchNet.Nn.Data;

/// <summary>Settings of a <see cref="DataLoader"/> (PyTorch's <c>DataLoader(batch_size, shuffle, drop_last, …)</c> arguments).</summary>
public sealed record DataLoaderOptions
{
    /// <summary>S: images are resized to S×S.</summary>
    public required int ImageSize { get; init; }

    /// <summary>Samples per batch (the seed uses 16).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Reshuffle every epoch (training); false keeps sample order (evaluation).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seeds the epoch orders and the augmentation draws.</summary>
    public int Seed { get; init; }

    /// <summary>Augmentation applied to each image (null = none, as for evaluation).</summary>
    public Augmentation? Augmentation { get; init; }

    /// <summary>Drop the last, partial batch (PyTorch's <c>drop_last</c>).</summary>
    public bool DropLast { get; init; }

    /// <summary>Batches prepared ahead of the consumer (the bounded channel's capacity).</summary>
    public int PrefetchBatches { get; init; } = 3;

    /// <summary>Threads decoding one batch's images; −1 = all cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}
