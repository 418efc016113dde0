using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// A KPPS operator signs in, enters a TPS result with an arithmetic mistake on /hasil/input, sees the error, corrects it,
/// and the result shows up on the public results page (live, without reload). The entry page stays under 100 KB.
/// </summary>
public sealed class TallyFlowTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Operator_enters_a_result_with_a_mistake_corrects_it_and_the_public_page_shows_it_live()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        using var http = new HttpClient { BaseAddress = new Uri(f.Url) };
        var (contest, paslon) = await OfflineEntryTests.GovernorContestAsync(http);
        var sheet = OfflineEntryTests.GoodSheet(contest, paslon);

        // The public watches the desa's results page before anything arrives.
        await using var publicCtx = await f.NewContextAsync(BrowserFixture.Desktop);
        var watcher = await publicCtx.NewPageAsync();
        await watcher.GotoAsync($"/hasil/{contest}/16.71.01.1001");
        // Nothing reported yet: the page says so (no D.Hasil block of zeros).
        await Assertions.Expect(watcher.Locator("#results-live")).ToContainTextAsync("belum masuk");
        Assert.Equal(0, await watcher.Locator("#results-live dl.stats").CountAsync());

        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.KppsOperator, "16.71.01.1001");
        await page.GotoAsync("/hasil/input");
        await page.Locator("#pick-tps").FillAsync(OfflineEntryTests.Tps);
        await page.GetByRole(AriaRole.Button, new() { Name = "Tampilkan formulir" }).ClickAsync();
        await page.Locator("#pick-contest").SelectOptionAsync(contest); // the TPS's contests appear once the TPS is known
        await page.GetByRole(AriaRole.Button, new() { Name = "Tampilkan formulir" }).ClickAsync();
        await page.Locator("form#chasil[data-offline-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // Page weight: the document and everything it loaded (scripts, CSS, region lists), as sent over the wire.
        var bytes = await page.EvaluateAsync<double>(@"() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const res = performance.getEntriesByType('resource');
            return Math.max(nav.transferSize, nav.encodedBodySize) + res.reduce((s, r) => s + Math.max(r.transferSize, r.encodedBodySize), 0);
        }");
        Assert.True(bytes > 5_000, $"measured {bytes} bytes: the measurement is broken");
        Assert.True(bytes < 100 * 1024, $"the C.Hasil entry page transferred {bytes:N0} bytes (budget 100 KB)");
        await BrowserFixture.ShotAsync(page, "hasil-input-phone");

        // Enter the sheet with a mistake: valid votes one more than the paslon votes.
        foreach (var (k, v) in sheet)
            if (k is not ("contest" or "tps")) await page.Locator($"#f-{k}").FillAsync(k == "suaraSah" ? "391" : v);
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim", Exact = true }).ClickAsync();
        var alert = page.Locator(".offline-errors[role=alert]");
        await alert.WaitForAsync();
        Assert.Contains("jumlah suara paslon (390) tidak sama dengan suara sah (391)", await alert.InnerTextAsync());
        Assert.Contains("suara sah + suara tidak sah (401) tidak sama dengan surat suara digunakan (400)", await alert.InnerTextAsync());
        Assert.Equal("true", await page.GetAttributeAsync("#f-suaraSah", "aria-invalid"));
        await BrowserFixture.ShotAsync(page, "hasil-input-error-phone");

        // Correct it and send.
        await page.Locator("#f-suaraSah").FillAsync("390");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim", Exact = true }).ClickAsync();
        await page.Locator(".offline-queue li[data-state=sent][data-outcome=accepted]").WaitForAsync(new() { Timeout = 30_000 });
        Assert.False(await alert.IsVisibleAsync());
        await BrowserFixture.ShotAsync(page, "hasil-input-sent-phone");

        // The public page updates by itself (server-sent events -> live.js), then shows the same after a reload.
        await watcher.Locator("#results-live dl.stats dd", new() { HasTextString = "390" }).First.WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("390", (await watcher.Locator("#results-live dl.stats dd").First.InnerTextAsync()).Trim());
        await watcher.ReloadAsync();
        Assert.Equal("390", (await watcher.Locator("#results-live dl.stats dd").First.InnerTextAsync()).Trim());
        await BrowserFixture.ShotAsync(watcher, "hasil-public-desa-desktop");
    }
}
