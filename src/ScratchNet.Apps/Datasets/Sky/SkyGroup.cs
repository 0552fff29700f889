namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Everything shared by the ~9 photos of one station at one timestamp: the air (AQI and the PM2.5 the camera
/// actually sees), the sun, the cloud field and the camera the photographer held.
/// </summary>
internal sealed record SkyGroup(
    int Index,
    StationSkyline Station,
    DateTime Time,
    int Aqi,
    double Pm25Station,
    double Pm25Air,
    double SunElevation,
    double SunAzimuth,
    double CloudCover,
    double CloudOffsetX,
    double CloudOffsetY,
    uint CloudSeed,
    double MixingHeightKm,
    double Yaw,
    double HorizontalFov,
    int FirstImage,
    int ImageCount);
