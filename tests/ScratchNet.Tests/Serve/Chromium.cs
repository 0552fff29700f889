using System.Diagnostics;
using OpenQA.Selenium.Chrome;

namespace ScratchNet.Tests.Serve;

/// <summary>
/// Debian's Chromium and ChromeDriver for the browser test: found at <c>/usr/bin</c> (or <c>SCRATCHNET_CHROMIUM</c> and
/// <c>SCRATCHNET_CHROMEDRIVER</c>), installed by <c>scripts/install-chromium.sh</c> when missing. When neither works
/// the test fails with what to do; it never skips.
/// </summary>
internal static class Chromium
{
    private static readonly object Gate = new();
    private static (string Browser, string Driver)? found;

    /// <summary>A headless Chromium at a fixed window size, driven by ChromeDriver; Selenium Manager is not consulted (no downloads).</summary>
    public static ChromeDriver Start(int width = 1280, int height = 1000)
    {
        var (browser, driver) = Find();
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}",
            "--no-first-run", "--disable-extensions", "--disable-background-networking", "--lang=en-US");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    private static (string Browser, string Driver) Find()
    {
        lock (Gate)
        {
            if (found is { } f) return f;
            string browser = Environment.GetEnvironmentVariable("SCRATCHNET_CHROMIUM") ?? "/usr/bin/chromium";
            string driver = Environment.GetEnvironmentVariable("SCRATCHNET_CHROMEDRIVER") ?? "/usr/bin/chromedriver";
            if (!File.Exists(browser) || !File.Exists(driver))
            {
                string script = Path.Combine(Repository.Root(), "scripts", "install-chromium.sh");
                var install = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                string output = install.StandardOutput.ReadToEnd() + install.StandardError.ReadToEnd();
                install.WaitForExit();
                if (install.ExitCode != 0 || !File.Exists(browser) || !File.Exists(driver))
                    throw new InvalidOperationException(
                        $"the browser test needs Chromium ({browser}) and ChromeDriver ({driver}); {script} could not install them (exit {install.ExitCode}):\n{output}\n" +
                        "install Debian's chromium and chromium-driver, or set SCRATCHNET_CHROMIUM and SCRATCHNET_CHROMEDRIVER");
            }
            return (found = (browser, driver)).Value;
        }
    }
}
