using ScratchNet.Kernels;
using ScratchNet.Tensors;

namespace ScratchNet.Nn;

/// <summary>
/// Parameter initialisation with PyTorch's defaults, from a seedable generator (PyTorch: <c>torch.manual_seed</c>
/// and <c>torch.nn.init</c>). Same seed, same model: on every device, since values are drawn on the host.
/// </summary>
public static class Init
{
    [ThreadStatic] private static Random? generator;

    /// <summary>The generator layers draw from on this thread.</summary>
    public static Random Generator => generator ??= new Random(0);

    /// <summary>Reseeds the generator (PyTorch: <c>torch.manual_seed</c>).</summary>
    public static void ManualSeed(int seed) => generator = new Random(seed);

    /// <summary>
    /// <c>kaiming_uniform_(a=√5)</c> as Conv2d/Linear use it: uniform(−b, b) with b = gain·√(3/fan_in),
    /// gain = √(2/(1+a²)) = √(1/3), so b = 1/√fan_in.
    /// </summary>
    public static Tensor KaimingUniformDefault(int[] shape, int fanIn, DType dtype, Device device)
    {
        double bound = 1.0 / Math.Sqrt(fanIn);
        return Tensor.Uniform(shape, -bound, bound, dtype, device, Generator);
    }

    /// <summary>
    /// He initialisation, <c>kaiming_uniform_(a=0)</c>: uniform(−b, b) with b = √2·√(3/fan_in) = √(6/fan_in), which keeps
    /// the variance of activations through ReLU layers (torchvision's SqueezeNet initialises its convolutions so).
    /// </summary>
    public static Tensor KaimingUniform(int[] shape, int fanIn, DType dtype, Device device)
    {
        double bound = Math.Sqrt(6.0 / fanIn);
        return Tensor.Uniform(shape, -bound, bound, dtype, device, Generator);
    }

    /// <summary>Bias init of Conv2d/Linear: uniform(−1/√fan_in, 1/√fan_in).</summary>
    public static Tensor BiasUniform(int size, int fanIn, DType dtype, Device device)
    {
        double bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
        return Tensor.Uniform([size], -bound, bound, dtype, device, Generator);
    }

    /// <summary>A fresh 64-bit seed from the generator (for Dropout's mask stream).</summary>
    public static ulong NextSeed() => (ulong)Generator.NextInt64();
}
