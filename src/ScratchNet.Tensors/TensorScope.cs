namespace ScratchNet.Tensors;

/// <summary>
/// Disposes every tensor created inside it when it ends, except those passed to <see cref="Keep"/>.
/// (TorchSharp's <c>DisposeScope</c>.) The usual shape of a training step:
/// <code>using (var scope = TensorScope.Begin()) { var loss = …; loss.Backward(); opt.Step(); }</code>
/// Scopes nest per thread; a tensor belongs to the innermost one.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? current;
    private readonly TensorScope? outer;
    private readonly HashSet<Tensor> owned = new(ReferenceEqualityComparer.Instance);
    private bool ended;

    private TensorScope(TensorScope? outer) => this.outer = outer;

    /// <summary>Starts a scope on this thread.</summary>
    public static TensorScope Begin() => current = new TensorScope(current);

    internal static void Register(Tensor t) => current?.owned.Add(t);

    /// <summary>
    /// Removes <paramref name="t"/> from every enclosing scope: for tensors that outlive the step that made them
    /// (parameters, optimizer state, gradients of leaves). The caller disposes it.
    /// </summary>
    public static Tensor Untrack(Tensor t)
    {
        for (var s = current; s is not null; s = s.outer) s.owned.Remove(t);
        return t;
    }

    /// <summary>Keeps <paramref name="t"/> alive past this scope (it moves to the enclosing scope, if any).</summary>
    public Tensor Keep(Tensor t)
    {
        owned.Remove(t);
        outer?.owned.Add(t);
        return t;
    }

    /// <summary>Disposes the tensors created in this scope.</summary>
    public void Dispose()
    {
        if (ended) return;
        ended = true;
        current = outer;
        foreach (var t in owned) t.Dispose();
        owned.Clear();
    }
}
