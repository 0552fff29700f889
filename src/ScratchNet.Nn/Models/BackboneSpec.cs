namespace ScratchNet.Nn.Models;

/// <summary>
/// The shared part of a <see cref="MultiHeadCnn"/>.
/// <c>seed-encoder</c>: seed 000's encoder (conv-BN-GELU ×4, two max-pools), channels scaled by the width.
/// <c>squeezenet</c>: a SqueezeNet-1.1-style stack — conv 3×3/2 + ReLU + max-pool 3/2, then fire2 … fire9 with
/// max-pools after fire3 and fire5 — shared up to <see cref="SplitAfter"/> (e.g. <c>fire8</c>, as seed 001), the
/// rest copied into every head ("branching" the network).
/// <c>onnx</c>: an imported model (<see cref="ImportedBackbone"/>) at <see cref="Path"/>; <c>resnet18-imagenet</c>:
/// the ImageNet ResNet-18 of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 with its preprocessing.
/// </summary>
/// <param name="Kind"><c>seed-encoder</c>, <c>squeezenet</c>, <c>onnx</c> or <c>resnet18-imagenet</c>.</param>
/// <param name="Width">Channel multiplier (1 = the original widths).</param>
/// <param name="SplitAfter">For squeezenet: the last shared block, <c>stem</c> or <c>fire2</c> … <c>fire9</c>.</param>
/// <param name="Path">For onnx: the .onnx file or the model.safetensors of <c>scratchnet import</c>.</param>
/// <param name="InputSize">The square input size (imported backbones adapt a fixed final pool to it).</param>
/// <param name="Frozen">The backbone is not trained: its parameters need no gradient and it runs in eval mode.</param>
public sealed record BackboneSpec(string Kind = "seed-encoder", double Width = 1.0, string SplitAfter = "fire9", string? Path = null, int InputSize = 0,
    bool Frozen = false);
