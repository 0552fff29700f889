using System.Numerics;

namespace ScratchNet.Kernels.Numerics;

/// <summary>
/// A "trait" struct that lets one generic kernel run in float32 and float64. ILGPU compiles generic math
/// (<c>T.Exp</c>, operators) but not <c>T.CreateTruncating</c>, so literal constants go through
/// <see cref="Of"/>: <c>default(R).Of(0.5)</c> is a constant after inlining, on the CPU JIT and in PTX alike.
/// </summary>
public interface IReal<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The constant <paramref name="value"/> in this precision.</summary>
    T Of(double value);

    /// <summary>True for float64: lets a function pick a longer, more precise series.</summary>
    bool IsDouble { get; }
}

/// <summary>float32 trait.</summary>
public readonly struct F32 : IReal<float>
{
    /// <inheritdoc/>
    public float Of(double value) => (float)value;
    /// <inheritdoc/>
    public bool IsDouble => false;
}

/// <summary>float64 trait.</summary>
public readonly struct F64 : IReal<double>
{
    /// <inheritdoc/>
    public double Of(double value) => value;
    /// <inheritdoc/>
    public bool IsDouble => true;
}
