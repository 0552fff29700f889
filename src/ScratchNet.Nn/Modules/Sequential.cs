using ScratchNet.Kernels;
using ScratchNet.Nn.Layers;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Modules;

/// <summary>
/// Layers applied in order, named <c>0</c>, <c>1</c>, … as PyTorch's <c>nn.Sequential</c> names them, so state-dict
/// keys read <c>encoder.4.weight</c>. Intermediate outputs are disposed as soon as the next layer has consumed them
/// (autograd keeps what it saved).
/// </summary>
/// <remarks>
/// Forward fuses one pattern: <c>BatchNorm2d → GELU or ReLU [→ MaxPool2d(k), stride k, no padding]</c> runs as a
/// single op (<see cref="BatchNorm2d.ForwardFused"/>), which streams the activation through memory once instead of
/// three times and keeps neither intermediate for the backward. The layers, their names and their state are
/// unchanged, and so are the results (tests compare both ways); <see cref="FuseBatchNormBlocks"/> turns it off.
/// </remarks>
public sealed class Sequential : Layer
{
    private readonly List<Layer> layers = new();

    /// <summary>Chains <paramref name="layers"/>.</summary>
    public Sequential(params Layer[] layers)
    {
        foreach (var l in layers) Append(l);
    }

    /// <summary>Adds a layer at the end, named by its index.</summary>
    public Sequential Append(Layer layer)
    {
        RegisterModule(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer);
        layers.Add(layer);
        return this;
    }

    /// <summary>The layer at <paramref name="index"/>.</summary>
    public Layer this[int index] => layers[index];

    /// <summary>Number of layers.</summary>
    public int Count => layers.Count;

    /// <summary>Run BatchNorm2d → activation [→ MaxPool2d] as one fused op (default true); false runs every layer on its own.</summary>
    public bool FuseBatchNormBlocks { get; set; } = true;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        Tensor current = x;
        for (int i = 0; i < layers.Count;)
        {
            var next = ForwardStep(i, current, out int used);
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
            i += used;
        }
        return ReferenceEquals(current, x) ? Functional.Reshape(x, x.Shape.ToArray()) : current;
    }

    /// <summary>
    /// Runs the step that starts at layer <paramref name="index"/>: a fused BatchNorm2d block (<paramref name="used"/> =
    /// 2 or 3 layers) or the single layer (<paramref name="used"/> = 1). <see cref="Forward"/> is these steps in order;
    /// a per-layer profile calls them one by one.
    /// </summary>
    public Tensor ForwardStep(int index, Tensor x, out int used)
    {
        used = FusedBlockLength(index, out var activation, out int pool);
        if (used > 1) return ((BatchNorm2d)layers[index]).ForwardFused(x, activation, pool);
        used = 1;
        return layers[index].Forward(x);
    }

    /// <summary>Layers in the fused block starting at <paramref name="i"/> (2 or 3), or 0 when none starts there.</summary>
    private int FusedBlockLength(int i, out Activation activation, out int pool)
    {
        activation = default;
        pool = 1;
        if (!FuseBatchNormBlocks || layers[i] is not BatchNorm2d || i + 1 >= layers.Count) return 0;
        if (layers[i + 1] is Gelu) activation = Activation.Gelu;
        else if (layers[i + 1] is Relu) activation = Activation.Relu;
        else return 0;
        if (i + 2 < layers.Count && layers[i + 2] is MaxPool2d mp && mp.Padding == 0 && mp.Stride == mp.KernelSize)
        {
            pool = mp.KernelSize;
            return 3;
        }
        return 2;
    }
}
