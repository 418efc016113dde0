using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

public class IncidentPageTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static string Token(string html) => Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    private static HttpClient Browser(PantauApp app) => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private static async Task<HttpClient> SignedIn(PantauApp app, Role role, string scope)
    {
        var (user, password) = await app.CreateUserAsync(role, scope);
        var client = Browser(app);
        var page = await client.GetStringAsync("/masuk");
        var res = await client.PostAsync("/masuk", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["UserName"] = user.UserName!, ["Password"] = password, ["__RequestVerificationToken"] = Token(page) }));
        Assert.Equal(HttpStatusCode.Redirect, res.StatusCode);
        return client;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_citizen_reports_through_the_form_with_evidence_and_follows_only_their_report(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var citizen = Browser(app);
        var form = await citizen.GetStringAsync("/lapor");
        Assert.Contains("<html lang=\"id\">", form);
        Assert.Contains("Kirim laporan", form);
        Assert.Contains("KOTA PALEMBANG", form);
        Assert.DoesNotContain("selected=\"False\"", form);

        MultipartFormDataContent Fields(string title, string token, byte[]? file = null)
        {
            var f = new MultipartFormDataContent
            {
                { new StringContent("Intimidation"), "Category" }, { new StringContent("16.71"), "KabKota" }, { new StringContent("16.71.01"), "Kecamatan" },
                { new StringContent(title), "Title" }, { new StringContent("Orang tak dikenal mengancam warga agar memilih paslon tertentu."), "Description" },
                { new StringContent("Rahmat Warga"), "ReporterName" }, { new StringContent("0812-3456-7890"), "ReporterContact" },
                { new StringContent(token), "__RequestVerificationToken" },
            };
            if (file is not null) f.Add(new ByteArrayContent(file), "Files", "bukti.png");
            return f;
        }
        // Without the antiforgery token the post is refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await citizen.PostAsync("/lapor", Fields("Ancaman kepada warga", ""))).StatusCode);
        // Invalid input: 400, role=alert, and the user's text is kept.
        var bad = await citizen.PostAsync("/lapor", Fields("x", Token(form)));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", badHtml);
        Assert.Contains("Orang tak dikenal mengancam warga", badHtml);
        Assert.Contains("value=\"0812-3456-7890\"", badHtml);
        // A disguised file is refused before anything is stored.
        var disguised = await citizen.PostAsync("/lapor", Fields("Ancaman kepada warga", Token(form), "<html>x</html>"u8.ToArray()));
        Assert.Equal(HttpStatusCode.BadRequest, disguised.StatusCode);

        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 9, 9];
        var ok = await citizen.PostAsync("/lapor", Fields("Ancaman kepada warga", Token(form), png));
        var okHtml = await ok.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var code = Regex.Match(okHtml, "id=\"tracking-code\">([^<]+)<").Groups[1].Value;
        var secret = Regex.Match(okHtml, "id=\"tracking-secret\">([^<]+)<").Groups[1].Value;
        Assert.StartsWith("LP-", code);
        Assert.Equal(10, secret.Length);

        var statusForm = await citizen.GetStringAsync("/lapor/status");
        var status = await citizen.PostAsync("/lapor/status", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Code"] = code, ["Secret"] = secret, ["__RequestVerificationToken"] = Token(statusForm) }));
        var statusHtml = await status.Content.ReadAsStringAsync();
        Assert.Contains("data-status=\"New\"", statusHtml);
        Assert.DoesNotContain("0812-3456-7890", statusHtml);
        Assert.DoesNotContain("Rahmat Warga", statusHtml);
        Assert.DoesNotContain("Orang tak dikenal", statusHtml);
        var wrong = await citizen.PostAsync("/lapor/status", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Code"] = code, ["Secret"] = "WRONGWRONG", ["__RequestVerificationToken"] = Token(statusForm) }));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.DoesNotContain("data-status", await wrong.Content.ReadAsStringAsync());

        // The officer in scope sees the report, its evidence and the private contact; the citizen cannot open the officer pages.
        Assert.Equal(HttpStatusCode.Redirect, (await citizen.GetAsync("/insiden")).StatusCode);
        var camat = await SignedIn(app, Role.Camat, "16.71.01");
        var list = await camat.GetStringAsync("/insiden");
        Assert.Contains(code, list);
        var id = Regex.Match(list, "href=\"/insiden/([0-9a-f-]{36})\"").Groups[1].Value;
        var detail = await camat.GetStringAsync("/insiden/" + id);
        Assert.Contains("0812-3456-7890", detail);
        Assert.Contains("bukti.png", detail);

        // Verify through the page form (antiforgery) and see it in the history.
        var verify = await camat.PostAsync($"/insiden/{id}?handler=Transition", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Action"] = "Verify", ["Note"] = "Dicek ke lokasi", ["__RequestVerificationToken"] = Token(detail) }));
        Assert.Equal(HttpStatusCode.Redirect, verify.StatusCode);
        var after = await camat.GetStringAsync("/insiden/" + id);
        Assert.Contains("data-status=\"Verified\"", after);
        Assert.Contains("Dicek ke lokasi", after);
        // A camat cannot approve closing: the page shows the error and keeps the note.
        var closeTry = await camat.PostAsync($"/insiden/{id}?handler=Transition", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Action"] = "Close", ["Note"] = "Catatan saya", ["__RequestVerificationToken"] = Token(after) }));
        Assert.Equal(HttpStatusCode.Forbidden, closeTry.StatusCode);
        var closeHtml = await closeTry.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", closeHtml);
        Assert.Contains("Catatan saya", closeHtml);

        // An officer of another kab/kota gets 403 on the detail page.
        var lahat = await SignedIn(app, Role.Police, "16.04");
        Assert.Equal(HttpStatusCode.Forbidden, (await lahat.GetAsync("/insiden/" + id)).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_kerawanan_hoax_and_deployment_pages_render(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var anon = Browser(app);
        var province = await anon.GetStringAsync("/kerawanan");
        // The map reads the figures of the election the page shows (its IKP edition).
        Assert.Contains("data-values=\"/api/kerawanan/map?parent=16&amp;level=kabkota&amp;lang=id&amp;election=PILKADA2024-16\"", province);
        Assert.Contains("id=\"self-score\">55,32<", province);
        Assert.Equal(17, Regex.Matches(province, "<tr data-code=").Count);
        Assert.Contains("sintetis", province);
        var english = await anon.GetStringAsync("/kerawanan?parent=16.04&lang=en");
        Assert.Contains("contributions", english);
        var tpsLevel = await anon.GetStringAsync("/kerawanan?parent=16.71.01");
        Assert.Contains("/kerawanan/tps/1671011", tpsLevel);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/kerawanan?parent=99.99")).StatusCode);
        Assert.Contains("Belum ada klarifikasi", await anon.GetStringAsync("/hoaks"));

        Assert.Equal(HttpStatusCode.Redirect, (await anon.GetAsync("/kerawanan/penempatan")).StatusCode);
        var police = await SignedIn(app, Role.Police, "16.71");
        var tpsPage = await police.GetStringAsync("/kerawanan/tps/1671011001001");
        var save = await police.PostAsync("/kerawanan/tps/1671011001001", new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
        {
            new("Variables", "Security"), new("Variables", "ElectricityInternet"), new("Note", "Jalan rusak"), new("__RequestVerificationToken", Token(tpsPage)),
        }));
        var saved = await save.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, save.StatusCode);
        Assert.Contains("TPS rawan: Keamanan", saved);
        // Unticking everything is a choice only when said so: "no variable applies" clears them; ticked with a variable it is refused.
        var tps2 = "/kerawanan/tps/1671011001002";
        var tps2Page = await police.GetStringAsync(tps2);
        var both = await police.PostAsync(tps2, new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
            { new("Variables", "Security"), new("NoneApply", "true"), new("__RequestVerificationToken", Token(tps2Page)) }));
        Assert.Equal(HttpStatusCode.BadRequest, both.StatusCode);
        Assert.Contains("pilih salah satu", await both.Content.ReadAsStringAsync());
        var none = await police.PostAsync(tps2, new FormUrlEncodedContent(new List<KeyValuePair<string, string>>
            { new("NoneApply", "true"), new("__RequestVerificationToken", Token(tps2Page)) }));
        Assert.Equal(HttpStatusCode.OK, none.StatusCode);
        await using (var db = app.NewDbContext())
        {
            var row = await db.TpsRawan.SingleAsync(t => t.TpsCode == "1671011001002");
            Assert.Empty(row.Flags());
        }
        Assert.Matches("name=\"NoneApply\" value=\"true\" checked", await police.GetStringAsync(tps2));
        var plan = await police.GetStringAsync("/kerawanan/penempatan?region=16.71.01");
        var first = Regex.Match(plan, "<li class=\"band-row[^\"]*\" data-code=\"([0-9]+)\"").Groups[1].Value;
        Assert.Equal("1671011001001", first);
        var kabPlan = await police.GetStringAsync("/kerawanan/penempatan");
        Assert.Contains("data-code=\"16.71.", kabPlan);
        var camat = await SignedIn(app, Role.Camat, "16.71.01");
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync("/kerawanan/penempatan")).StatusCode); // access denied → the 403 page, not the sign-in form

        var desk = await SignedIn(app, Role.DeskKabKota, "16.71");
        var hoaxDesk = await desk.GetStringAsync("/insiden/hoaks");
        var created = await desk.PostAsync("/insiden/hoaks?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        { ["Claim"] = "Surat suara sudah dicoblos sebelum hari H", ["RegionCode"] = "", ["__RequestVerificationToken"] = Token(hoaxDesk) }));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var withClaim = await desk.GetStringAsync("/insiden/hoaks");
        Assert.Contains("Surat suara sudah dicoblos", withClaim);
        var deskList = await desk.GetStringAsync("/insiden");
        Assert.Contains("Laporan insiden", deskList);
        Assert.Contains("id=\"incident-summary\"", deskList);
    }
}
