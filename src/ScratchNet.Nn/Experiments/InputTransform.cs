using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Data;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// Turns a loader batch (RGB in [0, 1]) into the network's input: grey when <c>channels: 1</c>
/// (ITU-R BT.601 luma <c>0.299 R + 0.587 G + 0.114 B</c>, as PIL's <c>convert("L")</c>), then
/// <c>(x − mean_c) / std_c</c> per channel (torchvision's <c>Normalize</c>).
/// </summary>
public static class InputTransform
{
    /// <summary>The batch as an input tensor [B, C, S, S] on <paramref name="device"/>.</summary>
    public static Tensor ToTensor(Batch batch, InputConfig input, Device device)
    {
        // The loader fills mean/std per channel (0 and 1 when not given): then RGB needs no host pass at all.
        if (input.Channels == 3 && input.Mean.All(m => m == 0) && input.Std.All(s => s == 1)) return batch.ToTensor(device);
        return Tensor.FromArray(Transform(batch.Images, batch.Count, batch.ImageSize, input), [batch.Count, input.Channels, batch.ImageSize, batch.ImageSize], device);
    }

    /// <summary>The host-side transform of <paramref name="count"/> RGB CHW images of side <paramref name="size"/>.</summary>
    public static float[] Transform(float[] rgb, int count, int size, InputConfig input)
    {
        int plane = size * size, c = input.Channels;
        var x = new float[count * c * plane];
        for (int n = 0; n < count; n++)
        {
            var src = rgb.AsSpan(n * 3 * plane, 3 * plane);
            var dst = x.AsSpan(n * c * plane, c * plane);
            if (c == 1)
                for (int p = 0; p < plane; p++) dst[p] = 0.299f * src[p] + 0.587f * src[plane + p] + 0.114f * src[2 * plane + p];
            else src.CopyTo(dst);
            for (int ch = 0; ch < c; ch++)
            {
                float mean = input.Mean.Length > 0 ? (float)input.Mean[ch] : 0f;
                float inv = input.Std.Length > 0 ? (float)(1 / input.Std[ch]) : 1f;
                if (mean == 0 && inv == 1) continue;
                var channel = dst.Slice(ch * plane, plane);
                for (int p = 0; p < plane; p++) channel[p] = (channel[p] - mean) * inv;
            }
        }
        return x;
    }
}
