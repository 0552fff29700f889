namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>
/// One SIMD width, as the width-generic kernels see it: <typeparamref name="V"/> is a vector of
/// <see cref="Count"/> floats. Kernels are written once as <c>Kernel&lt;S, V&gt;() where S : struct, ISimd&lt;V&gt;</c>;
/// the JIT compiles one copy per struct <c>S</c> and inlines these static members, so the generic code costs
/// nothing over hand-written <c>Vector256</c> code (candle's <c>trait Cpu&lt;const ARR&gt;</c>, written once for AVX,
/// NEON and simd128, is the same idea). <see cref="SimdDispatch"/> turns a run-time <see cref="SimdTier"/> into the
/// struct.
/// </summary>
/// <remarks>
/// Masks are vectors whose lanes are all ones (true) or all zeros (false), as the comparisons return them.
/// <see cref="LoadMasked"/> and <see cref="StoreMasked"/> never touch the memory of a false lane, so a load that hangs
/// over the edge of a buffer is safe — AVX-512's mask registers and AVX's <c>vmaskmovps</c> do this in hardware; the
/// 128-bit tier without AVX (NEON) and the scalar tier do it lane by lane.
/// </remarks>
internal unsafe interface ISimd<V> where V : unmanaged
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Architectural vector registers (32 on AVX-512 and ARM64, 16 on AVX2/SSE): register blocks are sized from it,
    /// since a block that does not fit spills its accumulators to the stack.
    /// </summary>
    static abstract int Registers { get; }

    static abstract V Zero { get; }

    /// <summary>Lane l holds the float l (0, 1, 2, …): lane indices for masks.</summary>
    static abstract V Iota { get; }

    static abstract V Broadcast(float x);
    static abstract V Load(float* p);
    static abstract void Store(float* p, V v);

    /// <summary>Lanes where <paramref name="mask"/> is true are read, the others are 0 and their memory is not touched.</summary>
    static abstract V LoadMasked(float* p, V mask);

    /// <summary>Writes only the lanes where <paramref name="mask"/> is true.</summary>
    static abstract void StoreMasked(float* p, V mask, V v);

    static abstract V Add(V a, V b);
    static abstract V Subtract(V a, V b);
    static abstract V Multiply(V a, V b);

    /// <summary><c>a·b + c</c>: one fused instruction where the tier has FMA, a multiply and an add where it has not.</summary>
    static abstract V MultiplyAdd(V a, V b, V c);

    /// <summary>Lane maximum / minimum; which operand a NaN lane returns is the hardware's (x86: the second).</summary>
    static abstract V Max(V a, V b);
    static abstract V Min(V a, V b);
    static abstract V Abs(V a);

    /// <summary>Each lane rounded to the nearest integer, ties to even.</summary>
    static abstract V RoundToEven(V a);

    /// <summary><c>p·2ⁿ</c> for integral n whose result is a normal float (exponent arithmetic, no multiply).</summary>
    static abstract V ScaleByPowerOfTwo(V p, V n);

    /// <summary>1/d to float precision for d ≥ 1 (AVX-512: a 14-bit estimate and one Newton step; elsewhere a division).</summary>
    static abstract V Reciprocal(V d);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(V v);

    /// <summary>Mask: a &lt; b, lane by lane.</summary>
    static abstract V LessThan(V a, V b);

    /// <summary>Mask: a ≥ b, lane by lane.</summary>
    static abstract V GreaterThanOrEqual(V a, V b);

    /// <summary>Mask: a = b, lane by lane (false for NaN, so <c>Equals(v, v)</c> tests for a number).</summary>
    static abstract V Equals(V a, V b);

    static abstract V And(V a, V b);
    static abstract V Or(V a, V b);

    /// <summary><c>a &amp; ~b</c>.</summary>
    static abstract V AndNot(V a, V b);

    /// <summary>
    /// The even- and odd-numbered elements of the 2·Count-element sequence a, b: even = (a0, a2, …, b0, b2, …), odd =
    /// (a1, a3, …, b1, b3, …) — a row of 2×2 windows split into each window's left and right column.
    /// </summary>
    static abstract void Deinterleave(V a, V b, out V even, out V odd);

    /// <summary>Each element twice: lo = (a0, a0, a1, a1, …) for the first half of a, hi the same for its second half.</summary>
    static abstract void Duplicate(V a, out V lo, out V hi);

    /// <summary>Loads Count int32s as floats (exact below 2²⁴: flat indices of a plane).</summary>
    static abstract V LoadInt32(int* p);

    /// <summary>Stores integral floats as int32s (exact below 2²⁴).</summary>
    static abstract void StoreInt32(int* p, V v);

    /// <summary><see cref="StoreInt32"/> of the lanes where <paramref name="mask"/> is true only.</summary>
    static abstract void StoreInt32Masked(int* p, V mask, V v);

    /// <summary>Lane by lane: mask ? a : b.</summary>
    static abstract V Select(V mask, V a, V b);
}
