using ScratchNet.Kernels;
using ScratchNet.Nn;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Seed;

/// <summary>
/// The reference the product is checked against (the product builds this network from examples/sky-seed.yml with
/// <c>MultiHeadCnn</c>; see SeedConfigTests). Seed 000's <c>MultiTaskCNN</c>, layer for layer and name for name, written out by hand: a shared conv encoder
/// (conv-BN-GELU ×4 with two 2×2 max-pools, then global average pooling to 64 features), a classification head
/// (is this a sky photo? 2 logits) and a regression head (the AQI, squeezed to [N]).
/// </summary>
/// <remarks>
/// State-dict keys match PyTorch's exactly (<c>encoder.0.weight</c> … <c>regressor.5.bias</c>), so a safetensors
/// checkpoint loads into the seed's PyTorch model and back.
/// </remarks>
public sealed class MultiTaskCnn : Module
{
    /// <summary>Builds the model with PyTorch's default initialisation (seed via <see cref="Init.ManualSeed"/>).</summary>
    public MultiTaskCnn(DType dtype = DType.Float32, Device? device = null)
    {
        Encoder = RegisterModule("encoder", new Sequential(
            new Conv2d(3, 16, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(16, dtype: dtype, device: device), new Gelu(), new MaxPool2d(2),
            new Conv2d(16, 32, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(32, dtype: dtype, device: device), new Gelu(), new MaxPool2d(2),
            new Conv2d(32, 32, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(32, dtype: dtype, device: device), new Gelu(),
            new Conv2d(32, 64, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(64, dtype: dtype, device: device), new Gelu(),
            new AdaptiveAvgPool2d()));
        Classifier = RegisterModule("classifier", new Sequential(
            new Flatten(), new Linear(64, 32, dtype: dtype, device: device), new Gelu(), new Dropout(0.5), new Linear(32, 2, dtype: dtype, device: device)));
        Regressor = RegisterModule("regressor", new Sequential(
            new Flatten(), new Linear(64, 32, dtype: dtype, device: device), new Relu(), new Linear(32, 8, dtype: dtype, device: device), new Relu(), new Linear(8, 1, dtype: dtype, device: device)));
    }

    /// <summary>The shared encoder: [N, 3, H, W] → [N, 64, 1, 1].</summary>
    public Sequential Encoder { get; }
    /// <summary>The sky / not-sky head: → [N, 2] logits.</summary>
    public Sequential Classifier { get; }
    /// <summary>The AQI head: → [N, 1].</summary>
    public Sequential Regressor { get; }

    /// <summary>Returns (is-sky logits [N, 2], AQI prediction [N]).</summary>
    public (Tensor IsSkyLogits, Tensor Aqi) Forward(Tensor x)
    {
        if (x.Rank != 4 || x.Dim(1) != 3)
            throw new ArgumentException($"MultiTaskCnn: expected an RGB batch [N, 3, H, W], got {ShapeUtil.Format(x.Shape.ToArray())}");
        if (x.Dim(2) < 4 || x.Dim(3) < 4)
            throw new ArgumentException($"MultiTaskCnn: images must be at least 4×4 (two 2×2 max-pools), got {x.Dim(2)}×{x.Dim(3)}");
        using var features = Encoder.Forward(x);
        var logits = Classifier.Forward(features);
        using var aqi = Regressor.Forward(features);
        return (logits, Functional.Squeeze(aqi, 1));
    }

    /// <summary>The state-dict keys PyTorch's <c>MultiTaskCNN().state_dict()</c> has, in its order (REFERENCE.md).</summary>
    public static IReadOnlyList<string> PyTorchStateDictKeys { get; } = BuildKeys();

    private static string[] BuildKeys()
    {
        var keys = new List<string>();
        foreach (var (conv, bn) in new[] { (0, 1), (4, 5), (8, 9), (11, 12) })
        {
            keys.Add($"encoder.{conv}.weight"); keys.Add($"encoder.{conv}.bias");
            foreach (var s in new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }) keys.Add($"encoder.{bn}.{s}");
        }
        foreach (var i in new[] { 1, 4 }) { keys.Add($"classifier.{i}.weight"); keys.Add($"classifier.{i}.bias"); }
        foreach (var i in new[] { 1, 3, 5 }) { keys.Add($"regressor.{i}.weight"); keys.Add($"regressor.{i}.bias"); }
        return keys.ToArray();
    }
}
