using ScratchNet.Apps.Datasets.Sky;

namespace ScratchNet.Apps.Datasets.Flowers;

/// <summary>
/// Chooses the exposure key handed to <see cref="CameraPipeline.Develop"/> so that the flower, the subject, is
/// neither blown out nor lost in shadow — what a phone's subject metering does.
/// </summary>
/// <remarks>
/// <para>Develop scales the image by k = key / M, where M is the mean luminance with values above 4× the mean
/// clipped. The subject level S is the mean over petal pixels of their brightest linear channel (a red petal clips
/// in R long before its luminance is high), weighted by coverage⁴ so that edge pixels, half background, hardly count.
/// Starting from the scene key 0.22 we move the key just enough to keep k·S within [0.2, 0.5]: a pink daisy on
/// black velvet is not clipped to white (which would erase the pink/white difference), and a red rose against a
/// bright sky is not a silhouette.</para>
/// <para>Develop's random exposure error (±½ stop) and white-balance error still apply on top, so colours keep a
/// realistic spread.</para>
/// </remarks>
internal static class Metering
{
    private const double SceneKey = 0.22, MinSubject = 0.2, MaxSubject = 0.5;

    /// <summary>The key for linear image <paramref name="hdr"/> whose petals cover <paramref name="petal"/> (per-pixel coverage).</summary>
    public static double Key(float[] hdr, float[] petal)
    {
        int n = petal.Length;
        double mean = 0, subject = 0, weight = 0;
        for (int i = 0; i < n; i++)
        {
            double r = hdr[3 * i], g = hdr[3 * i + 1], b = hdr[3 * i + 2];
            mean += ColorMath.Luminance(r, g, b);
            double w = petal[i] * petal[i] * petal[i] * petal[i];
            subject += w * Math.Max(r, Math.Max(g, b));
            weight += w;
        }
        mean /= n;
        double clipped = 0, cap = 4 * mean;
        for (int i = 0; i < n; i++) clipped += Math.Min(ColorMath.Luminance(hdr[3 * i], hdr[3 * i + 1], hdr[3 * i + 2]), cap);
        clipped = Math.Max(clipped / n, 1e-9);
        if (weight < 0.5) return SceneKey; // (almost) no petal pixel to meter on
        double onSubject = SceneKey / clipped * (subject / weight);
        return onSubject > MaxSubject ? SceneKey * MaxSubject / onSubject
             : onSubject < MinSubject ? SceneKey * MinSubject / onSubject
             : SceneKey;
    }
}
