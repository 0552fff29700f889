using ScratchNet.Tensors;

namespace ScratchNet.Nn.Modules;

/// <summary>
/// Layers applied in order, named <c>0</c>, <c>1</c>, … as PyTorch's <c>nn.Sequential</c> names them, so state-dict
/// keys read <c>encoder.4.weight</c>. Intermediate outputs are disposed as soon as the next layer has consumed them
/// (autograd keeps what it saved).
/// </summary>
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

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        Tensor current = x;
        foreach (var layer in layers)
        {
            var next = layer.Forward(current);
            if (!ReferenceEquals(current, x)) current.Dispose();
            current = next;
        }
        return ReferenceEquals(current, x) ? Functional.Reshape(x, x.Shape.ToArray()) : current;
    }
}
