namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// One row of the US EPA PM2.5 breakpoint table: concentrations <see cref="PmLow"/>..<see cref="PmHigh"/> (µg/m³,
/// 24-hour mean) map linearly onto index values <see cref="AqiLow"/>..<see cref="AqiHigh"/>.
/// </summary>
/// <param name="PmLow">Lowest PM2.5 concentration of the row, µg/m³.</param>
/// <param name="PmHigh">Highest PM2.5 concentration of the row, µg/m³.</param>
/// <param name="AqiLow">AQI at <paramref name="PmLow"/>.</param>
/// <param name="AqiHigh">AQI at <paramref name="PmHigh"/>.</param>
/// <param name="Band">The category the row belongs to.</param>
public readonly record struct AqiBreakpoint(double PmLow, double PmHigh, int AqiLow, int AqiHigh, AqiBand Band);
