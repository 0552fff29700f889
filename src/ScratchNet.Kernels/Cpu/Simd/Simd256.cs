using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>The AVX2 tier: 8 floats per vector, 16 registers, masked loads and stores with AVX's vmaskmovps.</summary>
internal readonly unsafe struct Simd256 : ISimd<Vector256<float>>
{
    public static int Count => 8;
    public static int Registers => 16;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    public static Vector256<float> Iota => Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector256<float> v) => Vector256.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadMasked(float* p, Vector256<float> mask) => Avx.MaskLoad(p, mask);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreMasked(float* p, Vector256<float> mask, Vector256<float> v) => Avx.MaskStore(p, mask, v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;
    // Without FMA (an AVX2 part that lacks it, or DOTNET_EnableFMA=0) FusedMultiplyAdd would fall back to a software
    // fma per lane; a multiply and an add keep the tier at vector speed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Avx.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Min(Vector256<float> a, Vector256<float> b) => Avx.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Abs(Vector256<float> a) => Vector256.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> RoundToEven(Vector256<float> a) => Avx.RoundToNearestInteger(a);
    // n added to p's exponent field (AVX2 integer ops).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ScaleByPowerOfTwo(Vector256<float> p, Vector256<float> n) => (p.AsInt32() + Vector256.ShiftLeft(Vector256.ConvertToInt32(n), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Reciprocal(Vector256<float> d) => Vector256<float>.One / d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Equals(Vector256<float> a, Vector256<float> b) => Vector256.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Or(Vector256<float> a, Vector256<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> AndNot(Vector256<float> a, Vector256<float> b) => Vector256.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(Vector256<float> a, Vector256<float> b, out Vector256<float> even, out Vector256<float> odd)
    {
        // vshufps picks (a0 a2 b0 b2 | a4 a6 b4 b6) within 128-bit halves; vpermpd puts the 64-bit pairs in order.
        even = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b10_00_10_00).AsDouble(), 0b11_01_10_00).AsSingle();
        odd = Avx2.Permute4x64(Avx.Shuffle(a, b, 0b11_01_11_01).AsDouble(), 0b11_01_10_00).AsSingle();
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Duplicate(Vector256<float> a, out Vector256<float> lo, out Vector256<float> hi)
    {
        // vunpcklps/vunpckhps work within 128-bit halves: (a0 a0 a1 a1 | a4 a4 a5 a5), (a2 a2 a3 a3 | a6 a6 a7 a7).
        Vector256<float> l = Avx.UnpackLow(a, a), h = Avx.UnpackHigh(a, a);
        lo = Avx.Permute2x128(l, h, 0x20);
        hi = Avx.Permute2x128(l, h, 0x31);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LoadInt32(int* p) => Vector256.ConvertToSingle(Vector256.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt32(int* p, Vector256<float> v) => Vector256.Store(Vector256.ConvertToInt32(v), p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt32Masked(int* p, Vector256<float> mask, Vector256<float> v) => Avx2.MaskStore(p, mask.AsInt32(), Vector256.ConvertToInt32(v));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector256<float> v) => Vector256.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> LessThan(Vector256<float> a, Vector256<float> b) => Vector256.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> GreaterThanOrEqual(Vector256<float> a, Vector256<float> b) => Vector256.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> And(Vector256<float> a, Vector256<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Select(Vector256<float> mask, Vector256<float> a, Vector256<float> b) => Vector256.ConditionalSelect(mask, a, b);
}
