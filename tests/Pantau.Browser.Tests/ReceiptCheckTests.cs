using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Browser.Tests;

/// <summary>
/// The public receipt check /cek (issue 23) in Chromium: a saksi pastes the short code of a receipt; before the next checkpoint
/// it is not checkable yet, once the checkpoint is signed the inclusion proof and the checkpoint signature are checked in the
/// browser (js/cek.js, WebCrypto) and the page says the sheet counts; a proof altered on its way to the browser is caught there;
/// after a correction the old receipt says which later version replaced it, when and why.
/// </summary>
public sealed class ReceiptCheckTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private const string Gub = "PILGUB-16";

    [Fact]
    public async Task A_pasted_receipt_is_checked_in_the_browser_once_signed_and_shows_its_replacement_after_a_correction()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        List<string> tps;
        await using (var db = f.App.NewDbContext())
            tps = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.02")).OrderBy(t => t.Code).Take(3).Select(t => t.Code).ToListAsync();
        var kpps = await f.App.ClientForAsync(Role.KppsOperator, "16.71.02");
        var admin = await f.App.ClientForAsync(Role.Admin, "");
        kpps.BaseAddress = admin.BaseAddress = new Uri(f.Url); // the live server
        var codes = new List<string>();
        foreach (var (t, i) in tps.Select((t, i) => (t, i)))
        {
            var res = await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, t, 100 + i, 90, 30)));
            Assert.Equal(HttpStatusCode.Created, res.StatusCode);
            codes.Add((await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt").GetProperty("code").GetString()!);
        }
        var code = codes[1];

        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        // Paste the code (lower case, with spaces around it, as copied from paper) into the form.
        async Task CheckAsync(string c)
        {
            await page.GotoAsync("/cek");
            await page.GetByLabel("Kode tanda terima (mis. 123-1A2B3C4D)").FillAsync(" " + c.ToLowerInvariant() + " ");
            await page.GetByRole(AriaRole.Button, new() { Name = "Periksa" }).ClickAsync();
            await BrowserFixture.ArrivedAsync(page, "**/cek?kode=*");
            await page.Locator("#cek-result").WaitForAsync();
        }

        // Issued before the next checkpoint: in the log, not in a signed tree yet.
        await CheckAsync(code);
        Assert.Equal("false", await page.GetAttributeAsync("#cek-result", "data-included"));
        Assert.Contains("dapat diperiksa setelah checkpoint berikutnya", await page.Locator("#cek-pending").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#cek-browser").CountAsync());

        // Once the checkpoint is signed the same receipt is checkable, and the browser checks the proof itself.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/tally/checkpoints", null)).StatusCode);
        await CheckAsync(code);
        Assert.Equal("true", await page.GetAttributeAsync("#cek-result", "data-included"));
        Assert.Contains("ukuran 3", await page.Locator("#cek-included").InnerTextAsync());
        var browser = page.Locator("#cek-browser:not([data-state=pending])");
        await browser.WaitForAsync();
        Assert.Equal("ok", await browser.GetAttributeAsync("data-state"));
        Assert.Contains("Bukti diperiksa di peramban Anda", await browser.InnerTextAsync());
        Assert.Contains("DIHITUNG", await page.Locator("#cek-counts").InnerTextAsync());
        Assert.Contains(tps[1], await page.Locator("#cek-result").InnerTextAsync());
        await BrowserFixture.ShotAsync(page, "cek-included-phone");

        // The same page with one hash of the Merkle path altered on its way to the browser: the browser's own check fails.
        await using (var tampered = await f.NewContextAsync(BrowserFixture.Phone))
        {
            var bad = await tampered.NewPageAsync();
            var altered = false;
            await bad.RouteAsync("**/cek?kode=*", async route =>
            {
                var response = await route.FetchAsync();
                var html = await response.TextAsync();
                var changed = Regex.Replace(html, "(\"path\":\\[\")([0-9a-f])", m => m.Groups[1].Value + (m.Groups[2].Value == "0" ? "1" : "0"));
                altered = changed != html;
                await route.FulfillAsync(new() { Response = response, Body = changed });
            });
            await bad.GotoAsync($"/cek?kode={code}");
            var state = bad.Locator("#cek-browser:not([data-state=pending])");
            await state.WaitForAsync();
            Assert.True(altered, "the proof path was not found in the page");
            Assert.Equal("bad", await state.GetAttributeAsync("data-state"));
            Assert.Contains("PERINGATAN", await state.InnerTextAsync());
        }

        // A correction replaces the sheet; after the next checkpoint the old receipt is still included but no longer counts, and
        // the page says which version replaced it, when and why.
        var corrected = await kpps.PostAsJsonAsync($"/api/tally/tps/{tps[1]}/{Gub}/corrections",
            TallySheets.ToJson(TallySheets.Valid(Gub, tps[1], 99, 92, 30), reason: "kolom paslon 1 salah salin"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        var newReceipt = (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receipt");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/tally/checkpoints", null)).StatusCode);
        await CheckAsync(code);
        await page.Locator("#cek-browser[data-state=ok]").WaitForAsync();
        Assert.Contains("TIDAK dihitung sekarang (versi yang dihitung: 2)", await page.Locator("#cek-not-counted").InnerTextAsync());
        var row = page.Locator("#cek-later tbody tr");
        Assert.Equal(1, await row.CountAsync());
        var cells = await row.Locator("td").AllInnerTextsAsync();
        Assert.Equal("2", cells[0]);
        Assert.Equal(newReceipt.GetProperty("seq").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), cells[1]);
        Assert.Equal("diterima", cells[2]);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$", cells[3]);
        Assert.Equal("kolom paslon 1 salah salin", cells[4]);
        await BrowserFixture.ShotAsync(page, "cek-replaced-phone");

        // The replacing sheet's own receipt counts; a code that does not match its entry is refused on a readable page.
        await CheckAsync(newReceipt.GetProperty("code").GetString()!);
        await page.Locator("#cek-browser[data-state=ok]").WaitForAsync();
        Assert.Equal(1, await page.Locator("#cek-counts").CountAsync());
        await page.GotoAsync($"/cek?kode={code.Split('-')[0]}-00000000");
        Assert.Equal("RECEIPT_MISMATCH", await page.GetAttributeAsync("#cek-error", "data-code"));
    }
}
