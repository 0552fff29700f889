namespace ScratchNet.Apps.Bench;

/// <summary>
/// Floating-point operations of the seed model (multiply and add counted separately, as GFLOP/s figures do).
/// Only the convolutions and linear layers count; pooling, BN and activations are a few % and are left out,
/// so "achieved GFLOP/s" slightly understates the work done.
/// </summary>
internal static class SeedModelFlops
{
    private static IEnumerable<(long Forward, bool FirstLayer)> Layers(int batch, int size)
    {
        long s1 = size, s2 = size / 2, s4 = size / 4;
        yield return (2L * batch * 16 * s1 * s1 * 3 * 9, true);
        yield return (2L * batch * 32 * s2 * s2 * 16 * 9, false);
        yield return (2L * batch * 32 * s4 * s4 * 32 * 9, false);
        yield return (2L * batch * 64 * s4 * s4 * 32 * 9, false);
        yield return (2L * batch * (64 * 32 + 32 * 2 + 64 * 32 + 32 * 8 + 8), false);
    }

    /// <summary>Forward FLOPs.</summary>
    public static double Forward(int batch, int size) => Layers(batch, size).Sum(l => (double)l.Forward);

    /// <summary>Forward + backward FLOPs: backward is weight-grad + input-grad (no input-grad for the first conv).</summary>
    public static double TrainingStep(int batch, int size) => Layers(batch, size).Sum(l => (double)l.Forward * (l.FirstLayer ? 2 : 3));
}
