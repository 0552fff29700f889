using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Data;

/// <summary>
/// One mini-batch from <see cref="DataLoader"/>: images as float32 NCHW [B, 3, S, S] in [0, 1] (torchvision's
/// <c>ToTensor()</c> layout), the B target rows flattened to [B, T] (NaN = missing), and which samples they are.
/// PyTorch's twin is the <c>(images, targets)</c> tuple a <c>DataLoader</c> yields, still on the host.
/// </summary>
public sealed class Batch
{
    /// <summary>Creates a batch; array lengths must agree with the sample count, <c>indices.Length</c>.</summary>
    public Batch(float[] images, double[] targets, int[] indices, int imageSize, int targetCount, int epoch, int batchIndex)
    {
        int count = indices.Length;
        if (images.Length != count * 3 * imageSize * imageSize)
            throw new ArgumentException($"{images.Length} image floats do not make {count}×3×{imageSize}×{imageSize}", nameof(images));
        if (targets.Length != count * targetCount)
            throw new ArgumentException($"{targets.Length} targets do not make {count}×{targetCount}", nameof(targets));
        Images = images;
        Targets = targets;
        Indices = indices;
        ImageSize = imageSize;
        TargetCount = targetCount;
        Epoch = epoch;
        BatchIndex = batchIndex;
    }

    /// <summary>Pixels, [B, 3, S, S] row-major, in [0, 1].</summary>
    public float[] Images { get; }

    /// <summary>Targets, [B, T] row-major; NaN = missing label.</summary>
    public double[] Targets { get; }

    /// <summary>Positions of the B samples in the loader's sample list.</summary>
    public int[] Indices { get; }

    /// <summary>B: samples in this batch (can be smaller than the batch size: the last batch, or images that failed to decode).</summary>
    public int Count => Indices.Length;

    /// <summary>S: image side length.</summary>
    public int ImageSize { get; }

    /// <summary>T: target slots per sample.</summary>
    public int TargetCount { get; }

    /// <summary>The epoch this batch belongs to.</summary>
    public int Epoch { get; }

    /// <summary>0-based position of this batch within its epoch.</summary>
    public int BatchIndex { get; }

    /// <summary>[B, 3, S, S].</summary>
    public int[] ImageShape => [Count, 3, ImageSize, ImageSize];

    /// <summary>Target slot <paramref name="slot"/> of sample <paramref name="i"/> in this batch.</summary>
    public double Target(int i, int slot) => Targets[i * TargetCount + slot];

    /// <summary>A copy of sample <paramref name="i"/>'s target row.</summary>
    public double[] TargetRow(int i) => Targets.AsSpan(i * TargetCount, TargetCount).ToArray();

    /// <summary>One target slot for every sample of the batch, length B.</summary>
    public double[] TargetColumn(int slot)
    {
        var col = new double[Count];
        for (int i = 0; i < Count; i++)
            col[i] = Targets[i * TargetCount + slot];
        return col;
    }

    /// <summary>The images as a float32 tensor [B, 3, S, S] on <paramref name="device"/> (one host→device copy).</summary>
    public Tensor ToTensor(Device device) => Tensor.FromArray(Images, ImageShape, device);

    /// <summary>The targets as a tensor [B, T] of <paramref name="dtype"/> on <paramref name="device"/>; NaN stays NaN (mask it in the loss).</summary>
    public Tensor TargetsToTensor(Device device, DType dtype = DType.Float32) =>
        Tensor.FromDoubles(Targets, [Count, TargetCount], dtype, device);
}
