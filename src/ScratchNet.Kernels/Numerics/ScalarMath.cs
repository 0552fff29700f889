using System.Numerics;

namespace ScratchNet.Kernels.Numerics;

/// <summary>
/// Scalar special functions shared by both backends (ILGPU kernels call them too, so they use only generic
/// arithmetic, <c>T.Exp</c> and loops of fixed length).
/// </summary>
public static class ScalarMath
{
    /// <summary>
    /// The error function <c>erf(x) = (2/√π)∫₀ˣ e^(−t²) dt</c>. ILGPU has none, so we write one.
    /// </summary>
    /// <remarks>
    /// float64: the Maclaurin series <c>(2/√π) Σ (−1)ⁿ x^(2n+1) / (n!(2n+1))</c> for |x| &lt; 2.5 (≈1e-14 after
    /// cancellation), and the continued fraction of erfc for |x| ≥ 2.5, both to ~1e-14 absolute; |x| ≥ 6 gives ±1.
    /// float32: Abramowitz &amp; Stegun 7.1.26, |error| ≤ 1.5e-7, about float32's own resolution.
    /// </remarks>
    public static T Erf<T, R>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where R : struct, IReal<T>
    {
        R r = default;
        T ax = T.Abs(x);
        T sign = x < T.Zero ? -T.One : T.One;
        if (!r.IsDouble)
        {
            // A&S 7.1.26: erf(x) ≈ 1 − (a1·t + a2·t² + a3·t³ + a4·t⁴ + a5·t⁵)·e^(−x²), t = 1/(1 + p·x).
            T t = T.One / (T.One + r.Of(0.3275911) * ax);
            T poly = t * (r.Of(0.254829592) + t * (r.Of(-0.284496736) + t * (r.Of(1.421413741) + t * (r.Of(-1.453152027) + t * r.Of(1.061405429)))));
            return sign * (T.One - poly * T.Exp(-ax * ax));
        }
        if (ax >= r.Of(6.0)) return sign;
        if (ax < r.Of(2.5))
        {
            // Σ (−1)ⁿ x^(2n+1)/(n!(2n+1)): term_n = term_{n−1}·(−x²)/n; 60 terms reach 1e-16 at |x| = 2.5.
            T x2 = ax * ax;
            T term = ax;
            T sum = ax;
            T k = T.One;
            for (int n = 1; n < 60; n++)
            {
                term = term * -x2 / k;
                sum += term / (k + k + T.One);
                k += T.One;
            }
            return sign * sum * r.Of(1.1283791670955126); // 2/√π
        }
        // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated bottom-up.
        T f = ax;
        T half = r.Of(0.5);
        T a = r.Of(30.0); // a_n = n/2 for n = 60 … 1
        for (int n = 60; n >= 1; n--)
        {
            f = ax + a / f;
            a -= half;
        }
        T erfc = T.Exp(-ax * ax) * r.Of(0.5641895835477563) / f; // 1/√π
        return sign * (T.One - erfc);
    }

    /// <summary>Standard normal CDF <c>Φ(x) = 0.5·(1 + erf(x/√2))</c>.</summary>
    public static T NormalCdf<T, R>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where R : struct, IReal<T>
    {
        R r = default;
        return r.Of(0.5) * (T.One + Erf<T, R>(x * r.Of(0.7071067811865476)));
    }

    /// <summary>Standard normal density <c>φ(x) = e^(−x²/2)/√(2π)</c>.</summary>
    public static T NormalPdf<T, R>(T x)
        where T : unmanaged, IFloatingPointIeee754<T>
        where R : struct, IReal<T>
    {
        R r = default;
        return T.Exp(-r.Of(0.5) * x * x) * r.Of(0.3989422804014327);
    }
}
