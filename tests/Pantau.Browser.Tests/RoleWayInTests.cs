using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Pantau.Core.Security;

namespace Pantau.Browser.Tests;

/// <summary>
/// Issue 24 points 3 and 4 in real Chromium: each role signs in and lands on its job with a menu of only its items (grouped by
/// job, one row on a desktop); a KPPS account bound to one TPS enters that TPS's C.Hasil on a phone with one tap, cannot send it
/// twice, is told it was accepted (receipt code), gets an empty form and the next contest; the API refuses it another TPS (403
/// problem); an admin binds an account to a TPS.
/// </summary>
public sealed class RoleWayInTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private const string Tps = OfflineEntryTests.Tps, OtherTps = "1671011001002";

    private void SkipWithoutBrowser() => Assert.SkipWhen(!f.Available, "Chromium is not installed");

    private static Task<string[]> MenuAsync(IPage page) =>
        page.Locator("#nav-main nav a").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('href'))");

    [Fact]
    public async Task A_tps_bound_kpps_lands_on_its_tps_form_with_only_its_menu_and_enters_the_sheet_once()
    {
        SkipWithoutBrowser();
        await using var ctx = await f.NewContextAsync(BrowserFixture.Phone);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.KppsOperator, Tps);
        Assert.Equal($"{f.Url}/hasil/input?tps={Tps}", page.Url);

        // Its menu: only what a KPPS may open, the entry form among the first entries, one of them current.
        var menu = await MenuAsync(page);
        Assert.Equal(["/wilayah", "/hasil/input", "/hasil", "/kesiapan", "/kesiapan/tahapan", "/kesiapan/logistik", "/kerawanan", "/hoaks", "/lapor"], menu);
        Assert.Equal(1, await page.Locator("#nav-main nav a[aria-current=page]").CountAsync());
        Assert.Equal("/hasil/input", await page.Locator("#nav-main nav a[aria-current=page]").GetAttributeAsync("href"));

        // The form opens on its TPS: no province-down picker, the first contest chosen, one tap for the others.
        Assert.Equal(0, await page.Locator(".region-picker").CountAsync());
        Assert.Contains("TPS 001", await page.Locator("#pick .tps-label").InnerTextAsync());
        var form = page.Locator("form#chasil[data-offline-ready]");
        await form.WaitForAsync(new() { State = WaitForSelectorState.Attached });
        Assert.Equal(Tps, await page.Locator("form#chasil input[name=tps]").InputValueAsync());
        var contest = await page.Locator("form#chasil input[name=contest]").InputValueAsync();
        Assert.True(await page.Locator(".contest-choice a").CountAsync() >= 2, "the governor and the walikota race of Palembang");
        await BrowserFixture.ShotAsync(page, "kpps-tps-form-phone");

        // The correction's reason is required as soon as the sheet is marked as a correction.
        Assert.False(await page.Locator("#f-reason").EvaluateAsync<bool>("e => e.required"));
        await page.Locator("#f-correction").CheckAsync();
        Assert.True(await page.Locator("#f-reason").EvaluateAsync<bool>("e => e.required"));
        Assert.Equal("true", await page.GetAttributeAsync("#f-reason", "aria-required"));
        await page.Locator("#f-correction").UncheckAsync();

        using var http = new HttpClient { BaseAddress = new Uri(f.Url) };
        var contests = await http.GetFromJsonAsync<JsonElement>("/api/tally/contests");
        var paslon = contests.EnumerateArray().First(c => c.GetProperty("code").GetString() == contest)
            .GetProperty("paslon").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).ToList();
        var sheet = OfflineEntryTests.GoodSheet(contest, paslon);
        foreach (var (k, v) in sheet)
            if (k is not ("contest" or "tps")) await page.Locator($"#f-{k}").FillAsync(v);

        // A double tap sends one sheet: the button is disabled from the first tap until the server answers.
        await page.Locator("#chasil-submit").EvaluateAsync("b => { b.click(); b.click(); }");
        Assert.True(await page.Locator("#chasil-submit").IsDisabledAsync() || await page.Locator("[data-entry-result][data-outcome=accepted]").IsVisibleAsync());
        var result = page.Locator("[data-entry-result][data-outcome=accepted]");
        await result.WaitForAsync(new() { Timeout = 30_000 });
        var said = await result.InnerTextAsync();
        Assert.Contains("Diterima.", said);
        Assert.Contains("dihitung", said);
        Assert.Matches("[0-9]+-[0-9A-F]{8}", await result.Locator(".receipt-code").InnerTextAsync());
        Assert.Equal(1, await page.Locator(".offline-queue li").CountAsync());
        var history = await http.GetFromJsonAsync<JsonElement>($"/api/tally/tps/{Tps}/{contest}/history");
        Assert.Equal(1, history.GetProperty("versions").GetArrayLength());
        // The form is empty again and the next contest of the TPS is one tap away.
        Assert.Equal("", await page.Locator("#f-suaraSah").InputValueAsync());
        Assert.False(await page.Locator("#chasil-submit").IsDisabledAsync());
        var next = result.Locator("#next-contest");
        Assert.Contains("pemilihan berikutnya", await next.InnerTextAsync());
        await BrowserFixture.ShotAsync(page, "kpps-tps-accepted-phone");
        // No English on the Indonesian screen.
        var text = await page.Locator("body").InnerTextAsync();
        foreach (var english in new[] { "Accepted", "Submit", "Results", "Readiness", "outside your" }) Assert.DoesNotContain(english, text);
        await next.ClickAsync();
        await BrowserFixture.ArrivedAsync(page, "**/hasil/input?tps=*&contest=*");
        Assert.NotEqual(contest, await page.Locator("form#chasil input[name=contest]").InputValueAsync());
        Assert.Contains("sudah dikirim", await page.Locator(".contest-choice").InnerTextAsync());

        // The API refuses it another TPS of the same desa with a 403 problem.
        var refused = await page.EvaluateAsync<JsonElement>(@"async (body) => {
            const c = await (await fetch('/api/account/csrf')).json();
            const r = await fetch('/api/tally/sheets', { method: 'POST', body: JSON.stringify(body),
                headers: { 'Content-Type': 'application/json', 'Accept': 'application/json', [c.headerName]: c.token } });
            return { status: r.status, type: r.headers.get('content-type'), body: await r.json() }; }",
            sheet.ToDictionary(kv => kv.Key, kv => kv.Key == "tps" ? OtherTps : kv.Value));
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
        Assert.StartsWith("application/problem+json", refused.GetProperty("type").GetString());
        Assert.Equal("OUT_OF_SCOPE", refused.GetProperty("body").GetProperty("code").GetString());
        Assert.Equal(404, (int)(await http.GetAsync($"/api/tally/tps/{OtherTps}/{contest}/history")).StatusCode);

        // In English the same screen is all English.
        await page.GotoAsync($"/bahasa?to=en&back={Uri.EscapeDataString("/hasil/input?tps=" + Tps)}");
        await page.Locator("form#chasil").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        var en = await page.Locator("body").InnerTextAsync();
        Assert.Contains("Enter the TPS result", en);
        Assert.Contains("Submit", en);
        Assert.Contains("Enter C.Hasil", await page.Locator("#nav-main nav").TextContentAsync()); // the folded phone menu too
        foreach (var indonesian in new[] { "Kirim", "Kesiapan", "Perbaikan", "sudah dikirim", "Diterima" }) Assert.DoesNotContain(indonesian, en);
    }

    [Fact]
    public async Task A_desk_lands_on_its_region_dashboard_and_the_desktop_menu_is_one_row_of_job_groups()
    {
        SkipWithoutBrowser();
        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.DeskKabKota, "16.71");
        Assert.Equal($"{f.Url}/koordinasi?region=16.71", page.Url);
        var menu = await MenuAsync(page);
        Assert.Contains("/koordinasi", menu);
        Assert.DoesNotContain("/hasil/input", menu);
        Assert.DoesNotContain("/admin/pengguna", menu);
        // The groups by job, all on one row, the current one marked.
        var labels = await page.Locator("#nav-main .nav-group-label").AllInnerTextsAsync();
        Assert.Equal(["Hasil", "Kesiapan", "Keamanan", "Koordinasi"], labels.Select(l => l.Trim()).ToArray());
        await AssertOneRowAsync(page);
        Assert.Equal("koordinasi", await page.Locator("#nav-main .nav-group.current").GetAttributeAsync("data-group"));
        Assert.Equal(1, await page.Locator("#nav-main nav a[aria-current=page]").CountAsync());
        // A group opens on hover; its readiness entry opens on the Desk's own kab/kota, not the province.
        var group = page.Locator("#nav-main .nav-group[data-group=kesiapan]");
        await group.HoverAsync();
        await page.Locator("#nav-kesiapan").WaitForAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Pantau.TestKit.BrowserKit.ArtifactsDir, "menu-desktop-group-open.png"), Clip = new() { X = 0, Y = 0, Width = 1280, Height = 260 } });
        await group.GetByRole(AriaRole.Link, new() { Name = "Kesiapan", Exact = true }).ClickAsync();
        await BrowserFixture.ArrivedAsync(page, "**/kesiapan");
        Assert.Contains("PALEMBANG", (await page.Locator("h1").InnerTextAsync()).ToUpperInvariant());
        Assert.Equal("/kesiapan", await page.Locator("#nav-main nav a[aria-current=page]").GetAttributeAsync("href"));
        await BrowserFixture.ShotAsync(page, "desk-kabkota-readiness-desktop");
        // A tap on a group label opens it, Escape closes it (keyboard and touch users).
        var label = page.Locator("#nav-main .nav-group[data-group=hasil] .nav-group-label");
        await page.Mouse.MoveAsync(5, 800);
        await label.ClickAsync();
        Assert.Equal("true", await label.GetAttributeAsync("aria-expanded"));
        Assert.True(await page.Locator("#nav-hasil").IsVisibleAsync());
        await page.Keyboard.PressAsync("Escape");
        Assert.Equal("false", await label.GetAttributeAsync("aria-expanded"));
        Assert.False(await page.Locator("#nav-hasil").IsVisibleAsync());
    }

    [Fact]
    public async Task Bawaslu_lands_on_the_queue_and_an_admin_binds_a_kpps_account_to_a_tps()
    {
        SkipWithoutBrowser();
        await using (var bctx = await f.NewContextAsync(BrowserFixture.Phone))
        {
            var b = await bctx.NewPageAsync();
            await f.SignInAsync(b, Role.Bawaslu, "16.71");
            Assert.Equal($"{f.Url}/hasil/antrean", b.Url);
            var menu = await MenuAsync(b);
            Assert.Contains("/hasil/antrean", menu);
            Assert.Contains("/anomali", menu);
            Assert.DoesNotContain("/hasil/input", menu);
            Assert.DoesNotContain("/koordinasi", menu);
        }

        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.Admin, "");
        Assert.Equal($"{f.Url}/admin/pengguna", page.Url);
        await AssertOneRowAsync(page); // the admin sees every group: still one row
        var name = "kpps-" + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#userName").FillAsync(name);
        await page.Locator("#role").SelectOptionAsync("KppsOperator");
        await page.Locator("#scopeCode").FillAsync(Tps);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buat akun" }).ClickAsync();
        await page.Locator("[role=status]", new() { HasTextString = "Akun dibuat." }).WaitForAsync();
        var row = page.Locator("tr", new() { HasTextString = name });
        Assert.Contains(Tps, await row.InnerTextAsync());
        Assert.Contains("Operator KPPS", await row.InnerTextAsync());
        // Another role is refused a TPS scope, with a readable message.
        await page.Locator("#userName").FillAsync(name + "x");
        await page.Locator("#role").SelectOptionAsync("PpsOperator");
        await page.Locator("#scopeCode").FillAsync(Tps);
        await page.GetByRole(AriaRole.Button, new() { Name = "Buat akun" }).ClickAsync();
        var error = page.Locator("p.error[role=alert]");
        await error.WaitForAsync();
        Assert.Contains("Hanya akun KPPS", await error.InnerTextAsync());
        await BrowserFixture.ShotAsync(page, "admin-tps-scope-desktop");
    }

    /// <summary>Every top-level menu entry and group sits on the same row of the desktop bar.</summary>
    private static async Task AssertOneRowAsync(IPage page)
    {
        // [top, height] of each; a second row would start at least a whole entry's height lower (a pixel or two is alignment).
        var boxes = await page.Locator("#nav-main ul.nav-groups > li").EvaluateAllAsync<double[][]>("els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.height]; })");
        Assert.True(boxes.Length >= 2);
        var spread = boxes.Max(b => b[0]) - boxes.Min(b => b[0]);
        Assert.True(spread < boxes.Min(b => b[1]) / 2, "menu on several rows: " + string.Join(", ", boxes.Select(b => $"{b[0]:0}+{b[1]:0}")));
    }
}
