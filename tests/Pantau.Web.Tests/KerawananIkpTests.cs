using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// The kerawanan index as Bawaslu measures it, end to end: bands per level (Sumsel 55.32 is medium as a province), the IKP edition setting,
/// the import of Bawaslu's table (API, page, CLI) with file:line errors and nothing written on a bad row, and the honest labels.
/// </summary>
public class KerawananIkpTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{(int)res.StatusCode} {res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static MultipartFormDataContent Csv(string field, string csv, string name = "ikp-bawaslu.csv")
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, field, name } };
    }

    private static JsonElement Row(JsonElement scores, string code) => scores.EnumerateArray().Single(s => s.GetProperty("code").GetString() == code);

    [Theory, MemberData(nameof(Providers))]
    public async Task Each_level_is_banded_with_its_own_thresholds_on_the_pages_the_api_the_map_and_the_summary(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var anon = app.AnonymousClient();

        // Province: 55.32 is medium (high ≥ 68.5), as Bawaslu rates Sumatera Selatan; with the kab/kota thresholds it would be high.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var summary = await Json(await desk.GetAsync("/api/incidents/summary?region=16"), HttpStatusCode.OK);
        var k = summary.GetProperty("kerawanan");
        Assert.Equal(55.32, k.GetProperty("score").GetDouble());
        Assert.Equal("Medium", Band(k.GetProperty("band")));
        var page = WebUtility.HtmlDecode(await anon.GetStringAsync("/kerawanan"));
        Assert.Contains("id=\"self-score\">55,32<", page);
        Assert.Matches("id=\"self-band\">Sedang<", page);
        Assert.Contains("tinggi ≥ 68,5", page);           // the province's own bands next to its score
        Assert.Contains("tinggi ≥ 49,33; sedang 13,47–49,32", page); // the rows are kab/kota
        Assert.Contains("Bawaslu IKP Pilkada 2024: Sumatera Selatan 55,32, kategori sedang", page);
        Assert.Contains("Bobot dimensi adalah pilihan Pantau", page);

        // Kab/kota rows: every band in the API equals the kab/kota thresholds applied to the score; parts add up to the score.
        var scores = await Json(await anon.GetAsync("/api/kerawanan?parent=16&level=kabkota"), HttpStatusCode.OK);
        Assert.Equal(17, scores.GetArrayLength());
        foreach (var s in scores.EnumerateArray())
        {
            var v = s.GetProperty("score").GetDouble();
            var expected = v >= 49.33 ? "High" : v >= 13.47 ? "Medium" : "Low";
            Assert.Equal(expected, Band(s.GetProperty("band")));
            Assert.Contains(s.GetProperty("level").ToString(), new[] { "2", "KabKota" });
            Assert.Equal(v, s.GetProperty("baselinePoints").GetDouble() + s.GetProperty("incidentPoints").GetDouble() + s.GetProperty("tpsPoints").GetDouble(), 1);
            Assert.True(s.GetProperty("isSynthetic").GetBoolean()); // nothing is published for a Sumsel kab/kota total
        }
        Assert.Contains("Lahat", Row(scores, "16.04").GetProperty("publishedFacts")[0].GetString());
        Assert.Contains("Musi Banyuasin", Row(scores, "16.06").GetProperty("publishedFacts")[0].GetString());

        var map = await Json(await anon.GetAsync("/api/kerawanan/map?parent=16&level=kabkota"), HttpStatusCode.OK);
        Assert.Equal("Tinggi ≥ 49,33", map.GetProperty("legend")[0].GetProperty("label").GetString());
        Assert.Contains("sintetis", map.GetProperty("items").GetProperty("16.04").GetProperty("label").GetString());
        var kecMap = await Json(await anon.GetAsync("/api/kerawanan/map?parent=16.71&level=kecamatan"), HttpStatusCode.OK);
        Assert.Contains("Bawaslu tidak menerbitkan", kecMap.GetProperty("legend")[0].GetProperty("label").GetString());

        var csv = await anon.GetStringAsync("/api/kerawanan/export?parent=16&level=kabkota");
        var header = csv.Split('\n')[0];
        foreach (var col in new[] { "tingkat", "sintetis", "edisi_ikp", "dasar_ikp", "sumber_dasar", "poin_insiden", "poin_tps_rawan" }) Assert.Contains(col, header);

        var info = await Json(await anon.GetAsync("/api/kerawanan/ikp"), HttpStatusCode.OK);
        Assert.Equal("ikp-pilkada-2024", info.GetProperty("active").GetString());
        Assert.Equal("2024-11-10", info.GetProperty("tpsRawan").GetProperty("collection").GetProperty("start").GetString());
        Assert.Equal(8, info.GetProperty("tpsRawan").GetProperty("variables").GetArrayLength());
    }

    private static string Band(JsonElement e) => e.ValueKind == JsonValueKind.Number ? ((Pantau.Core.Incidents.KerawananBand)e.GetInt32()).ToString() : e.GetString()!;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_desk_imports_Bawaslus_table_through_the_api_and_a_bad_row_writes_nothing(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");

        // One bad row (a kecamatan of another kab/kota, and a band that contradicts its score): nothing is written, errors are file:line.
        var bad = await Json(await desk.PostAsync("/api/kerawanan/ikp/import?region=16.71",
            Csv("file", "kode,nama,skor,kategori\n16.71,KOTA PALEMBANG,45.5,sedang\n16.71.01,Ilir Barat II,60,sedang\n16.02.01,Lempuing,20,\n")), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("ikp-import-invalid", bad.GetProperty("code").GetString());
        var errors = bad.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith("ikp-bawaslu.csv:3: 16.71.01: skor 60,00 termasuk 'tinggi' pada tingkat kecamatan", errors[0]);
        Assert.StartsWith("ikp-bawaslu.csv:4: 16.02.01: di luar cakupan", errors[1]);
        await using (var db = app.NewDbContext()) Assert.Equal(0, await db.IkpValues.CountAsync());

        // Another region's scope is refused before the file is read.
        await Json(await desk.PostAsync("/api/kerawanan/ikp/import?region=16.02", Csv("file", "kode,skor\n16.02,30\n")), HttpStatusCode.Forbidden);
        await Json(await desk.PostAsync("/api/kerawanan/ikp/import?region=16.71", new StringContent("kode,skor\n16.71,30\n")), HttpStatusCode.BadRequest);
        await Json(await (await app.ClientForAsync(Role.Police, "16.71")).PostAsync("/api/kerawanan/ikp/import", Csv("file", "kode,skor\n16.71,30\n")), HttpStatusCode.Forbidden);

        var ok = await Json(await desk.PostAsync("/api/kerawanan/ikp/import",
            Csv("file", "kode;nama;skor;kategori\n1671;KOTA PALEMBANG;45,5;sedang\n16.71.01;Ilir Barat II;60;tinggi\n")), HttpStatusCode.OK);
        Assert.Equal(2, ok.GetProperty("imported").GetInt32());
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(2, await db.IkpValues.CountAsync(v => v.Edition == "ikp-pilkada-2024"));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "IkpValue" && a.EntityKey.Contains("16.71.01")));
        }

        var anon = app.AnonymousClient();
        var palembang = Row(await Json(await anon.GetAsync("/api/kerawanan?parent=16&level=kabkota"), HttpStatusCode.OK), "16.71");
        Assert.False(palembang.GetProperty("isSynthetic").GetBoolean());
        Assert.Equal(45.5, palembang.GetProperty("baselinePoints").GetDouble());
        Assert.StartsWith("impor Desk dari tabel Bawaslu (ikp-bawaslu.csv", palembang.GetProperty("baselineSource").GetString());
        var kec = Row(await Json(await anon.GetAsync("/api/kerawanan?parent=16.71&level=kecamatan"), HttpStatusCode.OK), "16.71.01");
        Assert.Equal("High", Band(kec.GetProperty("band")));
        Assert.False(kec.GetProperty("isSynthetic").GetBoolean());
        // A TPS inherits its kecamatan's imported baseline.
        var tps = (await Json(await anon.GetAsync("/api/kerawanan?parent=16.71.01&level=tps"), HttpStatusCode.OK)).EnumerateArray().First();
        Assert.Equal(60, tps.GetProperty("baselinePoints").GetDouble());
        Assert.False(tps.GetProperty("isSynthetic").GetBoolean());

        // Re-importing replaces the row.
        await Json(await desk.PostAsync("/api/kerawanan/ikp/import", Csv("file", "kode,skor\n16.71,30\n")), HttpStatusCode.OK);
        await using (var db = app.NewDbContext()) Assert.Equal(30, (await db.IkpValues.SingleAsync(v => v.RegionCode == "16.71")).Total);
    }

    private static string Token(string html) => Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_ikp_page_explains_the_edition_and_imports_with_readable_errors_and_the_deployment_list_says_sintetis(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (user, password) = await app.CreateUserAsync(Role.DeskKabKota, "16.71");
        var desk = await app.CookieClientAsync(user.UserName!, password);

        var page = WebUtility.HtmlDecode(await desk.GetStringAsync("/kerawanan/ikp"));
        Assert.Contains("IKP Pilkada 2024", page);
        Assert.Contains("Bobot dimensi adalah pilihan Pantau", page);
        Assert.Contains("≥ 68,5", page);
        Assert.Contains("id=\"ikp-import\"", page);
        Assert.DoesNotContain("id=\"ikp-import\"", await app.AnonymousClient().GetStringAsync("/kerawanan/ikp"));

        async Task<HttpResponseMessage> Post(string csv)
        {
            var form = Csv("Upload", csv, "tabel.csv");
            form.Add(new StringContent(Token(await desk.GetStringAsync("/kerawanan/ikp"))), "__RequestVerificationToken");
            return await desk.PostAsync("/kerawanan/ikp", form);
        }
        var bad = await Post("kode,skor\n16.71,abc\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        var html = WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync());
        Assert.Contains("Tidak ada yang disimpan", html);
        Assert.Contains("tabel.csv:2: 16.71: skor 'abc' harus angka 0–100", html);
        var good = await Post("kode,skor\n16.71.02,25\n");
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("1 wilayah diimpor", await good.Content.ReadAsStringAsync());

        // The deployment list marks synthetic scores (16.71.02 is imported now; the other kecamatan are synthetic).
        var police = await app.CookieClientAsync((await app.CreateUserAsync(Role.Police, "16.71")).User.UserName!, PantauApp.TestPassword);
        var plan = await police.GetStringAsync("/kerawanan/penempatan?region=16.71");
        Assert.Contains("id=\"deployment-synthetic\"", plan);
        var items = Regex.Matches(plan, "<li class=\"band-row[^\"]*\" data-code=\"([^\"]+)\">(.*?)</li>\\s*(?=<li class=\"band-row|</ol>)", RegexOptions.Singleline);
        Assert.NotEmpty(items);
        foreach (Match m in items)
            Assert.Equal(m.Groups[1].Value != "16.71.02", m.Groups[2].Value.Contains("badge synthetic"));
        var csv = await police.GetStringAsync("/api/kerawanan/deployment?region=16.71&format=csv");
        Assert.Contains("sintetis", csv.Split('\n')[0]);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_edition_setting_is_only_a_fallback_an_election_uses_its_own_index(DatabaseProvider provider)
    {
        // Since the IKP edition belongs to the election (issue 27.2), the setting no longer overrides it: the 2024 Pilkada keeps the
        // Pilkada index (its stage dimensions) even where the deployment names the Pemilu edition.
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:Kerawanan:Edition"] = "ikp-pemilu-2024" });
        var anon = app.AnonymousClient();
        Assert.Equal("ikp-pilkada-2024", (await Json(await anon.GetAsync("/api/kerawanan/ikp"), HttpStatusCode.OK)).GetProperty("active").GetString());
        var row = (await Json(await anon.GetAsync("/api/kerawanan?parent=16&level=kabkota"), HttpStatusCode.OK)).EnumerateArray().First();
        var keys = row.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("key").GetString()).ToList();
        Assert.DoesNotContain("ikp:penyelenggaraan", keys);
        Assert.Equal("ikp-pilkada-2024", row.GetProperty("edition").GetString());
    }

    private static async Task<int> RunVerbAsync(TestDatabase db, params string[] args)
    {
        var builder = WebApplication.CreateBuilder([$"--Database:Provider={db.Provider}", $"--ConnectionStrings:Pantau={db.ConnectionString}", "--Pantau:RunJobs=false"]);
        builder.AddPantau();
        await using var app = builder.Build();
        Assert.True(Commands.TryGet(args, out var command));
        return await command(app);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_import_ikp_verb_writes_a_good_file_and_nothing_of_a_bad_one(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var dir = Path.Combine(Path.GetTempPath(), "pantau-tests");
        Directory.CreateDirectory(dir);
        var bad = Path.Combine(dir, $"ikp-bad-{Guid.NewGuid():N}.csv");
        var good = Path.Combine(dir, $"ikp-good-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(bad, "kode,skor,kategori\n16.04,55,tinggi\n16.06,40,tinggi\n");
        await File.WriteAllTextAsync(good, "kode,skor,kategori,kategori_pencalonan\n16.04,55,tinggi,tinggi\n16.06,40,sedang,\n");
        try
        {
            Assert.Equal(1, await RunVerbAsync(app.Database, "import-ikp", bad));
            await using (var db = app.NewDbContext()) Assert.Equal(0, await db.IkpValues.CountAsync());
            Assert.Equal(2, await RunVerbAsync(app.Database, "import-ikp", good, "--region", "nope"));
            Assert.Equal(0, await RunVerbAsync(app.Database, "import-ikp", good));
            await using (var db = app.NewDbContext())
                Assert.Equal(["16.04", "16.06"], await db.IkpValues.OrderBy(v => v.RegionCode).Select(v => v.RegionCode).ToListAsync());
        }
        finally { File.Delete(bad); File.Delete(good); }
    }
}
