using ScratchNet.Nn.Data;

namespace ScratchNet.Tests.Data;

public class AugmentationTests
{
    private static byte[] RandomRgb(int w, int h, int seed)
    {
        var rgb = new byte[3 * w * h];
        new Random(seed).NextBytes(rgb);
        return rgb;
    }

    private static float[] Chw(byte[] rgb, int w, int h)
    {
        var chw = new float[rgb.Length];
        Augmentation.ToChw(rgb, w, h, chw);
        return chw;
    }

    [Fact]
    public void ToChwIsToTensorsLayoutAndScale()
    {
        byte[] rgb = [0, 128, 255, 10, 20, 30]; // 2×1 image
        var chw = Chw(rgb, 2, 1);
        Assert.Equal([0f, 10 / 255f, 128 / 255f, 20 / 255f, 1f, 30 / 255f], chw);
    }

    [Fact]
    public void NoneIsExactlyToChw()
    {
        var rgb = RandomRgb(9, 7, 1);
        var outp = new float[rgb.Length];
        Augmentation.None.Apply(rgb, 9, 7, outp, new Random(0));
        Assert.Equal(Chw(rgb, 9, 7), outp);
    }

    [Fact]
    public void FlipIsAnExactMirror()
    {
        const int w = 9, h = 7;
        var rgb = RandomRgb(w, h, 2);
        var outp = new float[rgb.Length];
        new Augmentation { FlipProbability = 1 }.Apply(rgb, w, h, outp, new Random(0));
        var plain = Chw(rgb, w, h);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    Assert.Equal(plain[c * w * h + y * w + (w - 1 - x)], outp[c * w * h + y * w + x]);
    }

    [Fact]
    public void Seed003KeepsShapeAndRangeAndIsDeterministicPerSeed()
    {
        const int s = 16;
        var rgb = RandomRgb(s, s, 3);
        var a = new float[rgb.Length];
        var b = new float[rgb.Length];
        var c = new float[rgb.Length];
        Augmentation.Seed003.Apply(rgb, s, s, a, new Random(42));
        Augmentation.Seed003.Apply(rgb, s, s, b, new Random(42));
        Augmentation.Seed003.Apply(rgb, s, s, c, new Random(43));
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(Chw(rgb, s, s), a);
    }

    [Fact]
    public void GeometryOnAFlatImageStaysFlatBecauseEdgesAreClamped()
    {
        const int s = 12;
        var rgb = Enumerable.Repeat<byte>(100, 3 * s * s).ToArray();
        var outp = new float[rgb.Length];
        var geo = Augmentation.Seed003 with { MinBrightness = 1, MaxBrightness = 1 };
        for (int seed = 0; seed < 5; seed++)
        {
            geo.Apply(rgb, s, s, outp, new Random(seed));
            Assert.All(outp, v => Assert.Equal(100 / 255f, v, 1e-5f));
        }
    }

    [Fact]
    public void BrightnessScalesAndClips()
    {
        byte[] rgb = [100, 200, 0];
        var outp = new float[3];
        new Augmentation { MinBrightness = 1.5, MaxBrightness = 1.5 }.Apply(rgb, 1, 1, outp, new Random(0));
        Assert.Equal(150 / 255f, outp[0], 1e-6f);
        Assert.Equal(1f, outp[1]);
        Assert.Equal(0f, outp[2]);
    }

    [Fact]
    public void ShiftMovesContentByTheDrawnAmount()
    {
        // A single bright column shifted right by (almost) the maximum lands further right.
        const int w = 20, h = 4;
        var rgb = new byte[3 * w * h];
        for (int y = 0; y < h; y++)
            rgb[3 * (y * w + 5)] = 255;
        var outp = new float[rgb.Length];
        var aug = new Augmentation { MaxShiftFraction = 0.15 };
        var rng = new Random(9);
        aug.Apply(rgb, w, h, outp, rng);
        int argmax = Enumerable.Range(0, w).MaxBy(x => outp[x]);
        // Replay the draws: flip, θ, tx, ty, … in the documented order.
        var replay = new Random(9);
        replay.NextDouble();
        replay.NextDouble();
        double tx = (replay.NextDouble() * 2 - 1) * 0.15 * w;
        Assert.InRange(argmax, (int)Math.Floor(5 + tx), (int)Math.Ceiling(5 + tx));
    }
}
