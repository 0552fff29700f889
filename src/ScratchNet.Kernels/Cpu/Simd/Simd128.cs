using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ScratchNet.Kernels.Cpu.Simd;

/// <summary>The 128-bit tier: 4 floats per vector; SSE (with AVX's masked moves and FMA where the CPU has them) on x86, NEON on ARM64 (32 registers there).</summary>
internal readonly unsafe struct Simd128 : ISimd<Vector128<float>>
{
    public static int Count => 4;
    public static int Registers => AdvSimd.Arm64.IsSupported ? 32 : 16;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    public static Vector128<float> Iota => Vector128.Create(0f, 1, 2, 3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(float* p, Vector128<float> v) => Vector128.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadMasked(float* p, Vector128<float> mask)
    {
        if (Avx.IsSupported) return Avx.MaskLoad(p, mask);
        // NEON and pre-AVX x86 have no masked load: lane by lane (only edge vectors come here).
        var bits = mask.AsInt32();
        return Vector128.Create(bits[0] != 0 ? p[0] : 0f, bits[1] != 0 ? p[1] : 0f, bits[2] != 0 ? p[2] : 0f, bits[3] != 0 ? p[3] : 0f);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreMasked(float* p, Vector128<float> mask, Vector128<float> v)
    {
        if (Avx.IsSupported) { Avx.MaskStore(p, mask, v); return; }
        var bits = mask.AsInt32();
        for (int l = 0; l < 4; l++) if (bits[l] != 0) p[l] = v[l];
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;
    // FMA on x86 with it and on NEON (vfmaq); a multiply and an add elsewhere (SSE only), not a software fma per lane.
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : AdvSimd.IsSupported ? AdvSimd.FusedMultiplyAdd(c, a, b) : a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Sse.IsSupported ? Sse.Max(a, b) : Vector128.Max(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Min(Vector128<float> a, Vector128<float> b) => Sse.IsSupported ? Sse.Min(a, b) : Vector128.Min(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Abs(Vector128<float> a) => Vector128.Abs(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> RoundToEven(Vector128<float> a) =>
        Sse41.IsSupported ? Sse41.RoundToNearestInteger(a) : AdvSimd.IsSupported ? AdvSimd.RoundToNearest(a) : Vector128.Round(a);
    // n added to p's exponent field.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ScaleByPowerOfTwo(Vector128<float> p, Vector128<float> n) => (p.AsInt32() + Vector128.ShiftLeft(Vector128.ConvertToInt32(n), 23)).AsSingle();
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Reciprocal(Vector128<float> d) => Vector128<float>.One / d;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Equals(Vector128<float> a, Vector128<float> b) => Vector128.Equals(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Or(Vector128<float> a, Vector128<float> b) => a | b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> AndNot(Vector128<float> a, Vector128<float> b) => Vector128.AndNot(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Deinterleave(Vector128<float> a, Vector128<float> b, out Vector128<float> even, out Vector128<float> odd)
    {
        if (Sse.IsSupported)
        {
            even = Sse.Shuffle(a, b, 0b10_00_10_00);
            odd = Sse.Shuffle(a, b, 0b11_01_11_01);
        }
        else if (AdvSimd.Arm64.IsSupported)
        {
            even = AdvSimd.Arm64.UnzipEven(a, b);
            odd = AdvSimd.Arm64.UnzipOdd(a, b);
        }
        else
        {
            even = Vector128.Create(a[0], a[2], b[0], b[2]);
            odd = Vector128.Create(a[1], a[3], b[1], b[3]);
        }
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Duplicate(Vector128<float> a, out Vector128<float> lo, out Vector128<float> hi)
    {
        if (Sse.IsSupported) { lo = Sse.UnpackLow(a, a); hi = Sse.UnpackHigh(a, a); }
        else if (AdvSimd.Arm64.IsSupported) { lo = AdvSimd.Arm64.ZipLow(a, a); hi = AdvSimd.Arm64.ZipHigh(a, a); }
        else { lo = Vector128.Create(a[0], a[0], a[1], a[1]); hi = Vector128.Create(a[2], a[2], a[3], a[3]); }
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LoadInt32(int* p) => Vector128.ConvertToSingle(Vector128.Load(p));
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void StoreInt32(int* p, Vector128<float> v) => Vector128.Store(Vector128.ConvertToInt32(v), p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInt32Masked(int* p, Vector128<float> mask, Vector128<float> v)
    {
        var ints = Vector128.ConvertToInt32(v);
        if (Avx2.IsSupported) { Avx2.MaskStore(p, mask.AsInt32(), ints); return; }
        var bits = mask.AsInt32();
        for (int l = 0; l < 4; l++) if (bits[l] != 0) p[l] = ints[l];
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static float Sum(Vector128<float> v) => Vector128.Sum(v);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> LessThan(Vector128<float> a, Vector128<float> b) => Vector128.LessThan(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> GreaterThanOrEqual(Vector128<float> a, Vector128<float> b) => Vector128.GreaterThanOrEqual(a, b);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> And(Vector128<float> a, Vector128<float> b) => a & b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Select(Vector128<float> mask, Vector128<float> a, Vector128<float> b) => Vector128.ConditionalSelect(mask, a, b);
}
