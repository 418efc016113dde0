using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 24 points 3 and 4: every role's menu holds exactly what it may open (the pages' own policies), sign-in lands on the role's
/// job, and a KPPS account bound to one TPS enters that TPS only (both databases).
/// </summary>
public sealed class RoleMenuTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private const string Tps = "1671011001001", OtherTps = "1671011001002";

    private static readonly (Role Role, string Scope)[] Accounts =
    [
        (Role.Admin, ""), (Role.DeskProvinsi, "16"), (Role.DeskKabKota, "16.71"), (Role.Camat, "16.71.01"), (Role.KpuOperator, "16.71"),
        (Role.PpkOperator, "16.71.01"), (Role.PpsOperator, "16.71.01.1001"), (Role.KppsOperator, "16.71.01.1001"), (Role.KppsOperator, Tps),
        (Role.Bawaslu, "16.71"), (Role.Panwascam, "16.71.01"), (Role.Police, "16.71"), (Role.Army, "16.71"), (Role.AgencyOfficer, "16.71"),
    ];

    private static HttpRequestMessage Html(string url)
    {
        var r = new HttpRequestMessage(HttpMethod.Get, url);
        r.Headers.Accept.ParseAdd("text/html");
        return r;
    }

    private static List<string> MenuOf(string html)
    {
        var nav = Regex.Match(html, "<nav aria-label=\"Menu utama\">(.*?)</nav>", RegexOptions.Singleline).Groups[1].Value;
        return Regex.Matches(nav, "<a href=\"([^\"]+)\"").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToList();
    }

    [Fact]
    public async Task Every_menu_entry_opens_a_page_and_its_visibility_is_that_pages_policy()
    {
        await using var app = await PantauApp.StartAsync();
        var access = app.Services.GetRequiredService<NavAccess>();
        foreach (var item in PantauModules.Nav)
            Assert.True(access.PageFor(item.Href) is not null, $"{item.Href} opens no page");
        // The most specific route wins: /kesiapan/tahapan is its own page, not /kesiapan/{code?}.
        Assert.Equal("kesiapan/tahapan", access.PageFor("/kesiapan/tahapan")!.RoutePattern.RawText!.TrimStart('/'));
        Assert.Null(await access.PolicyOfAsync("/wilayah"));
        Assert.NotNull(await access.PolicyOfAsync("/hasil/input"));
        Assert.NotNull(await access.PolicyOfAsync("/admin/pengguna")); // the folder convention counts too
        // Groups by job, each entry in a known group or top level.
        Assert.All(PantauModules.Nav, n => Assert.True(n.Group.Length == 0 || NavGroups.Order.Contains(n.Group), n.Href));
    }

    [Fact]
    public async Task Each_role_sees_only_what_it_may_open_and_lands_on_its_job()
    {
        await using var app = await PantauApp.StartAsync();
        var all = PantauModules.Nav.Select(n => n.Href).ToHashSet();
        foreach (var (role, scope) in Accounts)
        {
            var (user, pw) = await app.CreateUserAsync(role, scope);
            var client = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
            var form = await client.GetStringAsync("/masuk");
            var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var signIn = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
                { ["UserName"] = user.UserName!, ["Password"] = pw, ["__RequestVerificationToken"] = token }));
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            var landing = signIn.Headers.Location!.OriginalString;
            var expected = role switch
            {
                Role.KppsOperator when scope == Tps => "/hasil/input?tps=" + Tps,
                Role.KppsOperator or Role.PpsOperator or Role.PpkOperator or Role.KpuOperator => "/hasil/input",
                Role.DeskProvinsi or Role.DeskKabKota => "/koordinasi?region=" + scope,
                Role.Bawaslu => "/hasil/antrean",
                _ => landing,
            };
            Assert.Equal(expected, landing);
            var landed = await client.SendAsync(Html(landing));
            Assert.True(landed.StatusCode == HttpStatusCode.OK, $"{role} {scope}: landing {landing} answered {(int)landed.StatusCode}");

            var menu = MenuOf(await landed.Content.ReadAsStringAsync());
            Assert.NotEmpty(menu);
            Assert.All(menu, href => Assert.Contains(href, all));
            // Everything in the menu opens; everything left out of it is refused (403) or asks for what the role lacks.
            foreach (var href in all)
            {
                var r = await client.SendAsync(Html(href));
                if (menu.Contains(href)) Assert.True(r.StatusCode == HttpStatusCode.OK, $"{role} {scope}: menu entry {href} answered {(int)r.StatusCode}");
                else Assert.True(r.StatusCode == HttpStatusCode.Forbidden, $"{role} {scope}: {href} is not in the menu but answered {(int)r.StatusCode}");
            }
            if (role == Role.KppsOperator)
            {
                Assert.Contains("/hasil/input", menu);
                Assert.DoesNotContain("/koordinasi", menu);
                Assert.DoesNotContain("/anomali", menu);
                Assert.DoesNotContain("/hasil/antrean", menu);
                Assert.DoesNotContain("/insiden", menu);
                Assert.DoesNotContain("/admin/pengguna", menu);
            }
            if (role == Role.Admin) Assert.Equal(all.Count, menu.Count);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_tps_bound_kpps_account_enters_its_own_tps_only(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        // The admin API accepts a TPS code as the scope of a KPPS account, and only of a KPPS account.
        var admin = await app.ClientForAsync(Role.Admin, "16.71");
        var created = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "kpps-tps-" + provider, role = "KppsOperator", scopeCode = Tps });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(Tps, (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("user").GetProperty("scopeCode").GetString());
        var pps = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "pps-tps-" + provider, role = "PpsOperator", scopeCode = Tps });
        Assert.Equal(HttpStatusCode.BadRequest, pps.StatusCode);
        var unknown = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "kpps-x-" + provider, role = "KppsOperator", scopeCode = "1671011001999" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var outside = await admin.PostAsJsonAsync("/api/admin/users", new { userName = "kpps-o-" + provider, role = "KppsOperator", scopeCode = "1672011001001" });
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
        // The scoped admin lists (and manages) the TPS-bound account of its kab/kota.
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/admin/users?scope=16.71.01.1001");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), u => u.GetProperty("scopeCode").GetString() == Tps);

        using var http = app.CreateClient();
        var contests = await http.GetFromJsonAsync<JsonElement>("/api/tally/contests");
        var gov = contests.EnumerateArray().First(c => c.GetProperty("regionCode").GetString() == "16");
        var contest = gov.GetProperty("code").GetString()!;
        var paslon = gov.GetProperty("paslon").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()).ToList();
        Dictionary<string, int> dpts;
        await using (var db = app.NewDbContext())
            dpts = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
                db.Tps.Where(t => t.Code == Tps || t.Code == OtherTps), t => t.Code, t => t.Dpt);
        object Sheet(string tps)
        {
            // A consistent sheet for the TPS's own DPT.
            var dpt = dpts[tps];
            var users = dpt * 7 / 10;
            var invalid = Math.Min(10, users);
            var sah = users - invalid;
            var received = dpt + (dpt * 25 + 999) / 1000;
            var d = new Dictionary<string, object> { ["contest"] = contest, ["tps"] = tps, ["suaraSah"] = sah, ["suaraTidakSah"] = invalid,
                ["dptL"] = dpt / 2, ["dptP"] = dpt - dpt / 2, ["dpt"] = dpt, ["usersDptL"] = users / 2, ["usersDptP"] = users - users / 2, ["usersDpt"] = users,
                ["ballotsReceived"] = received, ["ballotsUsed"] = users, ["ballotsDamaged"] = 0, ["ballotsUnused"] = received - users };
            var left = sah;
            for (var i = 0; i < paslon.Count; i++) { var v = i == paslon.Count - 1 ? left : sah / paslon.Count; d["p" + paslon[i]] = v; left -= v; }
            return d;
        }
        var kpps = await app.ClientForAsync(Role.KppsOperator, Tps);
        var other = await kpps.PostAsJsonAsync("/api/tally/sheets", Sheet(OtherTps));
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType?.MediaType);
        Assert.Equal("OUT_OF_SCOPE", (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var own = await kpps.PostAsJsonAsync("/api/tally/sheets", Sheet(Tps));
        Assert.True(own.StatusCode == HttpStatusCode.Created, await own.Content.ReadAsStringAsync());
        // Its own TPS's history shows who sent it; the next TPS's does not open its private parts.
        var history = await kpps.GetFromJsonAsync<JsonElement>($"/api/tally/tps/{Tps}/{contest}/history");
        Assert.StartsWith("kppsoperator-", history.GetProperty("versions")[0].GetProperty("submittedBy").GetString());
        JsonElement next;
        // A desa-scoped KPPS account still covers every TPS of its desa.
        var desaKpps = await app.ClientForAsync(Role.KppsOperator, "16.71.01.1001");
        var byDesa = await desaKpps.PostAsJsonAsync("/api/tally/sheets", Sheet(OtherTps));
        Assert.True(byDesa.StatusCode == HttpStatusCode.Created, await byDesa.Content.ReadAsStringAsync());
        next = await kpps.GetFromJsonAsync<JsonElement>($"/api/tally/tps/{OtherTps}/{contest}/history");
        Assert.Equal(JsonValueKind.Null, next.GetProperty("versions")[0].GetProperty("submittedBy").ValueKind);
        // Desa-level reads still work: the readiness dashboard of its desa.
        var ready = await kpps.GetAsync("/api/readiness/regions/16.71.01.1001");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
    }
    [Fact]
    public async Task Lists_and_dashboards_open_on_the_users_own_region_when_none_is_given()
    {
        await using var app = await PantauApp.StartAsync();
        var (user, pw) = await app.CreateUserAsync(Role.DeskKabKota, "16.71");
        var desk = await app.CookieClientAsync(user.UserName!, pw);
        string H1(string html) => WebUtility.HtmlDecode(Regex.Match(html, "<h1>(.*?)</h1>", RegexOptions.Singleline).Groups[1].Value).ToUpperInvariant();
        foreach (var url in new[] { "/kesiapan", "/kerawanan", "/koordinasi" })
        {
            var h1 = H1(await desk.GetStringAsync(url));
            Assert.Contains("PALEMBANG", h1);
            Assert.DoesNotContain("SUMATERA SELATAN", h1);
        }
        // A desa account's kerawanan opens on its kecamatan (the deepest level that page shows); the public on the province.
        var (pps, ppw) = await app.CreateUserAsync(Role.PpsOperator, "16.71.01.1001");
        var desa = await app.CookieClientAsync(pps.UserName!, ppw);
        var kec = H1(await desa.GetStringAsync("/kerawanan"));
        Assert.DoesNotContain("PALEMBANG", kec);
        Assert.DoesNotContain("SUMATERA SELATAN", kec);
        Assert.Contains("SUMATERA SELATAN", H1(await app.AnonymousClient().GetStringAsync("/kerawanan")));
        // A TPS-bound KPPS account's readiness opens on its desa.
        var (kpps, kpw) = await app.CreateUserAsync(Role.KppsOperator, Tps);
        var readiness = await (await app.CookieClientAsync(kpps.UserName!, kpw)).GetStringAsync("/kesiapan");
        Assert.Contains("35 ILIR", H1(readiness)); // desa 16.71.01.1001
    }
    [Fact]
    public async Task Without_javascript_the_tps_form_says_accepted_clears_and_offers_the_next_contest()
    {
        await using var app = await PantauApp.StartAsync();
        var (kpps, pw) = await app.CreateUserAsync(Role.KppsOperator, Tps);
        var client = await app.CookieClientAsync(kpps.UserName!, pw);
        var page = await client.GetStringAsync("/hasil/input");
        Assert.DoesNotContain("class=\"region-picker\"", page); // bound to its TPS: no picker
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var contest = Regex.Match(page, "<input type=\"hidden\" name=\"contest\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(contest);
        var paslon = Regex.Matches(page, "name=\"p(\\d+)\"").Select(m => m.Groups[1].Value).ToList();
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["contest"] = contest, ["tps"] = Tps, ["idempotencyKey"] = Guid.NewGuid().ToString("N"),
            ["suaraSah"] = "390", ["suaraTidakSah"] = "10", ["dptL"] = "285", ["dptP"] = "285", ["dpt"] = "570",
            ["usersDptL"] = "200", ["usersDptP"] = "200", ["usersDpt"] = "400", ["ballotsReceived"] = "585", ["ballotsUsed"] = "400",
            ["ballotsDamaged"] = "5", ["ballotsUnused"] = "180",
        };
        var left = 390;
        for (var i = 0; i < paslon.Count; i++) { var v = i == paslon.Count - 1 ? left : 390 / paslon.Count; form["p" + paslon[i]] = v.ToString(); left -= v; }

        // A correction without its reason is stopped on its field, nothing sent.
        var noReason = await client.PostAsync("/hasil/input", new FormUrlEncodedContent(new Dictionary<string, string>(form) { ["correction"] = "true" }));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var noReasonHtml = await noReason.Content.ReadAsStringAsync();
        Assert.Contains("id=\"e-reason\"", noReasonHtml);
        Assert.Contains("Alasan wajib diisi untuk perbaikan.", noReasonHtml);
        Assert.Matches("id=\"f-reason\"[^>]*required=\"required\"", noReasonHtml);

        var sent = await client.PostAsync("/hasil/input", new FormUrlEncodedContent(form));
        var html = await sent.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains("data-outcome=\"accepted\"", html);
        Assert.Contains("Diterima.", html);
        Assert.Matches("id=\"receipt-code\">[0-9]+-[0-9A-F]{8}<", html);
        Assert.Contains("id=\"next-contest\"", html);
        Assert.Matches("id=\"f-suaraSah\" name=\"suaraSah\" value=\"\"", html); // the form starts empty
        Assert.DoesNotContain("Accepted", html); // one language on the screen
        Assert.DoesNotContain("outside your", html);
    }
}
