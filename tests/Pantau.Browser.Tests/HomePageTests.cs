using Microsoft.Playwright;
using Pantau.TestKit;

namespace Pantau.Browser.Tests;

public class HomePageTests
{
    [Fact]
    public async Task Home_page_renders_counts_and_switches_language()
    {
        var launched = await BrowserKit.LaunchAsync();
        Assert.SkipWhen(launched is null, "Chromium is not installed");
        var (pw, browser) = launched!.Value;
        var (app, url) = await LiveServer.StartAsync();
        await using (app)
        using (pw)
        await using (browser)
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
            await page.GotoAsync(url + "/");
            Assert.Equal("3.258", await page.Locator("[data-count=desa]").InnerTextAsync());
            Assert.Equal("Beranda · Pantau", await page.TitleAsync());
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserKit.ArtifactsDir, "home-id.png"), FullPage = true });
            await page.Locator("label.nav-button").ClickAsync(); // on a phone the language switch sits in the menu
            await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
            await page.WaitForURLAsync(url + "/");
            Assert.Equal("Home · Pantau", await page.TitleAsync());
        }
    }
}
