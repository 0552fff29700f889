using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// The composition of one picture, in frame fractions: where the main head is, whether a second, smaller head
/// of the same kind is behind it, which heads show a stem, what backdrop. Drawn without looking at the labels.
/// </summary>
/// <param name="Main">The main head's pose.</param>
/// <param name="Second">The second head's pose, or null.</param>
/// <param name="MainStem">Whether the main head shows a stem.</param>
/// <param name="SecondStem">Whether the second head shows a stem.</param>
/// <param name="Backdrop">The background kind.</param>
internal sealed record FlowerLayout(FlowerPose Main, FlowerPose? Second, bool MainStem, bool SecondStem, BackdropKind Backdrop)
{
    /// <summary>
    /// Draws a layout. The head's diameter is 30–90 % of the frame side; its centre is within ±0.2 of the middle,
    /// or (one time in four) within ±0.42, where a big head is cut by the frame. Tilt is drawn so that the
    /// foreshortening cos τ is uniform in [0.55, 1]. A second head (30 %) is 40–65 % of the main one's size,
    /// beside it and partly behind it.
    /// </summary>
    public static FlowerLayout Draw(ref SkyRandom rng)
    {
        double radius = rng.Uniform(0.3, 0.9) / 2;
        double spread = rng.Chance(0.25) ? 0.42 : 0.2;
        var main = DrawPose(0.5 + rng.Uniform(-spread, spread), 0.5 + rng.Uniform(-spread, spread), radius, ref rng);
        FlowerPose? second = null;
        if (rng.Chance(0.3))
        {
            double r2 = radius * rng.Uniform(0.4, 0.65), dir = rng.Uniform(0, 2 * Math.PI), dist = (radius + r2) * rng.Uniform(0.75, 1.15);
            second = DrawPose(main.CenterX + Math.Cos(dir) * dist, main.CenterY + Math.Sin(dir) * dist, r2, ref rng);
        }
        bool mainStem = rng.Chance(0.5), secondStem = rng.Chance(0.5);
        var backdrop = (BackdropKind)rng.Pick(Backdrops.Weights);
        return new FlowerLayout(main, second, mainStem, second is not null && secondStem, backdrop);
    }

    private static FlowerPose DrawPose(double x, double y, double radius, ref SkyRandom rng) =>
        new(x, y, radius, Spin: rng.Uniform(0, 2 * Math.PI), TiltAxis: rng.Uniform(0, Math.PI), Tilt: Math.Acos(rng.Uniform(0.55, 1.0)));
}
