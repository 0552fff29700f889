using ScratchNet.Nn.Checkpoints;

namespace ScratchNet.Tests.Nn;

/// <summary>
/// What two checkpoints must share to be "the same weights": every tensor (the model's and the optimizer's) by name,
/// byte for byte. The info header is left out: its log holds wall-clock seconds, which differ between runs.
/// </summary>
internal static class CheckpointTensors
{
    /// <summary>Each tensor's name and raw bytes, in name order, as one array.</summary>
    public static byte[] Of(string path)
    {
        var bytes = new List<byte>();
        foreach (var (name, e) in SafeTensorsFile.Read(path).Tensors)
        {
            bytes.AddRange(System.Text.Encoding.UTF8.GetBytes(name + "\0"));
            bytes.AddRange(e.Data.ToArray());
        }
        return bytes.ToArray();
    }
}
