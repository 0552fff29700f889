using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Cross-entropy, BCE-with-logits, argmax and the equality mask of the seed's loss.</summary>
internal static class LossKernels
{
    /// <summary>
    /// Per-sample softmax cross-entropy, one thread per row i of logits [N, C]:
    /// <c>loss[i] = w[t]·(logsumexp(z_i) − z_i[t])</c> with the row max subtracted before exponentiating,
    /// <c>sampleWeight[i] = w[t]</c>, <c>probs[i,:] = softmax(z_i)</c>; w = 1 when <paramref name="hasWeights"/> = 0;
    /// a target t &lt; 0 is ignored (loss and weight 0; probs still written).
    /// </summary>
    public static void CrossEntropyForward<T, R>(ArrayView<T> logits, ArrayView<int> targets, ArrayView<T> classWeights,
        ArrayView<T> loss, ArrayView<T> sampleWeight, ArrayView<T> probs, int n, int c, int hasWeights)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            long row = i * c;
            T max = logits[row];
            for (int k = 1; k < c; k++) { T z = logits[row + k]; if (z > max) max = z; }
            T sum = T.Zero;
            for (int k = 0; k < c; k++) { T e = T.Exp(logits[row + k] - max); probs[row + k] = e; sum += e; }
            T inv = T.One / sum;
            for (int k = 0; k < c; k++) probs[row + k] *= inv;
            int t = targets[i];
            if (t < 0)
            {
                loss[i] = T.Zero;
                sampleWeight[i] = T.Zero;
            }
            else
            {
                T w = hasWeights != 0 ? classWeights[t] : T.One;
                loss[i] = w * (max + T.Log(sum) - logits[row + t]);
                sampleWeight[i] = w;
            }
        }
    }

    /// <summary>
    /// Cross-entropy backward, one thread per logit: <c>dlogits[i,k] = dloss[i]·w[t_i]·(probs[i,k] − [k = t_i])</c>;
    /// rows with t_i &lt; 0 get 0.
    /// </summary>
    public static void CrossEntropyBackward<T, R>(ArrayView<T> probs, ArrayView<int> targets, ArrayView<T> classWeights,
        ArrayView<T> dloss, ArrayView<T> dlogits, int n, int c, int hasWeights)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long total = (long)n * c;
        long step = GridStride.Step();
        for (long idx = GridStride.Start(); idx < total; idx += step)
        {
            long i = idx / c;
            int k = (int)(idx - i * c);
            int t = targets[i];
            if (t < 0) { dlogits[idx] = T.Zero; continue; }
            T w = hasWeights != 0 ? classWeights[t] : T.One;
            T p = probs[idx];
            dlogits[idx] = dloss[i] * w * (k == t ? p - T.One : p);
        }
    }

    /// <summary>Elementwise BCE with logits, in the stable form <c>max(z,0) − z·y + log(1 + e^(−|z|))</c>.</summary>
    public static void BceWithLogitsForward<T, R>(ArrayView<T> z, ArrayView<T> target, ArrayView<T> loss, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T v = z[i];
            T pos = v > T.Zero ? v : T.Zero;
            loss[i] = pos - v * target[i] + T.Log(T.One + T.Exp(-T.Abs(v)));
        }
    }

    /// <summary>BCE with logits backward: <c>dz = dloss·(σ(z) − y)</c>.</summary>
    public static void BceWithLogitsBackward<T, R>(ArrayView<T> z, ArrayView<T> target, ArrayView<T> dloss, ArrayView<T> dz, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            dz[i] = dloss[i] * (ActivationKernels.Sigmoid(z[i]) - target[i]);
    }

    /// <summary>Row-wise argmax of x [rows, cols], one thread per row; the first maximum wins ties (strict &gt;).</summary>
    public static void ArgMax<T, R>(ArrayView<T> x, ArrayView<int> indices, int rows, int cols)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < rows; i += step)
        {
            long row = i * cols;
            T best = x[row];
            int arg = 0;
            for (int k = 1; k < cols; k++)
            {
                T v = x[row + k];
                if (v > best) { best = v; arg = k; }
            }
            indices[i] = arg;
        }
    }

    /// <summary><c>y[i] = a[i] == b[i] ? 1 : 0</c> for Int32 a, b: the "correctly classified" mask of the seed loss.</summary>
    public static void EqualMask<T, R>(ArrayView<int> a, ArrayView<int> b, ArrayView<T> y, long n)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
            y[i] = a[i] == b[i] ? T.One : T.Zero;
    }
}
