namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// The Preetham–Shirley–Smits (1999) analytic daylight model: clear-sky radiance as a function of view
/// direction, sun direction and atmospheric turbidity T.
/// </summary>
/// <remarks>
/// <para>
/// Turbidity T is the ratio of the optical thickness of the actual atmosphere (molecules + haze) to that
/// of a purely molecular one: T = 2 is a very clear day, 3–6 ordinary haze, 8–10 thin urban smog. Higher T
/// makes the sky whiter and brighter near the horizon and the sun, and less saturated at the zenith.
/// </para>
/// <para>
/// The model gives the three quantities of CIE xyY (chromaticity x, y and luminance Y) separately:
/// <c>value(θ, γ) = value_zenith · F(θ, γ) / F(0, θs)</c>, where θ is the view zenith angle, γ the angle
/// between view and sun, θs the sun zenith angle, and F is the Perez all-weather distribution
/// <c>F(θ, γ) = (1 + A·e^{B / cos θ}) · (1 + C·e^{D·γ} + E·cos²γ)</c>. The first factor models the
/// brightening (or darkening) toward the horizon, the second the circumsolar aureole and back-scatter.
/// A..E are linear in T (fitted by Preetham et al. to a full scattering simulation; the coefficients below
/// are the published ones). The zenith luminance (kcd/m²) is
/// <c>Y_z = (4.0453·T − 4.9710)·tan χ − 0.2155·T + 2.4192</c> with <c>χ = (4/9 − T/120)(π − 2θs)</c>, and
/// the zenith chromaticities are cubic polynomials in θs with T-quadratic coefficients.
/// </para>
/// <para>
/// Simplifications (fine for a training-data stand-in): the model is evaluated at cos θ clamped to ≥ 0.01 so
/// it stays finite at and below the horizon, and T is expected in its fitted range (about 2–10; the caller
/// clips). The heavy-smog look beyond that range is produced by the Koschmieder veil in <see cref="SkyRenderer"/>.
/// </para>
/// </remarks>
internal readonly struct PreethamSky
{
    private readonly double _thetaS;
    private readonly double _zY, _zx, _zy;
    private readonly Perez _pY, _px, _py;
    private readonly double _normY, _normx, _normy;

    private readonly record struct Perez(double A, double B, double C, double D, double E)
    {
        public double F(double cosTheta, double gamma, double cosGamma) =>
            (1 + A * Math.Exp(B / cosTheta)) * (1 + C * Math.Exp(D * gamma) + E * cosGamma * cosGamma);
    }

    /// <param name="turbidity">Atmospheric turbidity T (about 2–10).</param>
    /// <param name="sunZenith">Sun zenith angle θs in radians (0 = overhead).</param>
    public PreethamSky(double turbidity, double sunZenith)
    {
        double T = turbidity;
        _thetaS = sunZenith;
        double ts = sunZenith, ts2 = ts * ts, ts3 = ts2 * ts, T2 = T * T;

        double chi = (4.0 / 9.0 - T / 120.0) * (Math.PI - 2 * ts);
        _zY = (4.0453 * T - 4.9710) * Math.Tan(chi) - 0.2155 * T + 2.4192;
        _zY = Math.Max(_zY, 0.05); // the fit goes slightly negative for a sun at the horizon with low T
        _zx = (0.00166 * ts3 - 0.00375 * ts2 + 0.00209 * ts) * T2
            + (-0.02903 * ts3 + 0.06377 * ts2 - 0.03202 * ts + 0.00394) * T
            + (0.11693 * ts3 - 0.21196 * ts2 + 0.06052 * ts + 0.25886);
        _zy = (0.00275 * ts3 - 0.00610 * ts2 + 0.00317 * ts) * T2
            + (-0.04214 * ts3 + 0.08970 * ts2 - 0.04153 * ts + 0.00516) * T
            + (0.15346 * ts3 - 0.26756 * ts2 + 0.06670 * ts + 0.26688);

        _pY = new(0.1787 * T - 1.4630, -0.3554 * T + 0.4275, -0.0227 * T + 5.3251, 0.1206 * T - 2.5771, -0.0670 * T + 0.3703);
        _px = new(-0.0193 * T - 0.2592, -0.0665 * T + 0.0008, -0.0004 * T + 0.2125, -0.0641 * T - 0.8989, -0.0033 * T + 0.0452);
        _py = new(-0.0167 * T - 0.2608, -0.0950 * T + 0.0092, -0.0079 * T + 0.2102, -0.0441 * T - 1.6537, -0.0109 * T + 0.0529);

        // F(0, θs): the distribution at the zenith, where γ = θs.
        double cs = Math.Cos(ts);
        _normY = _pY.F(1, ts, cs);
        _normx = _px.F(1, ts, cs);
        _normy = _py.F(1, ts, cs);
    }

    /// <summary>Zenith luminance Y_z in kcd/m² (used to scale sunlight and clouds consistently with the sky).</summary>
    public double ZenithLuminance => _zY;

    /// <summary>Sun zenith angle θs in radians.</summary>
    public double SunZenith => _thetaS;

    /// <summary>Sky radiance as linear sRGB for view zenith angle θ and view–sun angle γ (radians).</summary>
    public (double R, double G, double B) Radiance(double theta, double gamma)
    {
        double cosT = Math.Max(Math.Cos(theta), 0.01);
        double cosG = Math.Cos(gamma);
        double Y = _zY * _pY.F(cosT, gamma, cosG) / _normY;
        double x = _zx * _px.F(cosT, gamma, cosG) / _normx;
        double y = _zy * _py.F(cosT, gamma, cosG) / _normy;
        return ColorMath.XyYToLinearRgb(x, y, Y);
    }
}
