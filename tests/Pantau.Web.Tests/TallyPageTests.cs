using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.TestKit;

namespace Pantau.Web.Tests;

public class TallyPageTests
{
    private const string Gub = "PILGUB-16";

    private static async Task<(string Code, string Desa)> FirstTps(PantauApp app)
    {
        await using var db = app.NewDbContext();
        var t = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
        return (t.Code, t.DesaCode);
    }

    [Fact]
    public async Task Verify_page_shows_the_head_and_runs_verify_for_Bawaslu_but_not_for_an_operator()
    {
        await using var app = await PantauApp.StartAsync();
        var (tps, desa) = await FirstTps(app);
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 120, 80, 40)))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.GetAsync("/hasil/verifikasi")).StatusCode);

        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16");
        var html = await (await bawaslu.GetAsync("/hasil/verifikasi")).Content.ReadAsStringAsync();
        Assert.Contains("<dd id=\"head-seq\">1</dd>", html);
        await using (var db = app.NewDbContext())
            Assert.Contains($"<code id=\"head-hash\">{(await db.TallyLog.SingleAsync()).Hash}</code>", html);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        async Task<string> Run() => await (await bawaslu.PostAsync("/hasil/verifikasi",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }))).Content.ReadAsStringAsync();
        var ok = await Run();
        Assert.Contains("id=\"verify-result\" class=\"outcome accepted\"", ok);
        await using (var db = app.NewDbContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE \"TallyRecaps\" SET \"SuaraSah\" = \"SuaraSah\" + 5 WHERE \"RegionCode\" = '16'");
        var bad = await Run();
        Assert.Contains("class=\"outcome rejected\"", bad);
        Assert.Contains("recap PILGUB-16/16:", bad);
    }

    [Fact]
    public async Task Entry_form_shows_rule_errors_per_field_in_Indonesian_and_counts_a_good_sheet()
    {
        await using var app = await PantauApp.StartAsync();
        var (tps, desa) = await FirstTps(app);
        var client = await app.ClientForAsync(Role.KppsOperator, desa);
        var page = await client.GetAsync($"/hasil/input?tps={tps}&contest={Gub}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(html.Length < 100_000, $"page is {html.Length} bytes");
        foreach (var name in new[] { "p1", "p2", "p3", "suaraSah", "usersDptbL", "ballotsUnused", "idempotencyKey" })
            Assert.Contains($"name=\"{name}\"", html);
        Assert.Contains("id=\"f-suaraSah\"", html);
        var token = Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var key = Regex.Match(html, "name=\"idempotencyKey\" value=\"([^\"]+)\"").Groups[1].Value;

        Dictionary<string, string> Form(CHasilSheet s, string k)
        {
            var d = new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["contest"] = s.Contest, ["tps"] = s.Tps, ["idempotencyKey"] = k };
            foreach (var (n, v) in s.Votes) d[SheetFields.VoteField(n)] = v.ToString();
            foreach (var f in SheetFields.Numeric) d[f.Name] = f.Value(s)?.ToString() ?? "";
            return d;
        }
        var bad = TallySheets.Valid(Gub, tps, 120, 80, 40) with { BallotsDamaged = 3 };
        var res = await client.PostAsync("/hasil/input", new FormUrlEncodedContent(Form(bad, key)));
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(body.Contains("data-outcome=\"flagged\""), $"{res.StatusCode}: {body}");
        Assert.Contains("id=\"e-ballotsDamaged\" role=\"alert\"", body);
        Assert.Contains("RECEIVED_NE_USED_RETURNED_UNUSED: surat suara diterima", body);
        Assert.DoesNotContain("id=\"e-p1\"", body);

        var good = TallySheets.Valid(Gub, tps, 120, 80, 40);
        var ok = await (await client.PostAsync("/hasil/input", new FormUrlEncodedContent(Form(good, Guid.NewGuid().ToString("N"))))).Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"accepted\"", ok);
        // The public-log receipt (issue 23): short code and a QR code of its /cek address.
        Assert.Matches("id=\"receipt-code\">[0-9]+-[0-9A-F]{8}<", ok);
        Assert.Contains("<svg", ok);
        var recap = await app.AnonymousClient().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tally/recap/{Gub}/16");
        Assert.Equal(1, recap.GetProperty("region").GetProperty("tpsIn").GetInt64());
    }

    [Fact]
    public async Task Entry_form_requires_an_entry_role()
    {
        await using var app = await PantauApp.StartAsync();
        var anon = await app.AnonymousClient().GetAsync("/hasil/input");
        Assert.Equal(HttpStatusCode.Redirect, anon.StatusCode);
        Assert.Contains("/masuk", anon.Headers.Location!.ToString());
        var police = await app.ClientForAsync(Role.Police, "16");
        var res = await police.GetAsync("/hasil/input");
        Assert.NotEqual(HttpStatusCode.OK, res.StatusCode);
    }

    [Fact]
    public async Task Results_page_drills_down_and_queue_shows_conflicts_side_by_side()
    {
        await using var app = await PantauApp.StartAsync();
        var (tps, desa) = await FirstTps(app);
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var pps = await app.ClientForAsync(Role.PpsOperator, desa);
        await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 120, 80, 40)));
        await pps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 150, 50, 40)));

        var anon = app.AnonymousClient();
        var province = await anon.GetStringAsync($"/hasil/{Gub}/16");
        Assert.Contains("Pemilihan Gubernur", province);
        Assert.Contains($"href=\"/hasil/{Gub}/16.71\"", province);
        Assert.Contains("Rekapitulasi (model D.Hasil)", province);
        var desaPage = await anon.GetStringAsync($"/hasil/{Gub}/{desa}");
        Assert.Contains($"href=\"/hasil/{Gub}/{tps}\"", desaPage);
        Assert.Contains(">konflik</span>", desaPage);            // the TPS's state in words, in the page's language
        Assert.DoesNotContain(">Conflict</span>", desaPage);
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync($"/hasil/{Gub}/{tps}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/hasil/PILGUB-16/99.99")).StatusCode);
        Assert.Contains("PILGUB-16", await anon.GetStringAsync("/hasil"));

        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        var queue = await bawaslu.GetStringAsync("/hasil/antrean");
        Assert.Contains($"data-tps=\"{tps}\"", queue);
        Assert.Contains("class=\"num diff\"", queue);
        Assert.Contains("Terima versi 2", queue);
    }
}
