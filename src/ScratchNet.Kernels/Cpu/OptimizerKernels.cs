using System.Runtime.CompilerServices;
using System.Numerics;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// In-place optimizer steps (PyTorch semantics), elementwise over the flattened parameter:
/// <list type="bullet">
/// <item>Adam: <c>g ← g + λθ</c> (L2; AdamW instead decays <c>θ ← θ(1 − lr·λ)</c>), <c>m ← β1·m + (1−β1)·g</c>,
/// <c>v ← β2·v + (1−β2)·g²</c>, <c>θ ← θ − lr·(m/bc1)/(√(v/bc2) + ε)</c>;</item>
/// <item>SGD: <c>g ← g + λθ</c>; <c>b ← first ? g : μb + (1−dampening)·g</c>; <c>g ← nesterov ? g + μb : b</c>;
/// <c>θ ← θ − lr·g</c>.</item>
/// </list>
/// The gradient buffer is read, never written (PyTorch adds weight decay out of place too).
/// </summary>
internal static unsafe class OptimizerKernels
{
    public static void Adam<T>(CpuParallel par, T* param, T* grad, T* m, T* v, long n, double lr, double beta1, double beta2,
        double eps, double weightDecay, double bc1, double bc2, bool decoupled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T tlr = T.CreateTruncating(lr), b1 = T.CreateTruncating(beta1), b2 = T.CreateTruncating(beta2);
        T ob1 = T.CreateTruncating(1.0 - beta1), ob2 = T.CreateTruncating(1.0 - beta2), te = T.CreateTruncating(eps);
        T wd = T.CreateTruncating(weightDecay), decay = T.CreateTruncating(1.0 - lr * weightDecay);
        T ibc1 = T.CreateTruncating(1.0 / bc1), ibc2 = T.CreateTruncating(1.0 / bc2);
        par.ForRanges(n, CpuParallel.MinElementsPerTask / 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                T th = param[i], g = grad[i];
                if (decoupled) th *= decay;
                else g += wd * th;
                T mi = b1 * m[i] + ob1 * g;
                T vi = b2 * v[i] + ob2 * g * g;
                m[i] = mi; v[i] = vi;
                param[i] = th - tlr * (mi * ibc1) / (T.Sqrt(vi * ibc2) + te);
            }
        });
    }

    public static void Sgd<T>(CpuParallel par, T* param, T* grad, T* buf, long n, double lr, double momentum, double dampening,
        double weightDecay, bool nesterov, bool firstStep) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T tlr = T.CreateTruncating(lr), mu = T.CreateTruncating(momentum), damp = T.CreateTruncating(1.0 - dampening), wd = T.CreateTruncating(weightDecay);
        bool useMomentum = momentum != 0.0;
        par.ForRanges(n, CpuParallel.MinElementsPerTask / 2, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
        {
            for (long i = s; i < e; i++)
            {
                T th = param[i];
                T g = grad[i] + wd * th;
                if (useMomentum)
                {
                    T b = firstStep ? g : mu * buf[i] + damp * g;
                    buf[i] = b;
                    g = nesterov ? g + mu * b : b;
                }
                param[i] = th - tlr * g;
            }
        });
    }
}
