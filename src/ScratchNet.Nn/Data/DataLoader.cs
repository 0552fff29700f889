using System.Collections.Concurrent;
using System.Threading.Channels;

namespace ScratchNet.Nn.Data;

/// <summary>
/// Turns samples into shuffled, augmented mini-batches with background prefetch. PyTorch's twin:
/// <c>torch.utils.data.DataLoader</c> over an image <c>Dataset</c> (with <c>num_workers</c> threads instead of processes).
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Epoch e's order is a pure function of (seed, e), and each image's augmentation RNG is
/// seeded from (seed, e, sample index), so batch contents never depend on thread timing and a run resumed at epoch
/// e sees exactly the batches the uninterrupted run saw.</para>
/// <para><b>Prefetch.</b> <see cref="GetEpoch"/> starts a producer task that decodes (through the <see cref="ImageCache"/>)
/// and augments the next batches with <c>Parallel.For</c> over the batch's images and writes them to a bounded
/// channel; the consumer only waits when the producer is behind, which after the first epoch (cache warm) it rarely is.
/// Leaving the loop early, cancelling, or disposing the loader cancels the producer and waits for it, so nothing
/// keeps running in the background.</para>
/// <para><b>Bad images.</b> An image that fails to decode is left out of its batch (the batch is smaller), recorded
/// once in <see cref="Failures"/>, and not retried in later epochs. A batch whose images all fail is not yielded.</para>
/// </remarks>
public sealed class DataLoader : IDisposable
{
    private readonly IReadOnlyList<Sample> samples;
    private readonly int targetCount;
    private readonly ConcurrentDictionary<int, SkippedRow> failures = new();
    private readonly CancellationTokenSource disposeCts = new();
    private readonly ConcurrentDictionary<Task, byte> producers = new();
    private volatile bool disposed;

    /// <summary>
    /// Creates a loader over <paramref name="samples"/> (all with the same number of targets). Images are decoded
    /// through <paramref name="cache"/>; pass one shared cache to train and validation loaders, or null for a private
    /// unbounded one.
    /// </summary>
    public DataLoader(IReadOnlyList<Sample> samples, DataLoaderOptions options, ImageCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(options);
        if (options.ImageSize <= 0 || options.BatchSize <= 0 || options.PrefetchBatches <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), $"image size, batch size and prefetch must be positive: {options}");
        this.samples = samples;
        Options = options;
        Cache = cache ?? new ImageCache();
        targetCount = samples.Count > 0 ? samples[0].Targets.Length : 0;
        for (int i = 0; i < samples.Count; i++)
            if (samples[i].Targets.Length != targetCount)
                throw new ArgumentException($"sample {i} ({samples[i].ImagePath}) has {samples[i].Targets.Length} targets, sample 0 has {targetCount}", nameof(samples));
    }

    /// <summary>The settings.</summary>
    public DataLoaderOptions Options { get; }

    /// <summary>The decoded-image cache.</summary>
    public ImageCache Cache { get; }

    /// <summary>The samples, in the order <see cref="Batch.Indices"/> refers to.</summary>
    public IReadOnlyList<Sample> Samples => samples;

    /// <summary>Batches per epoch, before any images fail (the last partial batch counts unless <see cref="DataLoaderOptions.DropLast"/>).</summary>
    public int BatchesPerEpoch => Options.DropLast ? samples.Count / Options.BatchSize : (samples.Count + Options.BatchSize - 1) / Options.BatchSize;

    /// <summary>Images that failed to decode so far, as skipped rows (CSV line when known), ordered by sample index.</summary>
    public IReadOnlyList<SkippedRow> Failures => failures.OrderBy(kv => kv.Key).Select(kv => kv.Value).ToArray();

    /// <summary>The order in which epoch <paramref name="epoch"/> visits sample indices: identity without shuffle, else a permutation that depends only on (seed, epoch).</summary>
    public int[] EpochOrder(int epoch)
    {
        var order = Enumerable.Range(0, samples.Count).ToArray();
        if (Options.Shuffle)
            SeedMix.Shuffle(order, SeedMix.Mix(Options.Seed, epoch, 0xE90C));
        return order;
    }

    /// <summary>
    /// The batches of epoch <paramref name="epoch"/>, prepared in the background. Enumerate it once; breaking out of
    /// the loop stops the producer. Cancelling <paramref name="cancellationToken"/> or disposing the loader ends the
    /// enumeration with <see cref="OperationCanceledException"/>.
    /// </summary>
    public IEnumerable<Batch> GetEpoch(int epoch, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return Iterate(epoch, cancellationToken);
    }

    private IEnumerable<Batch> Iterate(int epoch, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        var order = EpochOrder(epoch);
        var channel = Channel.CreateBounded<Batch>(new BoundedChannelOptions(Options.PrefetchBatches)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, disposeCts.Token);
        var token = cts.Token;
        var producer = Task.Run(() => ProduceAsync(order, epoch, channel.Writer, token));
        producers.TryAdd(producer, 0);
        try
        {
            var reader = channel.Reader;
            // Blocking waits are deliberate: the training loop is synchronous and has nothing else to do meanwhile.
            while (reader.WaitToReadAsync(token).AsTask().GetAwaiter().GetResult())
            {
                while (reader.TryRead(out var batch))
                {
                    // Stop at once on cancellation rather than draining what is already queued.
                    token.ThrowIfCancellationRequested();
                    yield return batch;
                }
            }
        }
        finally
        {
            cts.Cancel();
            try
            {
                producer.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Expected when we stopped it early.
            }
            producers.TryRemove(producer, out _);
        }
    }

    private async Task ProduceAsync(int[] order, int epoch, ChannelWriter<Batch> writer, CancellationToken token)
    {
        Exception? error = null;
        try
        {
            int bs = Options.BatchSize, nBatches = BatchesPerEpoch;
            for (int b = 0; b < nBatches; b++)
            {
                token.ThrowIfCancellationRequested();
                int start = b * bs, count = Math.Min(bs, order.Length - start);
                var batch = BuildBatch(order.AsSpan(start, count).ToArray(), epoch, b, token);
                if (batch is not null)
                    await writer.WriteAsync(batch, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Cancellation is a normal way to stop; the consumer already knows.
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            writer.TryComplete(error);
        }
    }

    private Batch? BuildBatch(int[] indices, int epoch, int batchIndex, CancellationToken token)
    {
        int s = Options.ImageSize, per = 3 * s * s;
        var images = new float[indices.Length * per];
        var ok = new bool[indices.Length];
        var po = new ParallelOptions { CancellationToken = token, MaxDegreeOfParallelism = Options.MaxDegreeOfParallelism };
        Parallel.For(0, indices.Length, po, i =>
        {
            int idx = indices[i];
            if (failures.ContainsKey(idx))
                return;
            var sample = samples[idx];
            byte[] rgb;
            try
            {
                rgb = Cache.GetOrDecode(sample.ImagePath, s, s);
            }
            catch (ImageDecodeException e)
            {
                failures.TryAdd(idx, sample.SourceLine > 0
                    ? new SkippedRow(sample.ImagePath, sample.SourceLine, e.Reason)
                    : new SkippedRow(sample.ImagePath, 0, e.Reason));
                return;
            }
            var dst = images.AsSpan(i * per, per);
            if (Options.Augmentation is { } aug)
                aug.Apply(rgb, s, s, dst, new Random(SeedMix.Mix(Options.Seed, epoch, idx)));
            else
                Augmentation.ToChw(rgb, s, s, dst);
            ok[i] = true;
        });

        int good = ok.Count(x => x);
        if (good == 0)
            return null;
        if (good < indices.Length)
        {
            // Compact: keep the order of the survivors so content stays deterministic.
            var kept = new float[good * per];
            var keptIdx = new int[good];
            for (int i = 0, j = 0; i < indices.Length; i++)
            {
                if (!ok[i])
                    continue;
                images.AsSpan(i * per, per).CopyTo(kept.AsSpan(j * per, per));
                keptIdx[j++] = indices[i];
            }
            (images, indices) = (kept, keptIdx);
        }
        var targets = new double[indices.Length * targetCount];
        for (int i = 0; i < indices.Length; i++)
            samples[indices[i]].Targets.CopyTo(targets, i * targetCount);
        return new Batch(images, targets, indices, s, targetCount, epoch, batchIndex);
    }

    /// <summary>Stops any running producer (waiting for it to finish its current image) and forbids new epochs.</summary>
    public void Dispose()
    {
        if (disposed)
            return;
        disposed = true;
        disposeCts.Cancel();
        foreach (var p in producers.Keys)
        {
            try
            {
                p.Wait(TimeSpan.FromSeconds(30));
            }
            catch (AggregateException)
            {
                // The producer reports errors through its channel; here we only wait for it to stop.
            }
        }
        // disposeCts is deliberately not disposed: an epoch enumerable created before Dispose may still link to its
        // token, and a CancellationTokenSource without timers holds nothing that needs releasing.
    }
}
