using Microsoft.Playwright;

namespace Pantau.TestKit;

/// <summary>
/// Drives Debian's Chromium (<c>/usr/bin/chromium</c>, or <c>PANTAU_CHROMIUM</c>) through Playwright; no browser download.
/// With <c>PANTAU_REQUIRE_BROWSER=1</c> (CI) a missing Chromium fails the tests instead of skipping them.
/// </summary>
public static class BrowserKit
{
    public static string? ChromiumPath =>
        Environment.GetEnvironmentVariable("PANTAU_CHROMIUM") is { Length: > 0 } p ? p
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium" : null;

    public static bool Required => Environment.GetEnvironmentVariable("PANTAU_REQUIRE_BROWSER") == "1";

    /// <summary>Where screenshots and PDFs made by tests are saved (<c>artifacts/</c> at the repository root).</summary>
    public static string ArtifactsDir
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pantau.slnx"))) dir = dir.Parent;
            var path = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts", "screenshots");
            Directory.CreateDirectory(path);
            return path;
        }
    }

    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic", "--disable-sync"];

    /// <summary>Launches headless Chromium, or returns null when it is absent and not required (the caller then skips).</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)?> LaunchAsync()
    {
        var path = ChromiumPath;
        if (path is null)
        {
            if (Required) throw new InvalidOperationException("PANTAU_REQUIRE_BROWSER=1 but no Chromium at /usr/bin/chromium (install Debian's chromium).");
            return null;
        }
        var pw = await Playwright.CreateAsync();
        var browser = await pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = ChromiumArgs });
        return (pw, browser);
    }
}
