using System.Runtime.CompilerServices;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>
/// The scalar tier: a "vector" of one float, so every width-generic kernel also runs as plain scalar code — the
/// tier a machine without usable SIMD gets, and the one the vector tiers are checked against. A mask is a float
/// whose bits are all ones (true) or all zeros (false), as the vector tiers' masks are.
/// </summary>
internal readonly unsafe struct SimdScalar : ISimd<float>
{
    private static readonly float True = BitConverter.Int32BitsToSingle(-1);

    public static int Count => 1;
    public static int Registers => 16;
    public static float Zero => 0f;
    public static float Iota => 0f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Broadcast(float x) => x;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Load(float* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, float v) => *p = v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LoadMasked(float* p, float mask) => IsTrue(mask) ? *p : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreMasked(float* p, float mask, float v) { if (IsTrue(mask)) *p = v; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Add(float a, float b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Subtract(float a, float b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Multiply(float a, float b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float MultiplyAdd(float a, float b, float c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Max(float a, float b) => MathF.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Min(float a, float b) => MathF.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Abs(float a) => MathF.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float RoundToEven(float a) => MathF.Round(a, MidpointRounding.ToEven);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float ScaleByPowerOfTwo(float p, float n) => MathF.ScaleB(p, (int)n);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Reciprocal(float d) => 1f / d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Equals(float a, float b) => a == b ? True : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Or(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) | BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float AndNot(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & ~BitConverter.SingleToInt32Bits(b));
    // A "vector" of one lane: the sequence a, b has a as its even and b as its odd element.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Deinterleave(float a, float b, out float even, out float odd) { even = a; odd = b; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Duplicate(float a, out float lo, out float hi) { lo = a; hi = a; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LoadInt32(int* p) => *p;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt32(int* p, float v) => *p = (int)v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt32Masked(int* p, float mask, float v) { if (IsTrue(mask)) *p = (int)v; }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(float v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float LessThan(float a, float b) => a < b ? True : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float GreaterThanOrEqual(float a, float b) => a >= b ? True : 0f;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float And(float a, float b) => BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(a) & BitConverter.SingleToInt32Bits(b));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Select(float mask, float a, float b) => IsTrue(mask) ? a : b;

    private static bool IsTrue(float mask) => BitConverter.SingleToInt32Bits(mask) != 0;
}
