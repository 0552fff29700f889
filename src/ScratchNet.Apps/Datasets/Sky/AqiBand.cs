namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// The six US EPA air-quality-index categories. The upper AQI bound of each band is inclusive:
/// Good ≤ 50, Moderate ≤ 100, Unhealthy for Sensitive Groups ≤ 150, Unhealthy ≤ 200,
/// Very Unhealthy ≤ 300, Hazardous above (the India/Nepal image dataset calls the last one "Severe").
/// </summary>
public enum AqiBand
{
    Good = 0,
    Moderate = 1,
    UnhealthyForSensitiveGroups = 2,
    Unhealthy = 3,
    VeryUnhealthy = 4,
    Hazardous = 5,
}
