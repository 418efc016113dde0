using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pantau.Core.Security;
using Pantau.TestKit;

namespace Pantau.Browser.Tests;

/// <summary>
/// The Desk's lists and dashboard in a real browser: picking a region on the incident list filters it; the Desk dashboard's numbers
/// change without a reload when an incident is reported, an action changes or a tally sheet arrives.
/// </summary>
public sealed class DeskTests(BrowserFixture f) : IClassFixture<BrowserFixture>
{
    private static async Task<JsonElement> Created(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"{res.RequestMessage?.RequestUri}: {(int)res.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>An API-token client of the live server (the factory's default address is not the Kestrel port).</summary>
    private async Task<HttpClient> ApiAsync(Role role, string scope)
    {
        var c = await f.App.ClientForAsync(role, scope);
        c.BaseAddress = new Uri(f.Url + "/");
        return c;
    }

    private static object Incident(string region, string title, string severity = "High") => new
    {
        category = "SecurityIncident", regionCode = region, title, severity,
        description = "Kerumunan massa di dekat lokasi TPS, dilaporkan petugas lapangan.",
    };

    [Fact]
    public async Task Picking_a_region_on_the_incident_list_filters_it()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        var api = await ApiAsync(Role.DeskProvinsi, "16");
        var tag = Guid.NewGuid().ToString("N")[..6];
        string palembang = $"Keributan Ilir Barat II {tag}", lahat = $"Keributan Tanjungsakti {tag}";
        await Created(await api.PostAsJsonAsync("/api/incidents", Incident("16.71.01", palembang)));
        await Created(await api.PostAsJsonAsync("/api/incidents", Incident("16.04.01", lahat)));

        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.DeskProvinsi, "16");
        await page.GotoAsync("/insiden");
        var list = page.Locator("#incident-list");
        Assert.Contains(palembang, await list.InnerTextAsync());
        Assert.Contains(lahat, await list.InnerTextAsync());

        // The picker starts at the user's province: its first select lists the kab/kota; choosing one submits the filter.
        await page.Locator("#incident-filter .rp-enhanced select[data-level='1'] option[value='16.04']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#incident-filter .rp-enhanced select[data-level='1']").SelectOptionAsync("16.04");
        await BrowserFixture.ArrivedAsync(page, "**/insiden?*region=16.04*");
        var filtered = await page.Locator("#incident-list").InnerTextAsync();
        Assert.Contains(lahat, filtered);
        Assert.DoesNotContain(palembang, filtered);
        Assert.Equal("16.04", await page.Locator("#incident-filter .rp-code").InputValueAsync());
        await BrowserFixture.ShotAsync(page, "insiden-region-picked-desktop");

        // Drill one level down (kecamatan) from the pre-selected kab/kota; searching by name works too.
        await page.Locator("#incident-filter .rp-enhanced select[data-level='2'] option[value='16.04.01']").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await page.Locator("#incident-filter .rp-enhanced select[data-level='2']").SelectOptionAsync("16.04.01");
        await BrowserFixture.ArrivedAsync(page, "**/insiden?*region=16.04.01*");
        Assert.Contains(lahat, await page.Locator("#incident-list").InnerTextAsync());

        await page.Locator("#incident-filter .rp-search").FillAsync("Ilir Barat II");
        var option = page.Locator("#incident-filter .rp-results [role=option][data-code='16.71.01']");
        await option.WaitForAsync();
        await option.ClickAsync();
        await BrowserFixture.ArrivedAsync(page, "**/insiden?*region=16.71.01*");
        var byName = await page.Locator("#incident-list").InnerTextAsync();
        Assert.Contains(palembang, byName);
        Assert.DoesNotContain(lahat, byName);
    }

    [Fact]
    public async Task The_desk_dashboard_updates_live_on_incidents_actions_and_tally_sheets()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        const string region = "16.71";
        var api = await ApiAsync(Role.DeskKabKota, region);

        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.DeskKabKota, region);
        await page.GotoAsync($"/koordinasi?region={region}");
        await page.Locator("[data-live-status][data-state=open]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        // A marker that a reload would wipe.
        await page.EvaluateAsync("() => { window.__pantauNoReload = 42; }");

        async Task<string> Kpi(string name) => (await page.Locator($"#dash-live [data-kpi='{name}'] b").InnerTextAsync()).Trim();
        async Task WaitKpi(string name, string expected)
        {
            try
            {
                await page.WaitForFunctionAsync("([n, v]) => { const b = document.querySelector(`#dash-live [data-kpi='${n}'] b`); return b && b.textContent.trim() === v; }",
                    new object[] { name, expected }, new() { Timeout = 45_000, PollingInterval = 200 });
            }
            catch (TimeoutException) { Assert.Fail($"{name}: expected {expected}, still {await Kpi(name)}"); }
        }

        // 1. An incident is reported through the API.
        var incidents = int.Parse(await Kpi("incidents"));
        var high = int.Parse(await Kpi("incidents-High"));
        await Created(await api.PostAsJsonAsync("/api/incidents", Incident("16.71.02", "Bentrokan pendukung " + Guid.NewGuid().ToString("N")[..6])));
        await WaitKpi("incidents", (incidents + 1).ToString());
        await WaitKpi("incidents-High", (high + 1).ToString());
        await BrowserFixture.ShotAsync(page, "koordinasi-live-incident-desktop");

        // 2. A follow-up action is created, then its status changes.
        var agency = await Created(await api.PostAsJsonAsync("/api/coordination/agencies", new { name = "KPU Kota Palembang (uji)", kind = "Kpu", regionCode = region }));
        var now = f.App.Clock.GetUtcNow();
        var open = int.Parse(await Kpi("open"));
        var meeting = await Created(await api.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor logistik", regionCode = region, heldAt = now,
            decisions = new[] { new { text = "Distribusi", actions = new[] { new { title = "Kirim logistik ke PPK", ownerAgencyId = agency.GetProperty("id").GetInt32(), dueAt = now.AddDays(1) } } } },
        }));
        await WaitKpi("open", (open + 1).ToString());
        var actionId = meeting.GetProperty("decisions")[0].GetProperty("actions")[0].GetProperty("id").GetInt32();
        var done = int.Parse(await Kpi("done"));
        await Created(await api.PostAsJsonAsync($"/api/coordination/actions/{actionId}/status", new { status = "Done", note = "Terkirim" }));
        await WaitKpi("done", (done + 1).ToString());
        await WaitKpi("open", open.ToString());

        // 3. A tally sheet arrives for the city's contest.
        var tally = await Kpi("tally"); // "n / expected"
        var contest = "PILWALKOT-16.71";
        List<int> paslon;
        string tps, desa;
        await using (var db = f.App.NewDbContext())
        {
            paslon = await db.Contests.Where(c => c.Code == contest).SelectMany(c => c.Paslon).Where(p => p.Number > 0).OrderBy(p => p.Number).Select(p => p.Number).ToListAsync();
            var t = await db.Tps.Where(x => x.DesaCode.StartsWith("16.71.04.")).OrderBy(x => x.Code).Select(x => new { x.Code, x.DesaCode }).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        Assert.NotEmpty(paslon);
        var kpps = await ApiAsync(Role.PpsOperator, desa);
        var sheet = TallySheets.Valid(contest, tps, paslon.Select((_, i) => (long)(40 + 10 * i)).ToArray());
        await Created(await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(sheet)));
        var before = int.Parse(tally.Split('/')[0].Trim().Replace(".", ""));
        await WaitKpi("tally", $"{before + 1} / {tally.Split('/')[1].Trim()}");
        await BrowserFixture.ShotAsync(page, "koordinasi-live-tally-desktop");

        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.__pantauNoReload"));
        Assert.EndsWith($"/koordinasi?region={region}", page.Url);
    }
    /// <summary>
    /// The situation report takes seconds to print: after "Buat laporan sekarang" the button is disabled and an indeterminate progress bar
    /// says so in the page's language (busy-form.js), then the list shows the new report, whose PDF opens. In English the message is English
    /// only, and without JavaScript the form still makes the report.
    /// </summary>
    private int _watch;

    /// <summary>
    /// Reports what the page shows when the busy status appears in form#report-generate. While the form's POST is pending Playwright's locators
    /// wait for the navigation to finish, so a MutationObserver in the page reports it through an exposed function (which works meanwhile).
    /// "pending" = the report count was still unchanged at that moment.
    /// </summary>
    private async Task<TaskCompletionSource<JsonElement>> WatchBusy(IPage page)
    {
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var name = $"__busySeen{++_watch}";
        var count = Count();
        await page.ExposeFunctionAsync(name, (string json) =>
        {
            var pending = Count() == count ? "true" : "false";
            tcs.TrySetResult(JsonDocument.Parse(json.TrimEnd('}') + ",\"pending\":" + pending + "}").RootElement.Clone());
        });
        await page.EvaluateAsync(@"name => {
            const form = document.querySelector('form#report-generate');
            const report = () => {
                const s = form.querySelector('[data-busy-status][role=status]');
                if (!s) return false;
                const r = s.getBoundingClientRect(), st = getComputedStyle(s), p = s.querySelector('progress'), b = form.querySelector('button[type=submit]');
                window[name](JSON.stringify({ visible: r.height > 0 && r.width > 0 && st.visibility !== 'hidden' && st.display !== 'none',
                    progress: !!p && !p.hasAttribute('value'), text: s.innerText, disabled: !!b && b.disabled, ariaBusy: form.getAttribute('aria-busy') }));
                return true;
            };
            const o = new MutationObserver(() => { if (report()) o.disconnect(); });
            o.observe(form, { childList: true, subtree: true, attributes: true });
        }", name);
        return tcs;

        int Count() { using var db = f.App.NewDbContext(); return db.SituationReports.Count(r => r.RegionCode == "16.71"); }
    }

    private static async Task Press(ILocator button)
    {
        await button.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        await button.EvaluateAsync("b => setTimeout(() => b.click(), 0)");
    }

    [Fact]
    public async Task Generating_a_situation_report_shows_that_it_is_being_made()
    {
        Assert.SkipWhen(!f.Available, "Chromium is not installed");
        const string region = "16.71";
        int Reports() { using var db = f.App.NewDbContext(); return db.SituationReports.Count(r => r.RegionCode == region); }
        var before = Reports();

        await using var ctx = await f.NewContextAsync(BrowserFixture.Desktop);
        var page = await ctx.NewPageAsync();
        await f.SignInAsync(page, Role.DeskKabKota, region);
        await page.GotoAsync($"/koordinasi/laporan?region={region}");
        var form = page.Locator("form#report-generate");
        Assert.Equal(0, await form.Locator("progress").CountAsync()); // nothing busy before the submit
        var seen = await WatchBusy(page);
        // A click that returns at once: Playwright's own click waits until the navigation it started commits, i.e. until the report is made.
        await Press(form.GetByRole(AriaRole.Button, new() { Name = "Buat laporan sekarang" }));
        var busy = await seen.Task.WaitAsync(TimeSpan.FromSeconds(45));
        Assert.True(busy.GetProperty("visible").GetBoolean(), busy.ToString());
        Assert.True(busy.GetProperty("progress").GetBoolean());           // an indeterminate <progress> (no value)
        Assert.StartsWith("Laporan sedang dibuat…", busy.GetProperty("text").GetString());
        Assert.True(busy.GetProperty("disabled").GetBoolean());           // the button cannot be pressed again
        Assert.Equal("true", busy.GetProperty("ariaBusy").GetString());
        Assert.True(busy.GetProperty("pending").GetBoolean());            // shown while the report was still being made

        // Then the page lists the report, the indicator is gone, and its PDF is there.
        await BrowserFixture.ArrivedAsync(page, "**/koordinasi/laporan?region=16.71*tersimpan=laporan*");
        Assert.Equal(before + 1, Reports());
        Assert.Equal(0, await page.Locator("form#report-generate progress").CountAsync());
        Assert.False(await page.Locator("form#report-generate").GetByRole(AriaRole.Button, new() { Name = "Buat laporan sekarang" }).IsDisabledAsync());
        var pdf = page.Locator("#reports a", new() { HasTextString = "PDF" }).First;
        var href = await pdf.GetAttributeAsync("href");
        Assert.NotNull(href);
        var res = await page.Context.APIRequest.GetAsync(href);
        Assert.Equal(200, res.Status);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await res.BodyAsync())[..5]));

        // English: the same, in English only.
        await page.GotoAsync($"/bahasa?to=en&back={Uri.EscapeDataString($"/koordinasi/laporan?region={region}")}");
        var en = page.Locator("form#report-generate");
        seen = await WatchBusy(page);
        await Press(en.GetByRole(AriaRole.Button, new() { Name = "Generate now" }));
        var enText = (await seen.Task.WaitAsync(TimeSpan.FromSeconds(45))).GetProperty("text").GetString()!;
        Assert.StartsWith("The report is being made…", enText);
        Assert.DoesNotContain("Laporan", enText);
        await BrowserFixture.ArrivedAsync(page, "**/koordinasi/laporan?region=16.71*tersimpan=laporan*");
        Assert.Equal(before + 2, Reports());

        // Without JavaScript the form is sent as it is and the report is made.
        await using var plain = await f.NewContextAsync(BrowserFixture.Desktop, javaScript: false);
        var noJs = await plain.NewPageAsync();
        await f.SignInAsync(noJs, Role.DeskKabKota, region);
        await noJs.GotoAsync($"/koordinasi/laporan?region={region}");
        await noJs.Locator("form#report-generate").GetByRole(AriaRole.Button, new() { Name = "Buat laporan sekarang" }).ClickAsync();
        await BrowserFixture.ArrivedAsync(noJs, "**/koordinasi/laporan?region=16.71*tersimpan=laporan*");
        Assert.Equal(before + 3, Reports());
    }
}
