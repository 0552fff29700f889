using System.Numerics;
using ILGPU;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>Optimizer steps, in place on the parameter, one thread per element (PyTorch's for-each semantics).</summary>
internal static class OptimizerKernels
{
    /// <summary>
    /// Adam / AdamW. Adam (<paramref name="decoupled"/> = 0): <c>g ← g + λ·θ</c>, <paramref name="decay"/> = λ. AdamW:
    /// <c>θ ← θ·(1 − lr·λ)</c>, <paramref name="decay"/> = 1 − lr·λ (one argument for both: ILGPU's launchers take at
    /// most 14); <paramref name="stepSize"/> = lr/bc1, PyTorch's step_size.
    /// Then <c>m ← β1·m + (1−β1)·g</c>, <c>v ← β2·v + (1−β2)·g²</c>, <c>θ ← θ − lr·(m/bc1)/(√(v/bc2) + ε)</c>.
    /// The gradient buffer itself is not modified (the L2 term lives in a register). 1 − β1, 1 − β2, 1 − lr·λ, lr/bc1 and
    /// 1/bc2 arrive computed in float64 on the host, as the CPU backend computes them: 1 − β2 taken
    /// in float32 from the rounded β2 is 1 − 0.999f = 9.99987e-4 while bc2 = 1 − 0.999 rounds to 1e-3, which made
    /// every first step lr·(1 + 6.5e-6), larger than exact Adam ever steps.
    /// </summary>
    public static void AdamStep<T, R>(ArrayView<T> param, ArrayView<T> grad, ArrayView<T> m, ArrayView<T> v, long n,
        T stepSize, T beta1, T beta2, T oneMinusBeta1, T oneMinusBeta2, T eps, T decay, T invBc2, int decoupled)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T p = param[i];
            T g = grad[i];
            if (decoupled != 0) p *= decay;
            else g += decay * p;
            T mi = beta1 * m[i] + oneMinusBeta1 * g;
            T vi = beta2 * v[i] + oneMinusBeta2 * g * g;
            m[i] = mi;
            v[i] = vi;
            param[i] = p - stepSize * mi / (T.Sqrt(vi * invBc2) + eps);
        }
    }

    /// <summary>
    /// SGD (PyTorch): <c>g ← g + λ·θ</c>; with momentum μ (<paramref name="hasMomentum"/> ≠ 0):
    /// <c>b ← firstStep ? g : μ·b + (1−dampening)·g</c>, <c>g ← nesterov ? g + μ·b : b</c>; then <c>θ ← θ − lr·g</c>.
    /// </summary>
    public static void SgdStep<T, R>(ArrayView<T> param, ArrayView<T> grad, ArrayView<T> momentumBuffer, long n,
        T lr, T momentum, T dampening, T weightDecay, int nesterov, int firstStep, int hasMomentum)
        where T : unmanaged, IFloatingPointIeee754<T> where R : struct, IReal<T>
    {
        long step = GridStride.Step();
        for (long i = GridStride.Start(); i < n; i += step)
        {
            T p = param[i];
            T g = grad[i] + weightDecay * p;
            if (hasMomentum != 0)
            {
                T b = firstStep != 0 ? g : momentum * momentumBuffer[i] + (T.One - dampening) * g;
                momentumBuffer[i] = b;
                g = nesterov != 0 ? g + momentum * b : b;
            }
            param[i] = p - lr * g;
        }
    }
}
