namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// One synthetic sky photo: its row of <c>aqi.csv</c> (same columns as the India/Nepal dataset) plus where it sits
/// in the plan. Images of one group share Location and timestamp and therefore AQI, as the real ~9 photos per
/// station and hour do.
/// </summary>
/// <param name="Index">Position among all sky images (0-based).</param>
/// <param name="GroupIndex">The "station + timestamp" group it belongs to; split train/test by this.</param>
/// <param name="Location">Station name, e.g. "Station-07".</param>
/// <param name="Filename">File name relative to <c>sky/</c>.</param>
/// <param name="Year">Year of the group's timestamp.</param>
/// <param name="Month">Month (1–12).</param>
/// <param name="Day">Day of month.</param>
/// <param name="Hour">Local hour (0–23).</param>
/// <param name="Aqi">The station's US EPA AQI (integer, as in the real data).</param>
/// <param name="Pm25">Station PM2.5, µg/m³ (the EPA inverse of <paramref name="Aqi"/>).</param>
/// <param name="Pm10">Derived PM10, µg/m³.</param>
/// <param name="O3">Derived ozone, µg/m³.</param>
/// <param name="Co">Derived carbon monoxide, mg/m³.</param>
/// <param name="So2">Derived sulphur dioxide, µg/m³.</param>
/// <param name="No2">Derived nitrogen dioxide, µg/m³.</param>
/// <param name="AqiClass">The dataset's AQI_Class label (see <see cref="AqiScale.DatasetClassLabel"/>).</param>
public sealed record SkySample(
    int Index, int GroupIndex, string Location, string Filename,
    int Year, int Month, int Day, int Hour,
    int Aqi, double Pm25, double Pm10, double O3, double Co, double So2, double No2, string AqiClass)
{
    /// <summary>The grouping key a loader should split by: Location + Year + Month + Day + Hour.</summary>
    public string GroupKey => $"{Location}|{Year:D4}-{Month:D2}-{Day:D2}|{Hour:D2}";
}
