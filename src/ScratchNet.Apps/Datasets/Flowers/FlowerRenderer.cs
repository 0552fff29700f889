using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Renders one flower photo for (seed, index, type, colour): backdrop, stems, a possible second head, the main
/// head, then the camera (metering, exposure error, white balance, blur, noise).
/// </summary>
/// <remarks>
/// <para><b>Determinism.</b> Each ingredient draws from its own generator seeded with (seed, stream, index), so the
/// pixels depend only on those inputs — not on the thread or the order of rendering. Separate streams also make the
/// composition, light, backdrop and camera of an index identical whatever its labels are: only the heads change.
/// That is the strongest guarantee that the background carries no label information, and the tests use it.</para>
/// <para><b>Resolution.</b> All geometry is in frame fractions and every random draw precedes the pixel loops, so one
/// index shows the same scene at any size. The foreground is supersampled 4×4 up to 40 px, 3×3 up to 96 px and 2×2
/// above.</para>
/// </remarks>
internal sealed class FlowerRenderer(long seed)
{
    private const ulong LayoutStream = 20, HeadStream = 21, SecondHeadStream = 22, StemStream = 23, BackdropStream = 24,
                        CameraStream = 25, ColourStream = 26, LightStream = 27;

    /// <summary>The dataset seed.</summary>
    public long Seed { get; } = seed;

    /// <summary>Renders picture <paramref name="index"/> showing a <paramref name="colour"/> <paramref name="type"/>.</summary>
    public FlowerImage Render(long index, FlowerType type, FlowerColour colour, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var layoutRng = SkyRandom.Derive(Seed, LayoutStream, index);
        var layout = FlowerLayout.Draw(ref layoutRng);
        var lightRng = SkyRandom.Derive(Seed, LightStream, index);
        var light = SceneLight.Draw(ref lightRng);
        var colourRng = SkyRandom.Derive(Seed, ColourStream, index);
        var petalColour = PetalPalette.Draw(colour, ref colourRng);

        var img = new float[size * size * 3];
        var backdropRng = SkyRandom.Derive(Seed, BackdropStream, index);
        Backdrops.Render(layout.Backdrop, img, size, light, ref backdropRng);

        int ss = size <= 40 ? 4 : size <= 96 ? 3 : 2;
        var canvas = new FlowerCanvas(size, ss);
        var stemRng = SkyRandom.Derive(Seed, StemStream, index);
        var mainStem = StemShape.Draw(layout.Main.CenterX, layout.Main.CenterY, layout.Main.Radius, ref stemRng);
        if (layout.Second is { } second)
        {
            var secondStem = StemShape.Draw(second.CenterX, second.CenterY, second.Radius, ref stemRng);
            if (layout.SecondStem) canvas.Paint(StemShape.At(secondStem, size, light));
            var headRng = SkyRandom.Derive(Seed, SecondHeadStream, index);
            var secondColour = PetalPalette.Vary(petalColour, ref headRng);
            canvas.Paint(new PosedHead(DrawHead(type, colour, secondColour, ref headRng), second.Scaled(size), light));
        }
        if (layout.MainStem) canvas.Paint(StemShape.At(mainStem, size, light));
        var mainRng = SkyRandom.Derive(Seed, HeadStream, index);
        canvas.Paint(new PosedHead(DrawHead(type, colour, petalColour, ref mainRng), layout.Main.Scaled(size), light));

        var (petal, disc) = canvas.ComposeOver(img);
        var cameraRng = SkyRandom.Derive(Seed, CameraStream, index);
        var cam = CameraSettings.Draw(ref cameraRng);
        double key = Metering.Key(img, petal);
        var rgb = CameraPipeline.Develop(img, size, cam, key, ref cameraRng);
        return new FlowerImage(rgb, size, petal, disc, type, colour, layout);
    }

    private static IFlowerHead DrawHead(FlowerType type, FlowerColour label, Rgb petalColour, ref SkyRandom rng) => type == FlowerType.Daisy
        ? DaisyHead.Draw(petalColour, label, ref rng)
        : RoseHead.Draw(petalColour, ref rng);
}
