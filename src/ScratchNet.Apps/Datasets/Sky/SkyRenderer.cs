namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Plans and renders the synthetic sky photos: groups of ~9 shots per "station + timestamp" sharing one AQI,
/// each a physically motivated render of hazy daylight over a procedural skyline.
/// </summary>
/// <remarks>
/// <para><b>Label → air.</b> Per group the AQI is drawn first from a log-normal (median 120, σ_ln 0.65) truncated
/// to [15, 450] — skewed like the real data, most days moderate to unhealthy with a long polluted tail. The station's
/// PM2.5 is the EPA inverse (<see cref="AqiScale.AqiToPm25"/>). The air the camera sees differs from the station's
/// by a factor U(0.8, 1.2) per group (station vs camera mismatch: the monitor is km away and averages over an hour)
/// and a further U(0.95, 1.05) per image (each shot looks through a different column of air). That jitter bounds
/// how well any model can do, as in the real data.</para>
/// <para><b>Air → optics.</b> Extinction at 550 nm is β = β_R + β_A with Rayleigh β_R = 0.0116 km⁻¹ (∝ λ⁻⁴ per
/// channel: 0.0059, 0.0116, 0.0259 at 650/550/450 nm) and aerosol β_A = 0.0038 km⁻¹ per µg/m³ PM2.5 (a mass
/// extinction efficiency of 3.8 m²/g including humidity growth, Ångström exponent 0.8 across channels).
/// Koschmieder's visibility V = 3.912/β then runs from ~130 km at PM2.5 = 5 to ~2.5 km at PM2.5 = 400.</para>
/// <para><b>Sky.</b> The clear-sky radiance is Preetham's model (<see cref="PreethamSky"/>) with turbidity
/// T = 2 + PM2.5/25 clipped to [2, 9]. Beyond the model's fitted range the polluted boundary layer (mixing height H
/// ≈ 0.7–1.1 km) is added as a veil: along a view of elevation e the slant optical depth is τ = β_A·H/(sin e + 0.035),
/// and the sky becomes L·e^(−τ) + A·(1 − e^(−τ)); the 0.035 stands in for Earth curvature so the horizon stays finite.
/// Clouds (value-noise fBm on a plane 2 km up, coverage 0–60 %) sit above the veil, so haze also hides them.</para>
/// <para><b>Skyline.</b> Layers at distance d (a foreground of trees at 0.04–0.15 km or houses at 0.12–0.4 km, building rows at 0.8–7 km, hills at 4–22 km; below the horizon a ground plane of roofs) are lit by
/// ambient skylight (the zenith colour) plus the direct sun, whose beam is attenuated by e^(−(τ_R + τ_A)·m) with air
/// mass m ≈ 1/sin(sun elevation) — heavy smog flattens the light. Each layer's radiance J is then hazed by
/// Koschmieder's law I = J·t + A·(1 − t), t = e^(−β·d), per channel. The airlight A is the horizon sky radiance in
/// that azimuth, tinted brown-grey as PM2.5 rises (absorbing black carbon and dust: up to 65 % of the way to a
/// (1.10, 1, 0.82) cast and 15 % darker at PM2.5 ≥ 300).</para>
/// <para><b>Nuisances.</b> Sun position from the station's latitude/longitude, date and hour (declination and hour
/// angle; elevation ≥ 10°); camera yaw (group) ± 6° (image), pitch that puts the horizon 50–85 % down the frame,
/// roll ± 2°, field of view 45–66°; exposure, white balance, noise and blur in <see cref="CameraPipeline"/>.</para>
/// <para><b>Determinism.</b> The plan is drawn sequentially from the seed; each image then draws from its own
/// generator seeded with (seed, index), so <see cref="Render"/> gives the same bytes whatever thread calls it.</para>
/// </remarks>
public sealed class SkyRenderer
{
    /// <summary>Number of distinct stations (the real dataset has eight cities; we use more skylines for variety).</summary>
    public const int StationCount = 16;

    private const double AerosolPerPm = 0.0038; // km⁻¹ per µg/m³
    private static readonly double[] RayleighBeta = [0.0059, 0.0116, 0.0259];
    private static readonly double[] AerosolSpectral = [0.875, 1.0, 1.174];
    private static readonly double[] BrownGrey = [1.10 / 1.0045, 1.0 / 1.0045, 0.82 / 1.0045];
    private const double CloudHeightKm = 2.0;
    private const int AirlightBins = 64;
    private static readonly double[] CloudQuantiles = BuildCloudQuantiles();

    private readonly StationSkyline[] _stations;
    private readonly SkyGroup[] _groups;
    private readonly int[] _groupOfImage;
    private readonly SkySample[] _samples;

    /// <summary>Plans <paramref name="count"/> sky images for <paramref name="seed"/> (cheap; rendering happens in <see cref="Render"/>).</summary>
    public SkyRenderer(long seed, int count, string imageExtension = ".png")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Seed = seed;
        _stations = Enumerable.Range(0, StationCount).Select(i => StationSkyline.Create(seed, i)).ToArray();
        var plan = SkyRandom.Derive(seed, 2, 0);
        var groups = new List<SkyGroup>();
        var used = new HashSet<string>();
        _groupOfImage = new int[count];
        _samples = new SkySample[count];
        int first = 0;
        while (first < count)
        {
            int n = Math.Min(plan.Int(6, 13), count - first);
            var (group, samples) = DrawGroup(groups.Count, first, n, used, imageExtension);
            for (int j = 0; j < n; j++)
            {
                _groupOfImage[first + j] = group.Index;
                _samples[first + j] = samples[j];
            }
            groups.Add(group);
            first += n;
        }
        _groups = groups.ToArray();
    }

    /// <summary>The dataset seed.</summary>
    public long Seed { get; }

    /// <summary>One CSV row per image, in image order.</summary>
    public IReadOnlyList<SkySample> Samples => _samples;

    /// <summary>Number of "station + timestamp" groups.</summary>
    public int GroupCount => _groups.Length;

    /// <summary>The PM2.5 (µg/m³) the camera of image <paramref name="index"/> actually looked through (label + jitter).</summary>
    public double EffectivePm25(int index) => _groups[_groupOfImage[index]].Pm25Air * ImageJitter(index);

    private double ImageJitter(int index) => SkyRandom.Derive(Seed, 5, index).Uniform(0.95, 1.05);

    private (SkyGroup, SkySample[]) DrawGroup(int g, int first, int n, HashSet<string> used, string ext)
    {
        var rng = SkyRandom.Derive(Seed, 3, g);
        var station = _stations[rng.Int(0, StationCount)];
        DateTime time;
        double elev, azim;
        while (true)
        {
            time = new DateTime(rng.Int(2022, 2025), 1, 1).AddDays(rng.Int(0, 365)).AddHours(rng.Int(7, 18));
            (elev, azim) = SunPosition(station.LatitudeDeg, station.LongitudeDeg, time.DayOfYear, time.Hour + rng.NextDouble());
            if (elev < 10 * Math.PI / 180) continue;
            if (used.Add($"{station.Name}|{time:yyyyMMddHH}")) break;
        }

        double aqiDraw;
        do aqiDraw = 120 * Math.Exp(0.65 * rng.Normal()); while (aqiDraw < 15 || aqiDraw > 450);
        int aqi = (int)Math.Round(aqiDraw);
        double pm25 = Math.Round(AqiScale.AqiToPm25(aqi), 1);
        double pmAir = pm25 * rng.Uniform(0.8, 1.2);

        var group = new SkyGroup(
            Index: g, Station: station, Time: time, Aqi: aqi, Pm25Station: pm25, Pm25Air: pmAir,
            SunElevation: elev, SunAzimuth: azim,
            CloudCover: rng.Chance(0.2) ? 0 : rng.Uniform(0, 0.6),
            CloudOffsetX: rng.Uniform(-1000, 1000), CloudOffsetY: rng.Uniform(-1000, 1000), CloudSeed: rng.NextSeed(),
            MixingHeightKm: rng.Uniform(0.7, 1.1),
            Yaw: station.BaseYaw + rng.Uniform(-0.7, 0.7),
            HorizontalFov: rng.Uniform(45, 66) * Math.PI / 180,
            FirstImage: first, ImageCount: n);

        // Co-pollutants: loosely tied to PM2.5 as in Indian CPCB data (PM10 ≈ 1.5–2.3 × PM2.5, combustion NO2/CO rise with it).
        double pm10 = Math.Round(pm25 * rng.Uniform(1.5, 2.3), 1);
        double no2 = Math.Round((12 + 0.25 * pm25) * rng.Uniform(0.6, 1.4), 1);
        double o3 = Math.Round(rng.Uniform(8, 70) * (pm25 > 150 ? 0.7 : 1.0), 1);
        double co = Math.Round((0.3 + 0.012 * pm25) * rng.Uniform(0.6, 1.4), 2);
        double so2 = Math.Round(rng.Uniform(2, 22), 1);
        string cls = AqiScale.DatasetClassLabel(AqiScale.BandOf(aqi));
        var samples = new SkySample[n];
        for (int j = 0; j < n; j++)
        {
            string file = $"{station.Name}_{time:yyyy-MM-dd-HH}.00-{j + 1}{ext}";
            samples[j] = new SkySample(first + j, g, station.Name, file, time.Year, time.Month, time.Day, time.Hour,
                aqi, pm25, pm10, o3, co, so2, no2, cls);
        }
        return (group, samples);
    }

    /// <summary>
    /// Solar elevation and azimuth (radians; azimuth from north, clockwise) from the textbook approximation:
    /// declination δ = 23.44°·sin(2π(284 + n)/365), hour angle H = 15°·(solar time − 12), with solar time taken as
    /// clock time corrected by longitude against the Indian standard meridian 82.5° E (equation of time ignored);
    /// sin α = sin φ sin δ + cos φ cos δ cos H.
    /// </summary>
    internal static (double Elevation, double Azimuth) SunPosition(double latDeg, double lonDeg, int dayOfYear, double clockHour)
    {
        double phi = latDeg * Math.PI / 180;
        double decl = 23.44 * Math.PI / 180 * Math.Sin(2 * Math.PI * (284 + dayOfYear) / 365.0);
        double solar = clockHour + (lonDeg - 82.5) / 15.0;
        double h = 15 * (solar - 12) * Math.PI / 180;
        double sinEl = Math.Sin(phi) * Math.Sin(decl) + Math.Cos(phi) * Math.Cos(decl) * Math.Cos(h);
        double el = Math.Asin(Math.Clamp(sinEl, -1, 1));
        double az = Math.Atan2(-Math.Sin(h), Math.Tan(decl) * Math.Cos(phi) - Math.Sin(phi) * Math.Cos(h));
        return (el, az < 0 ? az + 2 * Math.PI : az);
    }

    /// <summary>Renders sky image <paramref name="index"/> at <paramref name="size"/>×<paramref name="size"/> as packed RGB bytes (row-major).</summary>
    public byte[] Render(int index, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 16);
        var g = _groups[_groupOfImage[index]];
        var st = g.Station;
        var rng = SkyRandom.Derive(Seed, 4, index);

        double pm = EffectivePm25(index);
        double turbidity = Math.Clamp(2 + pm / 25, 2, 9);
        double sunZenith = Math.PI / 2 - g.SunElevation;
        var sky = new PreethamSky(turbidity, sunZenith);
        double sinEs = Math.Sin(g.SunElevation), cosEs = Math.Cos(g.SunElevation);

        // Camera for this shot.
        double yaw = g.Yaw + rng.Uniform(-6, 6) * Math.PI / 180;
        double hfov = g.HorizontalFov * rng.Uniform(0.95, 1.05);
        double f = size / 2.0 / Math.Tan(hfov / 2);
        double horizonRow = size * rng.Uniform(0.5, 0.85);
        double cx = size / 2.0, cy = size / 2.0;
        double pitch = Math.Atan((horizonRow - cy) / f);
        double roll = rng.Uniform(-2, 2) * Math.PI / 180;
        double cp = Math.Cos(pitch), sp = Math.Sin(pitch), cr = Math.Cos(roll), sr = Math.Sin(roll);
        double cover = Math.Clamp(g.CloudCover + rng.Uniform(-0.05, 0.05), 0, 0.6);
        double cloudThreshold = cover <= 0.005 ? double.PositiveInfinity : CloudQuantiles[(int)((1 - cover) * (CloudQuantiles.Length - 1))];
        double cloudDx = g.CloudOffsetX + rng.Uniform(-0.3, 0.3), cloudDy = g.CloudOffsetY + rng.Uniform(-0.3, 0.3);

        // Optics of the air for this shot.
        double betaA = AerosolPerPm * pm;
        Span<double> beta = stackalloc double[3], betaAer = stackalloc double[3], sun = stackalloc double[3], zenith = stackalloc double[3];
        double airMass = 1 / (sinEs + 0.025);
        var (zr, zg, zb) = sky.Radiance(0, sunZenith);
        zenith[0] = zr; zenith[1] = zg; zenith[2] = zb;
        for (int c = 0; c < 3; c++)
        {
            betaAer[c] = betaA * AerosolSpectral[c];
            beta[c] = RayleighBeta[c] + betaAer[c];
            // Direct beam: Rayleigh column (8 km scale height) + aerosol column (mixing height).
            sun[c] = 28 * Math.Exp(-(RayleighBeta[c] * 8 + betaAer[c] * g.MixingHeightKm) * airMass);
        }
        double cast = 0.65 * ColorMath.Smoothstep(40, 300, pm);
        double darken = 1 - 0.15 * cast / 0.65;
        double camH = st.CameraHeightM;

        // Airlight A(azimuth): the horizon sky in that azimuth, with the brown-grey cast of heavy pollution. It varies
        // slowly with azimuth, so it is tabulated across the field of view instead of evaluated per pixel.
        double halfSpan = Math.Atan(Math.Sqrt(2) * (size / 2.0) / f) + 0.05;
        double azMin = yaw - halfSpan, azStep = 2 * halfSpan / (AirlightBins - 1);
        var airlight = new double[AirlightBins * 3];
        for (int b = 0; b < AirlightBins; b++)
        {
            double cosDaz0 = Math.Cos(azMin + b * azStep - g.SunAzimuth);
            double gamma0 = Math.Acos(Math.Clamp(Math.Cos(0.03) * cosEs * cosDaz0 + Math.Sin(0.03) * sinEs, -1, 1));
            var (ar, ag, ab) = sky.Radiance(Math.PI / 2 - 0.03, gamma0);
            double al = ColorMath.Luminance(ar, ag, ab);
            airlight[3 * b] = ColorMath.Lerp(ar, al * BrownGrey[0], cast) * darken;
            airlight[3 * b + 1] = ColorMath.Lerp(ag, al * BrownGrey[1], cast) * darken;
            airlight[3 * b + 2] = ColorMath.Lerp(ab, al * BrownGrey[2], cast) * darken;
        }

        var hdr = new float[size * size * 3];
        Span<double> a = stackalloc double[3], px = stackalloc double[3];
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                double u = (x + 0.5 - cx) / f, v = (cy - y - 0.5) / f;
                double ur = u * cr - v * sr, vr = u * sr + v * cr;
                double dy = vr * cp + sp, dz = -vr * sp + cp, dx = ur;
                double horiz = Math.Sqrt(dx * dx + dz * dz);
                double tanE = dy / horiz;
                double e = Math.Atan(tanE);
                double az = yaw + Math.Atan2(dx, dz);
                double cosDaz = Math.Cos(az - g.SunAzimuth);

                // Airlight for this azimuth, interpolated from the per-image table.
                double ap = Math.Clamp((az - azMin) / azStep, 0, AirlightBins - 1.001);
                int ai = (int)ap;
                double af = ap - ai;
                for (int c = 0; c < 3; c++) a[c] = airlight[ai * 3 + c] * (1 - af) + airlight[(ai + 1) * 3 + c] * af;

                // Which surface does the ray meet first: a skyline layer, the ground, or nothing (sky)?
                SkylineLayer? hit = null;
                double groundKm = e < 0 ? Math.Min(camH / 1000 / -tanE, 60) : double.PositiveInfinity;
                bool ground = false;
                foreach (var layer in st.Layers)
                {
                    if (groundKm < layer.DistanceKm) { ground = true; break; }
                    double top = (layer.Heights[SkylineLayer.IndexOf(az)] - camH) / (layer.DistanceKm * 1000);
                    if (tanE < top) { hit = layer; break; }
                }
                if (hit is null && e < 0) ground = true;

                if (hit is not null || ground)
                {
                    double d;
                    double k; // fraction of the direct beam reaching the visible surface
                    double albR, albG, albB, tex;
                    double cosInc = -cosEs * cosDaz; // facade facing the camera vs sun direction
                    if (hit is not null)
                    {
                        d = hit.DistanceKm;
                        int idx = SkylineLayer.IndexOf(az);
                        double tone = hit.Tone[idx];
                        double scale = 40 / Math.Sqrt(d);
                        tex = 0.75 + 0.5 * ValueNoise.Noise(az * scale * 10, e * scale * 10, hit.TextureSeed);
                        (albR, albG, albB) = hit.Albedo;
                        albR *= tone; albG *= tone; albB *= tone;
                        k = hit.Kind switch
                        {
                            LayerKind.Buildings => 0.12 + 0.8 * Math.Max(0, cosInc) * tex,
                            LayerKind.Trees => 0.15 + 0.35 * Math.Max(0, cosInc) + 0.3 * sinEs,
                            _ => 0.1 + 0.3 * sinEs + 0.5 * Math.Max(0, cosInc) * tex,
                        };
                    }
                    else
                    {
                        d = groundKm;
                        // The ground seen from a roof is a carpet of roofs and yards: 10 m cells of random tone on the ground plane.
                        double gx = Math.Sin(az) * d * 100, gz = Math.Cos(az) * d * 100;
                        tex = 0.55 + 0.35 * ValueNoise.Cell((int)Math.Floor(gx), (int)Math.Floor(gz), st.GroundSeed)
                            + 0.4 * ValueNoise.Fbm(gx * 0.3, gz * 0.3, st.GroundSeed + 1, 3);
                        (albR, albG, albB) = st.GroundAlbedo;
                        k = sinEs;
                    }
                    px[0] = albR; px[1] = albG; px[2] = albB;
                    for (int c = 0; c < 3; c++)
                    {
                        double j = px[c] * tex * (1.1 * zenith[c] + sun[c] * k);
                        double t = Math.Exp(-beta[c] * d);
                        px[c] = j * t + a[c] * (1 - t); // Koschmieder
                    }
                }
                else
                {
                    double theta = Math.PI / 2 - e;
                    double cosGamma = Math.Clamp(Math.Sin(e) * sinEs + Math.Cos(e) * cosEs * cosDaz, -1, 1);
                    double gamma = Math.Acos(cosGamma);
                    (px[0], px[1], px[2]) = sky.Radiance(theta, gamma);

                    double alpha = 0;
                    if (cloudThreshold < 1 && e > 0.005)
                    {
                        double r = CloudHeightKm / Math.Max(Math.Sin(e), 0.02) / 4.0;
                        double cxz = Math.Cos(e) * r;
                        double n = ValueNoise.Fbm(Math.Sin(az) * cxz + cloudDx, Math.Cos(az) * cxz + cloudDy, g.CloudSeed, 4);
                        alpha = ColorMath.Smoothstep(cloudThreshold, cloudThreshold + 0.08, n) * ColorMath.Smoothstep(0.01, 0.12, e);
                        if (alpha > 0)
                        {
                            // Thicker cloud (higher n) is darker underneath; the sunward side gets a silver lining.
                            double shade = 1 - 0.45 * ColorMath.Smoothstep(cloudThreshold, cloudThreshold + 0.25, n);
                            double lining = 0.08 + 0.5 * Math.Exp(-gamma / 0.4);
                            for (int c = 0; c < 3; c++)
                            {
                                double lc = 1.0 * ColorMath.Luminance(zenith[0], zenith[1], zenith[2]) * shade + sun[c] * lining * shade;
                                px[c] = px[c] * (1 - alpha) + lc * alpha;
                            }
                        }
                    }
                    // Sun disc (a clipped highlight a couple of pixels wide), hidden by cloud.
                    double disc = Math.Exp(-(gamma / 0.02) * (gamma / 0.02)) * 6 * (1 - alpha);
                    double slant = 1 / (Math.Max(Math.Sin(e), 0) + 0.035);
                    for (int c = 0; c < 3; c++)
                    {
                        double veil = 1 - Math.Exp(-betaAer[c] * g.MixingHeightKm * slant);
                        px[c] = (px[c] + sun[c] * disc) * (1 - veil) + a[c] * veil;
                    }
                }
                int o = (y * size + x) * 3;
                hdr[o] = (float)px[0]; hdr[o + 1] = (float)px[1]; hdr[o + 2] = (float)px[2];
            }
        }

        var cam = CameraSettings.Draw(ref rng);
        return CameraPipeline.Develop(hdr, size, cam, 0.34, ref rng);
    }

    /// <summary>Empirical quantiles of the 4-octave fBm, so a cloud cover fraction maps to the right threshold.</summary>
    private static double[] BuildCloudQuantiles()
    {
        var rng = new SkyRandom(12345);
        var v = new double[4001];
        for (int i = 0; i < v.Length; i++) v[i] = ValueNoise.Fbm(rng.Uniform(-500, 500), rng.Uniform(-500, 500), 777u, 4);
        Array.Sort(v);
        return v;
    }
}
