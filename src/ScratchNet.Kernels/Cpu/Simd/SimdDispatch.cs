using System.Runtime.Intrinsics;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>
/// A kernel written once over <see cref="ISimd{V}"/>: a struct holding its arguments, whose <see cref="Run{S, V}"/>
/// is the body. <see cref="SimdDispatch.Run{K}"/> calls it with the struct of the backend's tier.
/// </summary>
internal interface ISimdKernel
{
    void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged;
}

/// <summary>The one place a run-time <see cref="SimdTier"/> becomes a compile-time width (candle's Map1/Map2 idea).</summary>
internal static class SimdDispatch
{
    public static void Run<K>(SimdTier tier, ref K kernel) where K : struct, ISimdKernel
    {
        switch (tier)
        {
            case SimdTier.V512: kernel.Run<Simd512, Vector512<float>>(); break;
            case SimdTier.V256: kernel.Run<Simd256, Vector256<float>>(); break;
            case SimdTier.V128: kernel.Run<Simd128, Vector128<float>>(); break;
            default: kernel.Run<SimdScalar, float>(); break;
        }
    }
}

internal static class SimdTierFacts
{
    /// <summary>The vector registers of a tier's struct (<see cref="ISimd{V}.Registers"/>), for route rules outside a kernel.</summary>
    public static int Registers(SimdTier tier)
    {
        var q = new RegistersQuery();
        SimdDispatch.Run(tier, ref q);
        return q.Result;
    }

    private struct RegistersQuery : ISimdKernel
    {
        public int Result;
        public void Run<S, V>() where S : struct, ISimd<V> where V : unmanaged => Result = S.Registers;
    }
}
