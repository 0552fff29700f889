using System.Runtime.CompilerServices;
using System.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Loss kernels:
/// <list type="bullet">
/// <item>softmax cross-entropy per sample, <c>loss[i] = w[t]·(logsumexp(z_i) − z_i[t])</c>, with
/// <c>logsumexp(z) = max z + log Σ e^(z − max z)</c> (subtracting the max keeps every exponent ≤ 0: no overflow,
/// and the largest term is exactly 1, so the log never sees 0); targets &lt; 0 are ignored (loss and weight 0);
/// backward <c>dz = dloss·w[t]·(softmax(z) − onehot(t))</c>;</item>
/// <item>BCE with logits, <c>max(z,0) − z·y + log(1 + e^(−|z|))</c> — the exponent is never positive, and log1p
/// keeps precision when e^(−|z|) is tiny; backward <c>dz = dloss·(σ(z) − y)</c>;</item>
/// <item>row-wise argmax (first maximum wins) and the Int32 equality mask.</item>
/// </list>
/// Rows are short (a handful of classes), so these are scalar loops over rows, parallel only for large batches.
/// </summary>
internal static unsafe class LossKernels
{
    public static void CrossEntropyForward<T>(CpuParallel par, T* logits, int* targets, T* classWeights, T* loss, T* sampleWeight,
        T* probs, int n, int c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.For(n, (long)n * c >= CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i) =>
        {
            T* z = logits + (long)i * c;
            T* pr = probs + (long)i * c;
            T max = T.NegativeInfinity;
            for (int k = 0; k < c; k++) if (z[k] > max) max = z[k];
            T sum = T.Zero;
            for (int k = 0; k < c; k++)
            {
                T e = T.Exp(z[k] - max);
                pr[k] = e;
                sum += e;
            }
            T inv = T.One / sum;
            for (int k = 0; k < c; k++) pr[k] *= inv;
            int t = targets[i];
            if (t < 0)
            {
                loss[i] = T.Zero;
                sampleWeight[i] = T.Zero;
                return;
            }
            T w = classWeights == null ? T.One : classWeights[t];
            T lse = max + T.Log(sum);
            loss[i] = w * (lse - z[t]);
            sampleWeight[i] = w;
        });
    }

    public static void CrossEntropyBackward<T>(CpuParallel par, T* probs, int* targets, T* classWeights, T* dloss, T* dlogits, int n, int c)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.For(n, (long)n * c >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (i) =>
        {
            T* pr = probs + (long)i * c;
            T* dz = dlogits + (long)i * c;
            int t = targets[i];
            if (t < 0)
            {
                new Span<T>(dz, c).Clear();
                return;
            }
            T g = dloss[i] * (classWeights == null ? T.One : classWeights[t]);
            for (int k = 0; k < c; k++) dz[k] = g * pr[k];
            dz[t] = g * (pr[t] - T.One);
        });
    }

    public static void BceWithLogitsForward<T>(CpuParallel par, T* z, T* y, T* loss, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                T zi = z[i];
                loss[i] = T.Max(zi, T.Zero) - zi * y[i] + T.LogP1(T.Exp(-T.Abs(zi)));
            }
        });
    }

    public static void BceWithLogitsBackward<T>(CpuParallel par, T* z, T* y, T* dloss, T* dz, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sig = new ActivationKernels.SigmoidOp<T>();
        par.ForRanges(n, CpuParallel.MinElementsPerTask / 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++) dz[i] = dloss[i] * (sig.Apply(z[i]) - y[i]);
        });
    }

    public static void ArgMax<T>(CpuParallel par, T* x, int* indices, int rows, int cols) where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.For(rows, (long)rows * cols >= CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r) =>
        {
            T* row = x + (long)r * cols;
            int best = 0;
            T bv = row[0];
            for (int k = 1; k < cols; k++)
                if (row[k] > bv || (T.IsNaN(row[k]) && !T.IsNaN(bv))) { bv = row[k]; best = k; }
            indices[r] = best;
        });
    }

    public static void EqualMask<T>(CpuParallel par, int* a, int* b, T* y, long n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        par.ForRanges(n, CpuParallel.MinElementsPerTask, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++) y[i] = a[i] == b[i] ? T.One : T.Zero;
        });
    }
}
