using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// Offline C.Hasil entry (js/offline-entry.js + sw.js) against the real Tally API: arithmetic checked on the device,
/// sheets queued in IndexedDB while offline, sent once when the network returns (Idempotency-Key).
/// </summary>
public sealed class OfflineEntryTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    public const string Tps = "1671011001001"; // DPT 570 (285 L / 285 P)

    /// <summary>A consistent sheet for <see cref="Tps"/>: received = 570 + 15 = 585 = 400 used + 5 returned + 180 unused.</summary>
    public static Dictionary<string, string> GoodSheet(string contest, IReadOnlyList<int> paslon)
    {
        var d = new Dictionary<string, string>
        {
            ["contest"] = contest, ["tps"] = Tps,
            ["suaraSah"] = "390", ["suaraTidakSah"] = "10",
            ["dptL"] = "285", ["dptP"] = "285", ["dpt"] = "570",
            ["usersDptL"] = "200", ["usersDptP"] = "200", ["usersDpt"] = "400",
            ["ballotsReceived"] = "585", ["ballotsUsed"] = "400", ["ballotsDamaged"] = "5", ["ballotsUnused"] = "180",
        };
        var left = 390;
        for (var i = 0; i < paslon.Count; i++)
        {
            var v = i == paslon.Count - 1 ? left : 390 / paslon.Count;
            d["p" + paslon[i]] = v.ToString(System.Globalization.CultureInfo.InvariantCulture);
            left -= v;
        }
        return d;
    }

    public static async Task<(string Code, List<int> Paslon)> GovernorContestAsync(HttpClient http)
    {
        var contests = await http.GetFromJsonAsync<JsonElement>("/api/tally/contests");
        var gov = contests.EnumerateArray().First(c => c.GetProperty("regionCode").GetString() == "16");
        return (gov.GetProperty("code").GetString()!, gov.GetProperty("paslon").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).ToList());
    }

    [Fact]
    public async Task Sheet_entered_offline_is_checked_on_the_device_queued_and_sent_exactly_once_when_online()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        using var http = new HttpClient { BaseAddress = new Uri(f.Url) };
        var (contest, paslon) = await GovernorContestAsync(http);
        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.KppsOperator, "16.71.01.1001");
        var entry = $"/hasil/input?tps={Tps}&contest={contest}";
        await page.GotoAsync(entry);
        // The service worker takes control, and an online visit stores the form in its cache.
        await page.WaitForFunctionAsync("() => navigator.serviceWorker && navigator.serviceWorker.controller");
        await page.ReloadAsync();
        await page.Locator("form#chasil[data-offline-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var sheet = GoodSheet(contest, paslon);

        // No network from here: the entry page still opens (from the service worker's cache).
        await ctx.SetOfflineAsync(true);
        await page.ReloadAsync();
        await page.Locator("form#chasil[data-offline-ready]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Contains("Luring", await page.Locator(".offline-summary").InnerTextAsync());
        foreach (var (k, v) in sheet)
            if (k is not ("contest" or "tps")) await page.Locator($"#f-{k}").FillAsync(v);

        // An arithmetic mistake is caught on the device, with the server's message and the field marked.
        await page.FillAsync("#f-suaraSah", "391");
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim", Exact = true }).ClickAsync();
        var alert = page.Locator(".offline-errors[role=alert]");
        await alert.WaitForAsync();
        Assert.Contains("jumlah suara paslon (390) tidak sama dengan suara sah (391)", await alert.InnerTextAsync());
        Assert.Equal("true", await page.GetAttributeAsync("#f-suaraSah", "aria-invalid"));
        await BrowserFixture.ShotAsync(page, "offline-entry-error-phone");
        await page.FillAsync("#f-suaraSah", "390");

        // Offline: the sheet waits in the queue.
        await page.GetByRole(AriaRole.Button, new() { Name = "Kirim", Exact = true }).ClickAsync();
        await alert.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 10_000 }); // the submit handler clears it
        Assert.False(await alert.IsVisibleAsync());
        var waiting = page.Locator(".offline-queue li[data-state=queued]");
        await waiting.WaitForAsync();
        Assert.Equal("1", await page.GetAttributeAsync(".offline-summary", "data-waiting"));
        await BrowserFixture.ShotAsync(page, "offline-entry-queued-phone");
        Assert.Equal(0, await CountVersionsAsync(http, contest));
        // Still queued after the page is reopened offline (IndexedDB, not memory).
        await page.ReloadAsync();
        await page.Locator(".offline-queue li[data-state=queued]").WaitForAsync();

        // Back online: sent once; a forced second flush does not send it again.
        await ctx.SetOfflineAsync(false);
        await page.Locator(".offline-queue li[data-state=sent]").WaitForAsync(new() { Timeout = 30_000 });
        Assert.Equal("accepted", await page.GetAttributeAsync(".offline-queue li", "data-outcome"));
        await page.EvaluateAsync("() => window.PantauOffline.flush()");
        Assert.Equal(1, await CountVersionsAsync(http, contest));

        // Once acknowledged, the queued sheet shows its public log receipt: the short code for paper, its QR code, a link to /cek.
        var receipt = page.Locator(".offline-queue li[data-state=sent] .receipt");
        await receipt.WaitForAsync();
        var code = (await receipt.Locator(".receipt-code").InnerTextAsync()).Trim();
        Assert.Matches("^[0-9]+-[0-9A-F]{8}$", code);
        Assert.Equal(code, await receipt.GetAttributeAsync("data-code"));
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('.offline-queue .receipt img.receipt-qr'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.Equal($"/cek?kode={code}", await receipt.Locator("a").GetAttributeAsync("href"));
        var check = await http.GetFromJsonAsync<JsonElement>($"/api/tally/receipts/{code}");
        Assert.Equal(Tps, check.GetProperty("entry").GetProperty("tps").GetString());
        Assert.True(check.GetProperty("countsNow").GetBoolean());
        // Still there when the page is reopened (kept with the queued item in IndexedDB).
        await page.ReloadAsync();
        await page.Locator($".offline-queue li[data-state=sent] .receipt[data-code='{code}']").WaitForAsync();

        // A retry of the same sheet with the same key (e.g. the response was lost) is answered "replayed", not counted twice.
        var key = await page.GetAttributeAsync(".offline-queue li", "data-key");
        var status = await page.EvaluateAsync<int>(@"async ([key, body]) => {
            const c = await (await fetch('/api/account/csrf')).json();
            return (await fetch('/api/tally/sheets', { method: 'POST', body: JSON.stringify(body),
                headers: { 'Content-Type': 'application/json', 'Idempotency-Key': key, [c.headerName]: c.token } })).status; }", new object[] { key!, sheet });
        Assert.Equal(200, status);
        Assert.Equal(1, await CountVersionsAsync(http, contest));
        await BrowserFixture.ShotAsync(page, "offline-entry-sent-phone");
    }

    private static async Task<int> CountVersionsAsync(HttpClient http, string contest)
    {
        var r = await http.GetAsync($"/api/tally/tps/{Tps}/{contest}/history");
        if (r.StatusCode == System.Net.HttpStatusCode.NotFound) return 0;
        var h = await r.Content.ReadFromJsonAsync<JsonElement>();
        return h.GetProperty("versions").GetArrayLength();
    }
}
