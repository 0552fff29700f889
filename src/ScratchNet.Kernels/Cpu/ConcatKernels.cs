using System.Runtime.CompilerServices;
namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Channel concat/split: <c>dst[b, dstC0 + k, p] = src[b, srcC0 + k, p]</c> for k &lt; c, p &lt; hw. In NCHW the c
/// channels of one image are one contiguous run of c·hw elements on both sides, so each image is a single memcpy.
/// </summary>
internal static unsafe class ConcatKernels
{
    public static void CopyChannels<T>(CpuParallel par, T* src, int srcChannels, int srcC0, T* dst, int dstChannels, int dstC0, int n, int c, int hw)
        where T : unmanaged
    {
        long run = (long)c * hw;
        par.For(n, run * n >= CpuParallel.MinElementsPerTask * 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (b) =>
        {
            T* s = src + ((long)b * srcChannels + srcC0) * hw;
            T* d = dst + ((long)b * dstChannels + dstC0) * hw;
            Buffer.MemoryCopy(s, d, run * sizeof(T), run * sizeof(T));
        });
    }
}
