using ScratchNet.Tensors;

namespace ScratchNet.Nn.Onnx;

/// <summary>One imported node: the ONNX node and the function that computes its first output from its inputs.</summary>
internal sealed class OnnxStep(OnnxNode node, Func<Tensor?[], OnnxStep.Context, Tensor> run)
{
    /// <summary>What a step may ask of the module running it: the mode, and a fresh seed per dropout call.</summary>
    public readonly record struct Context(bool Training, Func<ulong> NextSeed);

    public OnnxNode Node { get; } = node;

    public Tensor Run(Tensor?[] inputs, Context context) => run(inputs, context);
}
