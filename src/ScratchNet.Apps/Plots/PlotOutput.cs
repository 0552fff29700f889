using ScottPlot;
using SkiaSharp;

namespace ScratchNet.Apps.Plots;

/// <summary>
/// Shared plumbing for the plots: a usable font on headless machines and atomic PNG writes.
/// </summary>
internal static class PlotOutput
{
    private static readonly object FontLock = new();
    private static bool _fontChecked;

    /// <summary>Families tried, in order, when ScottPlot's default font does not resolve to a real typeface.</summary>
    private static readonly string[] FallbackFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans", "Arial", "Helvetica", "Open Sans", "Roboto"];

    /// <summary>Folders searched for a .ttf when no family resolves (fontconfig missing or unconfigured).</summary>
    private static readonly string[] FontFolders =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fonts/truetype", "/Library/Fonts", "/System/Library/Fonts", @"C:\Windows\Fonts"];

    /// <summary>The family the plots draw text with, after <see cref="EnsureFont"/>.</summary>
    internal static string FontFamily { get; private set; } = "";

    /// <summary>
    /// Makes sure ScottPlot draws text with a font that has Latin glyphs. On a Linux box SkiaSharp asks fontconfig for
    /// the family; if the default is missing, Skia silently substitutes an empty typeface and every label renders as
    /// nothing (or boxes). We check that the default family really has a glyph for 'A'; if not we try common
    /// families, then register the first .ttf found in the usual font folders.
    /// Runs once per process; the result is in <see cref="FontFamily"/>.
    /// </summary>
    internal static void EnsureFont()
    {
        lock (FontLock)
        {
            if (_fontChecked) return;
            _fontChecked = true;
            string current = Fonts.Default;
            if (HasLatinGlyphs(current)) { FontFamily = current; return; }
            foreach (string family in FallbackFamilies)
            {
                if (HasLatinGlyphs(family)) { Fonts.Default = family; FontFamily = family; return; }
            }
            foreach (string folder in FontFolders)
            {
                if (!Directory.Exists(folder)) continue;
                IEnumerable<string> files;
                try
                {
                    files = Directory.EnumerateFiles(folder, "*.ttf", SearchOption.AllDirectories)
                        .OrderBy(f => Path.GetFileName(f).Contains("Sans", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                        .ThenBy(f => f, StringComparer.Ordinal);
                }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                foreach (string file in files)
                {
                    using var tf = SKTypeface.FromFile(file);
                    if (tf is null || tf.GetGlyph('A') == 0) continue;
                    const string name = "ScratchNetPlotFont";
                    Fonts.AddFontFile(name, file, false, false);
                    Fonts.Default = name;
                    FontFamily = name + " (" + file + ")";
                    return;
                }
            }
            FontFamily = current + " (no font with Latin glyphs found: text may not render)";
        }
    }

    private static bool HasLatinGlyphs(string family)
    {
        if (string.IsNullOrWhiteSpace(family)) return false;
        using var tf = SKFontManager.Default.MatchFamily(family);
        return tf is not null && tf.GetGlyph('A') != 0 && tf.GetGlyph('0') != 0;
    }

    /// <summary>Renders <paramref name="render"/> to a temporary PNG next to <paramref name="path"/>, then moves it over the target.</summary>
    internal static void SaveAtomically(string path, Action<string> render)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, "." + Path.GetFileNameWithoutExtension(full) + "." + Guid.NewGuid().ToString("N") + ".tmp.png");
        try
        {
            render(tmp);
            if (!File.Exists(tmp) || new FileInfo(tmp).Length == 0)
                throw new IOException($"rendering {full} produced no image");
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Applies the shared text sizes to a plot.</summary>
    internal static void Style(Plot plot)
    {
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Bottom.Label.FontSize = 15;
        plot.Axes.Left.TickLabelStyle.FontSize = 12;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 12;
    }
}
