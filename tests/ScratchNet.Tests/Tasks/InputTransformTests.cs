using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Tests.Tasks;

/// <summary>Grey conversion (BT.601 luma) and per-channel normalisation of a loader batch.</summary>
public class InputTransformTests
{
    [Fact]
    public void GreyIsBt601Luma()
    {
        // Two images of one pixel each (CHW).
        float[] rgb = [1, 0, 0, /* image 1 */ 0.2f, 0.4f, 0.6f];
        var x = InputTransform.Transform(rgb, 2, 1, new InputConfig { Size = 1, Channels = 1 });
        Assert.Equal(2, x.Length);
        Assert.Equal(0.299f, x[0], 6);
        Assert.Equal(0.299f * 0.2f + 0.587f * 0.4f + 0.114f * 0.6f, x[1], 6);
    }

    [Fact]
    public void EachChannelIsNormalisedWithItsMeanAndStd()
    {
        float[] rgb = [1, 0, 0.5f, /* image 1 */ 0.2f, 0.4f, 0.6f];
        var input = new InputConfig { Size = 1, Channels = 3, Mean = [0.5, 0.25, 0], Std = [0.5, 0.25, 2] };
        var x = InputTransform.Transform(rgb, 2, 1, input);
        Assert.Equal([1f, -1f, 0.25f, -0.6f, 0.6f, 0.3f], x.Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void WithoutNormalisationRgbPassesThroughAndGreyKeepsImagesApart()
    {
        var rng = new Random(1);
        var rgb = Enumerable.Range(0, 2 * 3 * 4).Select(_ => (float)rng.NextDouble()).ToArray(); // two 2×2 images
        Assert.Equal(rgb, InputTransform.Transform(rgb, 2, 2, new InputConfig { Size = 2, Channels = 3 }));
        var grey = InputTransform.Transform(rgb, 2, 2, new InputConfig { Size = 2, Channels = 1 });
        for (int n = 0; n < 2; n++)
            for (int p = 0; p < 4; p++)
                Assert.Equal(0.299f * rgb[n * 12 + p] + 0.587f * rgb[n * 12 + 4 + p] + 0.114f * rgb[n * 12 + 8 + p], grey[n * 4 + p], 6);
    }
}
