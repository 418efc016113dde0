using Microsoft.Playwright;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Browser.Tests;

/// <summary>
/// Issue 24.8: on a 360-px phone no page scrolls sideways. Every page of the app (the <see cref="PageTour"/>, with activity on it:
/// sheets, an incident, a handover, a rakor, an agreement) is opened in Chromium at 360 px, in Indonesian and in English, signed in
/// with a role that may see it, and <c>document.documentElement.scrollWidth</c> must stay within 360; tables scroll inside their own
/// box. A failure names the elements that stick out.
/// </summary>
public sealed class NarrowScreenTests
{
    private static readonly ViewportSize Narrow = new() { Width = 360, Height = 740 };

    // The elements that stick out of the viewport and are not inside a box that scrolls or clips them.
    private const string Offenders = """
        () => {
          const w = document.documentElement.clientWidth, out = [];
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.right <= w + 0.5) continue;
            let p = el.parentElement, clipped = false;
            while (p && p !== document.body) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') { clipped = true; break; } p = p.parentElement; }
            if (clipped) continue;
            const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
            out.push(name + ' right=' + Math.round(r.right));
            if (out.length >= 4) break;
          }
          return out;
        }
        """;

    [Fact]
    public async Task No_page_scrolls_sideways_on_a_360_px_phone()
    {
        var launched = await BrowserKit.LaunchAsync();
        Assert.SkipWhen(launched is null, "Chromium is not installed");
        var (pw, browser) = launched!.Value;
        var (app, url) = await LiveServer.StartAsync(settings: PageTour.Settings);
        try
        {
            var tour = await PageTour.PrepareAsync(app, url);
            var failures = new List<string>();
            foreach (var group in tour.Stops.GroupBy(s => (s.Role, s.Scope)))
            {
                await using var ctx = await browser.NewContextAsync(new BrowserNewContextOptions
                {
                    ViewportSize = Narrow, IsMobile = true, HasTouch = true, Locale = "id-ID", BaseURL = url,
                });
                ctx.SetDefaultTimeout(45_000);
                ctx.SetDefaultNavigationTimeout(60_000);
                var page = await ctx.NewPageAsync();
                if (group.Key.Role != Role.Public)
                {
                    var (user, password) = await app.CreateUserAsync(group.Key.Role, group.Key.Scope);
                    await page.GotoAsync("/masuk");
                    await page.GetByLabel("Nama pengguna").FillAsync(user.UserName!);
                    await page.GetByLabel("Kata sandi").FillAsync(password);
                    await page.GetByRole(AriaRole.Button, new() { Name = "Masuk" }).ClickAsync();
                    await page.Locator("[data-signed-in]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                }
                foreach (var stop in group)
                    foreach (var lang in new[] { "id", "en" })
                    {
                        var address = stop.Path + (stop.Path.Contains('?') ? "&" : "?") + "lang=" + lang;
                        await page.GotoAsync(address, new() { WaitUntil = WaitUntilState.Load });
                        await page.Locator("footer.foot").WaitForAsync(new() { State = WaitForSelectorState.Attached });
                        await page.WaitForTimeoutAsync(150); // deferred scripts (maps, charts, pickers) lay out
                        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                        if (width > Narrow.Width)
                        {
                            var who = await page.EvaluateAsync<string[]>(Offenders);
                            failures.Add($"{address} ({stop.Role}): scrollWidth {width}; {string.Join(", ", who)}");
                            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserKit.ArtifactsDir, "narrow-" + stop.Path.Trim('/').Replace('/', '_') + "-" + lang + ".png"), FullPage = true });
                        }
                    }
            }
            // Pages that answer a form: the public report's receipt and its status, at 360 px.
            await using (var ctx = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = Narrow, IsMobile = true, HasTouch = true, Locale = "id-ID", BaseURL = url }))
            {
                ctx.SetDefaultTimeout(45_000);
                var citizen = await ctx.NewPageAsync();
                async Task Check(string what)
                {
                    var width = await citizen.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                    if (width > Narrow.Width) failures.Add($"{what}: scrollWidth {width}; {string.Join(", ", await citizen.EvaluateAsync<string[]>(Offenders))}");
                }
                await citizen.GotoAsync("/lapor");
                await citizen.Locator("#Category").SelectOptionAsync("SecurityIncident");
                await citizen.Locator("#KabKota").SelectOptionAsync("16.71");
                await citizen.Locator("#Title").FillAsync("Keributan di dekat TPS 001 Ilir Barat II");
                await citizen.Locator("#Description").FillAsync("Sekelompok orang berkumpul dan berteriak di dekat TPS pada pagi hari.");
                await citizen.GetByRole(AriaRole.Button, new() { Name = "Kirim laporan" }).ClickAsync();
                var code = (await citizen.Locator("#tracking-code").InnerTextAsync()).Trim();
                var secret = (await citizen.Locator("#tracking-secret").InnerTextAsync()).Trim();
                await Check("/lapor (receipt)");
                await citizen.GotoAsync("/lapor/status");
                await citizen.Locator("#Code").FillAsync(code);
                await citizen.Locator("#Secret").FillAsync(secret);
                await citizen.GetByRole(AriaRole.Button, new() { Name = "Cek" }).ClickAsync();
                await citizen.Locator("#report-status").WaitForAsync();
                await Check("/lapor/status (answer)");
            }
            Assert.True(tour.Stops.Count >= 35, $"only {tour.Stops.Count} pages");
            Assert.True(failures.Count == 0, $"{failures.Count} pages wider than 360 px:\n" + string.Join("\n", failures));
        }
        finally
        {
            await browser.DisposeAsync();
            pw.Dispose();
            await app.DisposeAsync();
        }
    }
}
