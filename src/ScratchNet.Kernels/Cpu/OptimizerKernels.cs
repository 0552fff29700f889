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
        var st = new AdamState<T>(param, grad, m, v, tlr, b1, b2, ob1, ob2, te, wd, decay, ibc1, ibc2, decoupled);
        // Most parameters (biases, BN affine, head layers) are far below one task's worth: run them here without
        // building a lambda, whose closure would be this step's only allocation per parameter (26 in the seed model).
        if (n < CpuParallel.MinElementsPerTask || par.Threads == 1) AdamRange(st, 0, n);
        else AdamParallel(par, st, n);
    }

    private static void AdamParallel<T>(CpuParallel par, AdamState<T> st, long n) where T : unmanaged, IFloatingPointIeee754<T>
        => par.ForRanges(n, CpuParallel.MinElementsPerTask / 2, (s, e) => AdamRange(st, s, e));

    /// <summary>One Adam update's pointers and constants (a struct, so the serial path allocates nothing).</summary>
    private readonly struct AdamState<T>(T* param, T* grad, T* m, T* v, T lr, T b1, T b2, T ob1, T ob2, T eps, T wd,
        T decay, T ibc1, T ibc2, bool decoupled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        public readonly T* Param = param, Grad = grad, M = m, V = v;
        public readonly T Lr = lr, B1 = b1, B2 = b2, Ob1 = ob1, Ob2 = ob2, Eps = eps, Wd = wd, Decay = decay, Ibc1 = ibc1, Ibc2 = ibc2;
        public readonly bool Decoupled = decoupled;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AdamRange<T>(in AdamState<T> st, long s, long e) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T* param = st.Param, grad = st.Grad, m = st.M, v = st.V;
        T tlr = st.Lr, b1 = st.B1, b2 = st.B2, ob1 = st.Ob1, ob2 = st.Ob2, te = st.Eps, wd = st.Wd, decay = st.Decay, ibc1 = st.Ibc1, ibc2 = st.Ibc2;
        bool decoupled = st.Decoupled;
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
