using ScottPlot;
using SkiaSharp;

namespace ScratchNet.Nn.Experiments.Plots;

/// <summary>
/// Shared plumbing for the plots: a usable font on headless machines and atomic PNG writes.
/// </summary>
internal static class PlotOutput
{
    private static readonly object FontLock = new();
    private static bool _fontChecked;

    /// <summary>
    /// Sans-serif families tried first, in order. ScottPlot's own default is whatever <c>SKTypeface.Default</c> is —
    /// on a Debian box with only DejaVu installed that is "DejaVu Serif", so we prefer a sans family when one exists.
    /// </summary>
    private static readonly string[] PreferredFamilies =
        ["DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans", "Arial", "Helvetica", "Open Sans", "Roboto"];

    /// <summary>Folders searched for a .ttf when no family resolves (fontconfig missing or unconfigured).</summary>
    private static readonly string[] FontFolders =
        ["/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fonts/truetype", "/Library/Fonts", "/System/Library/Fonts", @"C:\Windows\Fonts"];

    /// <summary>Environment variable naming a .ttf to draw all plot text with (for machines without system fonts).</summary>
    internal const string FontEnvironmentVariable = "SCRATCHNET_PLOT_FONT";

    /// <summary>Whether <see cref="EnsureFont"/> found a font with Latin glyphs (false: labels will not render).</summary>
    internal static bool HasUsableFont { get; private set; }

    /// <summary>The family the plots draw text with, after <see cref="EnsureFont"/>.</summary>
    internal static string FontFamily { get; private set; } = "";

    /// <summary>
    /// Makes sure ScottPlot draws text with a font that has Latin glyphs, preferring a sans-serif family. A .ttf named by
    /// the environment variable SCRATCHNET_PLOT_FONT wins over everything. On a Linux
    /// box SkiaSharp asks fontconfig for the family; if it is missing, Skia silently substitutes an empty typeface and
    /// every label renders as nothing (or boxes). We take the first of <see cref="PreferredFamilies"/> that really has
    /// glyphs for 'A' and '0', else ScottPlot's default if it has them, else register the first .ttf found in the
    /// usual font folders (<see cref="Fonts.AddFontFile"/>).
    /// Runs once per process; the result is in <see cref="FontFamily"/>.
    /// </summary>
    internal static void EnsureFont()
    {
        lock (FontLock)
        {
            if (_fontChecked) return;
            _fontChecked = true;
            string current = Fonts.Default;
            string? forced = Environment.GetEnvironmentVariable(FontEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(forced) && File.Exists(forced))
            {
                const string forcedName = "ScratchNetPlotFontOverride";
                Fonts.AddFontFile(forcedName, forced, false, false);
                Fonts.Default = forcedName;
                FontFamily = forcedName + " (" + forced + ")";
                HasUsableFont = true;
                return;
            }
            foreach (string family in PreferredFamilies)
            {
                if (HasLatinGlyphs(family)) { Fonts.Default = family; FontFamily = family; HasUsableFont = true; return; }
            }
            if (HasLatinGlyphs(current)) { FontFamily = current; HasUsableFont = true; return; }
            string? file = FindFontFile(FontFolders);
            if (file is not null)
            {
                const string name = "ScratchNetPlotFont";
                Fonts.AddFontFile(name, file, false, false);
                Fonts.Default = name;
                FontFamily = name + " (" + file + ")";
                HasUsableFont = true;
                return;
            }
            FontFamily = current + " (no font with Latin glyphs found: text may not render)";
        }
    }

    /// <summary>
    /// The first .ttf under <paramref name="folders"/> (recursively; "Sans" files first, then by path) that has glyphs
    /// for 'A' and '0', or null. Regular faces come before bold / italic / condensed / mono ones.
    /// </summary>
    internal static string? FindFontFile(IEnumerable<string> folders)
    {
        foreach (string folder in folders)
        {
            if (!Directory.Exists(folder)) continue;
            string[] files;
            try
            {
                files = Directory.EnumerateFiles(folder, "*.ttf", SearchOption.AllDirectories)
                    .OrderBy(f => Path.GetFileName(f).Contains("Sans", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                    .ThenBy(f => IsStyled(Path.GetFileName(f)) ? 1 : 0)
                    .ThenBy(f => f, StringComparer.Ordinal)
                    .ToArray();
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            foreach (string file in files)
            {
                using var tf = SKTypeface.FromFile(file);
                if (tf is not null && tf.GetGlyph('A') != 0 && tf.GetGlyph('0') != 0) return file;
            }
        }
        return null;
    }

    private static bool IsStyled(string fileName) =>
        new[] { "Bold", "Italic", "Oblique", "Condensed", "Light", "Mono", "Black", "Thin" }
            .Any(w => fileName.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The usual font folders searched by <see cref="EnsureFont"/>.</summary>
    internal static IReadOnlyList<string> SystemFontFolders => FontFolders;

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
        ScratchNet.Nn.AtomicFile.Write(path, tmp =>
        {
            render(tmp);
            if (!File.Exists(tmp) || new FileInfo(tmp).Length == 0)
                throw new IOException($"rendering {Path.GetFullPath(path)} produced no image");
        });
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
