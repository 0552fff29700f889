namespace ScratchNet.Nn.Experiments.Config;

/// <summary>Checks (and their wording) shared by several sections.</summary>
internal static class Ranges
{
    /// <summary>What a dropout probability must be.</summary>
    public const string Dropout = "a probability 0 <= p < 1";

    /// <summary>Dropout 1 would zero every activation, so it is excluded.</summary>
    public static bool IsDropout(double p) => p is >= 0 and < 1;
}
