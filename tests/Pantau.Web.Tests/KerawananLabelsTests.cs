using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 27.4, honest labels: wherever a kerawanan score is shown (deployment list, incidents page, TPS page, map, Desk dashboard, situation
/// report) it comes with its parts (IKP baseline with its source, verified incidents, TPS-rawan variables), the band thresholds of its level,
/// the sintetis mark and Bawaslu's own band where one is published; the dimension weights are labelled as Pantau's; one language per screen.
/// </summary>
public class KerawananLabelsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private static readonly CultureInfo Id = CultureInfo.GetCultureInfo("id-ID");

    private static double Num(string s) => double.Parse(s, NumberStyles.Number, Id);

    private static MultipartFormDataContent Csv(string csv)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, "file", "ikp-bawaslu.csv" } };
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_deployment_list_shows_each_scores_parts_the_bands_of_its_level_and_Pantaus_weights_in_one_language(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var police = await app.CookieClientAsync((await app.CreateUserAsync(Role.Police, "16.71")).User.UserName!, PantauApp.TestPassword);

        var page = WebUtility.HtmlDecode(await police.GetStringAsync("/kerawanan/penempatan?region=16.71"));
        Assert.Contains("Kategori tingkat kecamatan: tinggi ≥ 49,33; sedang 13,47–49,32", page);
        Assert.Contains("Pantau memakai ambang kab/kota", page); // Bawaslu bands no kecamatan: said so
        var weights = Regex.Match(page, "id=\"weights-note\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("Bobot dimensi adalah pilihan Pantau; Bawaslu tidak menerbitkan bobot", weights);
        Assert.Contains("Konteks sosial-politik 0,25", weights);

        var items = Regex.Matches(page, "<li class=\"band-row[^\"]*\" data-code=\"([^\"]+)\">(.*?)</li>\\s*(?=<li class=\"band-row|</ol>)", RegexOptions.Singleline);
        Assert.NotEmpty(items);
        foreach (Match m in items)
        {
            var item = m.Groups[2].Value;
            Assert.Contains("badge synthetic", item); // nothing imported: every kecamatan baseline is Pantau's
            var score = Num(Regex.Match(item, "<span class=\"band band-\\w+\">([\\d.,]+)</span>").Groups[1].Value);
            var baseline = Num(Regex.Match(item, "class=\"part-baseline\">dasar IKP ([\\d,]+)<").Groups[1].Value);
            var incidents = Num(Regex.Match(item, "class=\"part-incidents\">insiden terverifikasi ([\\d,]+)<").Groups[1].Value);
            var tps = Num(Regex.Match(item, "class=\"part-tps\">variabel TPS rawan ([\\d,]+)<").Groups[1].Value);
            Assert.True(baseline > 0, item);
            Assert.Equal(score, baseline + incidents + tps, 1);
            Assert.Contains("class=\"part-source\">(sintetis (Pantau))", item);
        }

        var en = WebUtility.HtmlDecode(await police.GetStringAsync("/kerawanan/penempatan?region=16.71&lang=en"));
        Assert.Contains("Bands at kecamatan level: high ≥ 49.33", en);
        Assert.Contains("The dimension weights are Pantau's choice; Bawaslu publishes none", en);
        Assert.Contains("Social-political context 0.25", en);
        Assert.Contains("IKP baseline", en);
        Assert.Contains("(synthetic (Pantau))", en);
        foreach (var word in new[] { "sintetis", "Rincian", "Bobot dimensi", "dasar IKP", "insiden terverifikasi" }) Assert.DoesNotContain(word, en);

        // Outside the scope: a readable refusal in the page's language, not both at once.
        var refused = await police.GetAsync("/kerawanan/penempatan?region=16.02");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var refusedHtml = await refused.Content.ReadAsStringAsync();
        Assert.Contains("Wilayah tidak sah atau di luar cakupan Anda.", refusedHtml);
        Assert.DoesNotContain("outside your scope", refusedHtml);

        // The deployment API and its CSV carry the parts too.
        var api = JsonDocument.Parse(await police.GetStringAsync("/api/kerawanan/deployment?region=16.71")).RootElement;
        foreach (var it in api.GetProperty("items").EnumerateArray())
            Assert.Equal(it.GetProperty("score").GetDouble(),
                it.GetProperty("baselinePoints").GetDouble() + it.GetProperty("incidentPoints").GetDouble() + it.GetProperty("tpsPoints").GetDouble(), 1);
        var header = (await police.GetStringAsync("/api/kerawanan/deployment?region=16.71&format=csv")).Split('\n')[0];
        foreach (var col in new[] { "dasar_ikp", "sumber_dasar", "poin_insiden", "poin_tps_rawan", "sintetis" }) Assert.Contains(col, header);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_map_labels_each_region_with_its_parts_and_its_legend_in_the_pages_language(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var anon = app.AnonymousClient();
        var id = JsonDocument.Parse(await anon.GetStringAsync("/api/kerawanan/map?parent=16&level=kabkota")).RootElement;
        var lahat = id.GetProperty("items").GetProperty("16.04");
        var label = lahat.GetProperty("label").GetString()!;
        Assert.Contains("sintetis", label);
        Assert.Contains("dasar IKP", label);
        Assert.Contains("insiden terverifikasi", label);
        Assert.Equal(lahat.GetProperty("value").GetDouble(),
            lahat.GetProperty("baselinePoints").GetDouble() + lahat.GetProperty("incidentPoints").GetDouble() + lahat.GetProperty("tpsPoints").GetDouble(), 1);
        Assert.Equal("Sedang 13,47–49,32", id.GetProperty("legend")[1].GetProperty("label").GetString());

        var en = JsonDocument.Parse(await anon.GetStringAsync("/api/kerawanan/map?parent=16&level=kabkota&lang=en")).RootElement;
        Assert.Equal("High ≥ 49.33", en.GetProperty("legend")[0].GetProperty("label").GetString());
        var enLabel = en.GetProperty("items").GetProperty("16.04").GetProperty("label").GetString()!;
        Assert.Contains("synthetic", enLabel);
        Assert.Contains("IKP baseline", enLabel);
        Assert.DoesNotContain("sintetis", enLabel);
        var kec = JsonDocument.Parse(await anon.GetStringAsync("/api/kerawanan/map?parent=16.71&level=kecamatan&lang=en")).RootElement;
        Assert.Contains("Bawaslu publishes no bands for this level", kec.GetProperty("legend")[0].GetProperty("label").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_dashboard_and_the_situation_report_give_the_regions_score_with_its_parts_Bawaslus_band_and_the_synthetic_count(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (user, password) = await app.CreateUserAsync(Role.DeskProvinsi, "16");
        var desk = await app.CookieClientAsync(user.UserName!, password);

        string Between(string html, string id) => Regex.Match(html, $"id=\"{id}\"[^>]*>(.*?)</p>", RegexOptions.Singleline).Groups[1].Value;
        var page = WebUtility.HtmlDecode(await desk.GetStringAsync("/koordinasi?region=16"));
        var self = Between(page, "kerawanan-self");
        Assert.Contains(">55,32</span>", self);
        Assert.Contains("(sedang, kategori tingkat provinsi)", self); // a province: high ≥ 68.5, so 55.32 is medium, as Bawaslu rates it
        Assert.Contains("kategori terbitan Bawaslu: sedang", self);
        Assert.Contains("dasar IKP 55,32 (Bawaslu IKP Pilkada 2024: Sumatera Selatan 55,32", self);
        Assert.DoesNotContain("badge synthetic", self);
        var note = Between(page, "kerawanan-counts-note");
        Assert.Contains("Kategori tingkat kab/kota: tinggi ≥ 49,33; sedang 13,47–49,32", note);
        Assert.Contains("17 dari 17 wilayah memakai dasar IKP sintetis (Pantau)", note);
        Assert.Contains("Bobot dimensi adalah pilihan Pantau", note);
        var counts = Regex.Matches(page, "data-kpi=\"kerawanan-(?:high|medium|low)\"><b>(\\d+)</b>").Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(3, counts.Count);
        Assert.Equal(17, counts.Sum());

        // Once a Desk imports Bawaslu's table for one kab/kota, the count of synthetic baselines drops by one.
        var api = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var imported = await api.PostAsync("/api/kerawanan/ikp/import?region=16", Csv("kode,skor,kategori\n16.71,45.5,sedang\n"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        page = WebUtility.HtmlDecode(await desk.GetStringAsync("/koordinasi?region=16"));
        Assert.Contains("16 dari 17 wilayah memakai dasar IKP sintetis", Between(page, "kerawanan-counts-note"));
        var en = WebUtility.HtmlDecode(await desk.GetStringAsync("/koordinasi?region=16&lang=en"));
        Assert.Contains("Bawaslu's published band: medium", Between(en, "kerawanan-self"));
        Assert.Contains("(medium, province bands)", Between(en, "kerawanan-self"));
        Assert.Contains("16 of 17 areas rest on a synthetic IKP baseline", Between(en, "kerawanan-counts-note"));
        Assert.Contains("Bands at regency/city level: high ≥ 49.33", Between(en, "kerawanan-counts-note"));
        Assert.DoesNotContain("Rincian", en);

        // The situation report (its HTML, printed to PDF, and its workbook) says the same.
        using var scope = app.Services.CreateScope();
        var data = await scope.ServiceProvider.GetRequiredService<SituationReportService>().CollectAsync("16", CancellationToken.None);
        Assert.NotNull(data);
        var html = WebUtility.HtmlDecode(ReportHtml.Render(data));
        var section = Regex.Match(html, "<section id=\"kerawanan\">(.*?)</section>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("Skor Pantau Sumatera Selatan: <b>55,32</b> (sedang, kategori tingkat provinsi)", section.Replace("SUMATERA SELATAN", "Sumatera Selatan"));
        Assert.Contains("kategori terbitan Bawaslu: sedang", section);
        Assert.Contains("Kategori tingkat kab/kota: tinggi ≥ 49,33", section);
        Assert.Contains("16 dari 17 wilayah memakai dasar IKP sintetis (Pantau)", section);
        Assert.Contains("bobot dimensi adalah pilihan Pantau", section);
        using var ms = new MemoryStream(SituationReportService.ToXlsx(data));
        var summary = MiniExcel.Query(ms, useHeaderRow: true, sheetName: SituationReportService.Xlsx.Summary).Cast<IDictionary<string, object>>()
            .ToDictionary(r => (string)r["Indikator"], r => r["Nilai"]);
        Assert.Equal("sedang", summary["Kategori terbitan Bawaslu"]);
        Assert.Equal(16d, Convert.ToDouble(summary["Wilayah dengan dasar IKP sintetis (Pantau)"], CultureInfo.InvariantCulture));
        Assert.StartsWith("dasar IKP 55,32", (string)summary["Rincian skor"]);
        await using var db = app.NewDbContext();
        Assert.True(await db.IkpValues.AnyAsync(v => v.RegionCode == "16.71"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_incidents_page_and_the_tps_page_show_the_score_with_its_parts(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (user, password) = await app.CreateUserAsync(Role.DeskKabKota, "16.71");
        var desk = await app.CookieClientAsync(user.UserName!, password);
        var incidents = WebUtility.HtmlDecode(await desk.GetStringAsync("/insiden?region=16.71"));
        var parts = Regex.Match(incidents, "id=\"incident-kerawanan-parts\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("class=\"part-baseline\">dasar IKP", parts);
        Assert.Contains("(sintetis (Pantau))", parts);

        string tps;
        await using (var db = app.NewDbContext()) tps = await db.Tps.Where(t => t.KecamatanCode == "16.71.01").OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
        var page = WebUtility.HtmlDecode(await desk.GetStringAsync($"/kerawanan/tps/{tps}"));
        Assert.Contains("class=\"part-tps\">variabel TPS rawan", page);
        Assert.DoesNotContain("part-bawaslu", page); // Bawaslu bands no TPS
        Assert.Contains("id=\"weights-note\"", page);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_import_page_lists_a_bad_files_lines_in_the_pages_language_only(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (user, password) = await app.CreateUserAsync(Role.DeskKabKota, "16.71");
        var desk = await app.CookieClientAsync(user.UserName!, password);
        async Task<string> Post(string lang)
        {
            var token = Regex.Match(await desk.GetStringAsync("/kerawanan/ikp?lang=" + lang), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes("kode,skor,kategori\n16.71.01,abc,\n16.71.02,50,sedang\n16.02,20,\n"));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            var form = new MultipartFormDataContent { { file, "Upload", "tabel.csv" }, { new StringContent(token), "__RequestVerificationToken" } };
            var res = await desk.PostAsync("/kerawanan/ikp?lang=" + lang, form);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, res.StatusCode);
            return Regex.Match(WebUtility.HtmlDecode(await res.Content.ReadAsStringAsync()), "id=\"ikp-errors\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
        }
        var en = await Post("en");
        Assert.Contains("Nothing was saved", en);
        Assert.Contains("tabel.csv:2: 16.71.01: skor 'abc' must be a number 0–100", en);
        Assert.Contains("tabel.csv:3: 16.71.02: skor 50.00 is 'high' at kecamatan level (high ≥ 49.33, medium ≥ 13.47), not 'medium'", en);
        Assert.Contains("tabel.csv:4: 16.02: outside your region scope", en);
        foreach (var word in new[] { "harus", "termasuk", "cakupan", "Tidak ada yang disimpan" }) Assert.DoesNotContain(word, en);
        var id = await Post("id");
        Assert.Contains("tabel.csv:4: 16.02: di luar cakupan wilayah Anda", id);
        Assert.DoesNotContain("outside", id);
        await using var db = app.NewDbContext();
        Assert.Equal(0, await db.IkpValues.CountAsync());
    }
}
