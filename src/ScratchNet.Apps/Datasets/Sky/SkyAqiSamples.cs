using System.Globalization;
using System.Text;
using ScratchNet.Nn;
using ScratchNet.Nn.Data;

namespace ScratchNet.Apps.Datasets.Sky;

/// <summary>
/// Seed 000's data layout — an AQI CSV (<c>Filename</c>, <c>AQI</c>, …), its image folder and a folder of non-sky
/// photos — as the one CSV the experiment engine reads (<c>image,is_sky,aqi,group</c>, the columns of
/// examples/sky.yml and examples/sky-seed.yml), so <c>train --csv/--images/--negatives</c> is a config run like any other.
/// </summary>
public static class SkyAqiSamples
{
    /// <summary>
    /// Writes <paramref name="manifest"/>'s samples to <paramref name="path"/> (atomically): image paths absolute,
    /// <c>is_sky</c> as <c>sky</c>/<c>not_sky</c>, the AQI blank for non-sky photos (no AQI label: they never count
    /// toward the AQI loss or metrics), the station/hour group kept so near-duplicates stay in one split.
    /// </summary>
    public static void Write(string path, SampleManifest manifest)
    {
        var sb = new StringBuilder("image,is_sky,aqi,group,line\n");
        foreach (var s in manifest.Samples)
        {
            bool sky = s.Targets[0] == 1;
            sb.Append(CsvField.Quote(s.ImagePath)).Append(sky ? ",sky," : ",not_sky,")
              .Append(sky ? s.Targets[1].ToString("R", CultureInfo.InvariantCulture) : "").Append(',')
              .Append(CsvField.Quote(s.GroupKey)).Append(',').Append(s.SourceLine.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(sb.ToString()));
    }
}
