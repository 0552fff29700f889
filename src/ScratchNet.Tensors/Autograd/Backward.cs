using ScratchNet.Kernels;

namespace ScratchNet.Tensors.Autograd;

/// <summary>
/// The reverse-mode engine: sorts the graph below a scalar topologically, then walks it from the output back,
/// giving each Function the summed gradient of its output and accumulating what reaches a leaf into
/// <see cref="Tensor.Grad"/> (<c>+=</c>, so a tensor used twice receives both contributions).
/// </summary>
internal static class Backward
{
    // The engine's scratch collections, reused by every backward on this thread (a backward never starts another
    // one), so a steady-state training step does not allocate them anew.
    [ThreadStatic] private static Scratch? scratch;

    private sealed class Scratch
    {
        public readonly List<Function> Order = new();
        public readonly HashSet<Function> Visited = new(ReferenceEqualityComparer.Instance);
        public readonly Stack<(Function Fn, int Next)> Stack = new();
        public readonly Dictionary<Function, Tensor> Pending = new(ReferenceEqualityComparer.Instance);

        public void Clear()
        {
            Order.Clear();
            Visited.Clear();
            Stack.Clear();
            Pending.Clear();
        }
    }

    public static void Run(Tensor root)
    {
        if (root.Numel != 1)
            throw new InvalidOperationException($"Backward() needs a scalar (one-element) tensor; got {root}. Reduce it first (Sum or Mean).");
        if (!root.RequiresGrad)
            throw new InvalidOperationException($"Backward(): {root} does not require a gradient (no input requires one, or it was computed under NoGrad)");

        var seed = Tensor.Ones(root.ShapeArray, root.DType, root.Device);
        if (root.IsLeaf)
        {
            Accumulate(root, seed);
            return;
        }

        var work = scratch ??= new Scratch();
        work.Clear();
        var order = TopologicalOrder(root.GradFn!, work);
        var pending = work.Pending;
        pending[root.GradFn!] = seed;
        try
        {
            // Reverse topological order: a node runs only after every consumer of its output has contributed.
            for (int idx = order.Count - 1; idx >= 0; idx--)
            {
                var fn = order[idx];
                if (!pending.Remove(fn, out var gradOut)) { fn.Release(); continue; }
                var inputs = fn.Inputs;
                Tensor?[] grads;
                var profiler = BackwardProfiler.Current;
                long start = profiler is null ? 0 : System.Diagnostics.Stopwatch.GetTimestamp();
                using (GradMode.NoGrad())
                    grads = fn.Backward(gradOut);
                if (profiler is not null)
                {
                    gradOut.Device.Backend.Synchronize();
                    profiler.Record(fn.Name, start);
                }
                gradOut.Dispose();
                if (grads.Length != inputs.Length)
                    throw new InvalidOperationException($"{fn.Name}.Backward returned {grads.Length} gradients for {inputs.Length} inputs");
                for (int i = 0; i < inputs.Length; i++)
                {
                    var input = inputs[i];
                    var g = grads[i];
                    if (input is null || g is null) { g?.Dispose(); continue; }
                    if (!ShapeUtil.Equal(g.ShapeArray, input.ShapeArray))
                        throw new InvalidOperationException($"{fn.Name}.Backward produced a gradient {ShapeUtil.Format(g.ShapeArray)} for input {i} of shape {ShapeUtil.Format(input.ShapeArray)}");
                    if (input.IsLeaf)
                        Accumulate(input, g);
                    else if (pending.TryGetValue(input.GradFn!, out var acc))
                    {
                        g.Device.Backend.Axpy(g.Buffer, acc.Buffer, g.Numel, 1.0);
                        g.Dispose();
                    }
                    else
                        pending[input.GradFn!] = g;
                }
                fn.Release();
            }
        }
        finally
        {
            foreach (var g in pending.Values) g.Dispose();
            work.Clear(); // drop references to the released graph
        }
    }

    // Leaf gradients: the first contribution becomes .Grad, later ones are added in place.
    private static void Accumulate(Tensor leaf, Tensor g)
    {
        if (leaf.IsDisposed) { g.Dispose(); return; } // nobody can read it any more
        TensorScope.Untrack(g);
        if (leaf.Grad is null || leaf.Grad.IsDisposed)
        {
            leaf.Grad = g;
            return;
        }
        g.Device.Backend.Axpy(g.Buffer, leaf.Grad.Buffer, g.Numel, 1.0);
        g.Dispose();
    }

    // Iterative DFS post-order (recursion would overflow on deep graphs).
    private static List<Function> TopologicalOrder(Function root, Scratch work)
    {
        var order = work.Order;
        var visited = work.Visited;
        var stack = work.Stack;
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (fn, next) = stack.Pop();
            if (fn.Released)
                throw new InvalidOperationException($"Backward() through {fn.Name} a second time: its saved state was released after the first backward (build the graph again)");
            var inputs = fn.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((fn, next + 1));
                var child = inputs[next]?.GradFn;
                if (child is not null && visited.Add(child)) stack.Push((child, 0));
                continue;
            }
            order.Add(fn);
        }
        return order; // post-order: every node after all of its inputs' nodes, the root last
    }
}
