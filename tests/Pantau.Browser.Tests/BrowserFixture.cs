using Microsoft.Playwright;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Browser.Tests;

/// <summary>
/// One Chromium and one live Pantau server per test class (the machine is small): tests open their own browser contexts.
/// When Chromium is absent and not required, <see cref="Available"/> is false and tests skip.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _pw;
    public IBrowser Browser { get; private set; } = null!;
    public PantauApp App { get; private set; } = null!;
    public string Url { get; private set; } = "";
    public bool Available { get; private set; }

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };

    public async ValueTask InitializeAsync()
    {
        var launched = await BrowserKit.LaunchAsync();
        if (launched is null) return;
        (_pw, Browser) = launched.Value;
        (App, Url) = await LiveServer.StartAsync();
        Available = true;
    }

    public async Task<IBrowserContext> NewContextAsync(ViewportSize? viewport = null, bool javaScript = true, string? locale = "id-ID")
    {
        var ctx = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? Phone, JavaScriptEnabled = javaScript, Locale = locale, BaseURL = Url,
            IsMobile = (viewport ?? Phone).Width < 600, HasTouch = (viewport ?? Phone).Width < 600,
        });
        ctx.SetDefaultTimeout(45_000); // 2 shared cores: generous, the assertions are about behaviour, not speed
        ctx.SetDefaultNavigationTimeout(60_000);
        return ctx;
    }

    /// <summary>Creates an account and signs in through the sign-in form.</summary>
    public async Task<string> SignInAsync(IPage page, Role role, string scope)
    {
        var (user, password) = await App.CreateUserAsync(role, scope);
        await page.GotoAsync("/masuk");
        await page.GetByLabel("Nama pengguna").FillAsync(user.UserName!);
        await page.GetByLabel("Kata sandi").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
        await page.Locator("[data-signed-in]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        return user.UserName!;
    }

    /// <summary>
    /// Waits until the page has navigated to a URL matching <paramref name="urlGlob"/> and the new document is parsed to its
    /// footer (the last element of every page), so everything server-rendered is there. It does not wait for the load events,
    /// which also wait for deferred scripts and subresources: under load in CI one such wait outlasted its minute once.
    /// </summary>
    public static async Task ArrivedAsync(IPage page, string urlGlob)
    {
        await page.WaitForURLAsync(urlGlob, new() { WaitUntil = WaitUntilState.Commit });
        await page.Locator("footer.foot").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserKit.ArtifactsDir, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        if (!Available) { _pw?.Dispose(); return; }
        await Browser.DisposeAsync();
        _pw?.Dispose();
        await App.DisposeAsync();
    }
}
