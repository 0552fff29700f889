namespace ScratchNet.Tensors.Autograd;

/// <summary>
/// A node of the autograd graph: one differentiable op that produced one tensor. It remembers its inputs and
/// whatever its backward needs, and maps the gradient of its output to gradients of its inputs.
/// PyTorch's twin: <c>torch.autograd.Function</c> (minitorch's <c>ScalarFunction</c>).
/// </summary>
/// <remarks>
/// Subclasses live in <c>Functions/</c>, one op per file, with <c>Forward</c> (a static <c>Apply</c>) and
/// <see cref="Backward"/> side by side and the math in the doc comment.
/// </remarks>
public abstract class Function
{
    private readonly List<Tensor> saved = new();
    private Tensor?[] inputs = [];

    /// <summary>The op's name, for error messages and graph dumps.</summary>
    public abstract string Name { get; }

    /// <summary>The inputs that take part in differentiation (null entries do not need gradients).</summary>
    internal Tensor?[] Inputs => inputs;

    /// <summary>True once backward has run and the saved state has been released.</summary>
    internal bool Released { get; private set; }

    /// <summary>
    /// Given dL/d(output), returns dL/d(input) for each input in the order given to <see cref="Record"/>;
    /// entries may be null where an input needs no gradient. Returned tensors are owned by the caller.
    /// </summary>
    protected internal abstract Tensor?[] Backward(Tensor gradOutput);

    /// <summary>Keeps a reference to <paramref name="t"/>'s storage for the backward (no copy).</summary>
    protected Tensor Save(Tensor t)
    {
        // The alias belongs to the current TensorScope too: if backward never runs (a forward with gradients
        // on but no loss.Backward()), the scope still frees it. Disposing twice is harmless.
        var alias = t.AliasAs(t.ShapeArray);
        saved.Add(alias);
        return alias;
    }

    /// <summary>Takes ownership of a tensor the forward made only for the backward (a mask, softmax, stats).</summary>
    protected Tensor Own(Tensor t)
    {
        saved.Add(t);
        return t;
    }

    /// <summary>
    /// True when gradient recording is on and any input requires a gradient: only then does an op need to
    /// create its Function and save anything.
    /// </summary>
    public static bool NeedsGrad(params ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs)
            if (t is not null && t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches this node to <paramref name="output"/> with the given inputs.</summary>
    protected Tensor Record(Tensor output, params Tensor?[] ins)
    {
        inputs = new Tensor?[ins.Length];
        for (int i = 0; i < ins.Length; i++)
            inputs[i] = ins[i] is { RequiresGrad: true } t ? t : null;
        output.GradFn = this;
        output.MarkRequiresGrad();
        return output;
    }

    /// <summary>Drops saved tensors and input references once the backward has used them.</summary>
    internal void Release()
    {
        foreach (var t in saved) t.Dispose();
        saved.Clear();
        inputs = [];
        Released = true;
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
