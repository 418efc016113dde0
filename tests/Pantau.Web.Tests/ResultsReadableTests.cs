using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>Issue 24.5: the public results pages read as words and names (paslon names, not reported, markers), with a map feed
/// of the leading paslon and a version history page.</summary>
public class ResultsReadableTests
{
    private const string Gub = "PILGUB-16";
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    /// <summary>The governor paslon as the shared data file lists them (ballot number → "calon – wakil").</summary>
    private static Dictionary<int, string> GovernorPaslon()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestDatabase.SharedDataDir, "pilkada2024-sumsel.json")));
        return doc.RootElement.GetProperty("governor").GetProperty("paslon").EnumerateArray()
            .ToDictionary(p => p.GetProperty("nomor_urut").GetInt32(), p => $"{p.GetProperty("calon").GetString()} – {p.GetProperty("wakil").GetString()}");
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Results_show_paslon_names_not_reported_regions_in_words_and_a_map_of_the_leader(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var paslon = GovernorPaslon();
        var anon = app.AnonymousClient();

        // Nothing reported yet: words, not zeros.
        var empty = await anon.GetStringAsync($"/hasil/{Gub}/16");
        Assert.Contains("id=\"no-result\"", empty);
        Assert.Contains("belum masuk", empty);
        Assert.DoesNotContain("Paslon 1<", empty);
        foreach (var name in paslon.Values) Assert.Contains(name, WebUtility.HtmlDecode(empty));
        Assert.DoesNotContain("id=\"vote-chart\"", empty);

        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            var t = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 60, 150, 30)))).StatusCode);

        var page = await anon.GetStringAsync($"/hasil/{Gub}/16");
        Assert.Contains("id=\"vote-chart\"", page);
        Assert.Contains($"class=\"bar-label\">2. {paslon[2]}</text>", WebUtility.HtmlDecode(page));
        Assert.Contains("id=\"results-map\"", page);
        Assert.Contains($"data-values=\"/api/tally/map/{Gub}/16\"", page);
        // The picker comes after the totals in the page (a phone shows the totals first).
        Assert.True(page.IndexOf("id=\"perolehan\"", StringComparison.Ordinal) < page.IndexOf("id=\"results-region\"", StringComparison.Ordinal));

        var map = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/map/{Gub}/16");
        var items = map.GetProperty("items");
        var palembang = items.GetProperty("16.71");
        Assert.Equal("p1", palembang.GetProperty("band").GetString()); // paslon 2 is the second column
        Assert.Contains(paslon[2], palembang.GetProperty("label").GetString());
        Assert.Contains("62,5%", palembang.GetProperty("label").GetString()); // 150 of 240 valid votes
        Assert.Equal("none", items.GetProperty("16.01").GetProperty("band").GetString());
        Assert.Equal("Belum ada TPS masuk", items.GetProperty("16.01").GetProperty("label").GetString());
        var legend = map.GetProperty("legend").EnumerateArray().Select(l => l.GetProperty("label").GetString()).ToList();
        Assert.Contains("1. " + paslon[1], legend);

        var en = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/map/{Gub}/16?lang=en");
        Assert.StartsWith("Leading: " + paslon[2], en.GetProperty("items").GetProperty("16.71").GetProperty("label").GetString());
        Assert.Equal("No TPS reported yet", en.GetProperty("items").GetProperty("16.01").GetProperty("label").GetString());

        // A desa: its other TPS are "not reported", not 0.
        var desaPage = await anon.GetStringAsync($"/hasil/{Gub}/{desa}");
        Assert.Contains("<td class=\"not-reported\"", desaPage);
    }

    [Fact]
    public async Task Version_history_is_a_page_with_statuses_and_changed_fields_in_the_chosen_language()
    {
        await using var app = await PantauApp.StartAsync();
        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            var t = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        var anon = app.AnonymousClient();
        Assert.Contains("id=\"no-history\"", await anon.GetStringAsync($"/hasil/{Gub}/{tps}/riwayat"));

        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var pps = await app.ClientForAsync(Role.PpsOperator, desa);
        await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 120, 80, 40)));
        await pps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 150, 50, 40)));

        var tpsPage = await anon.GetStringAsync($"/hasil/{Gub}/{tps}");
        Assert.Contains($"href=\"/hasil/{Gub}/{tps}/riwayat\"", tpsPage);
        Assert.DoesNotContain("(JSON)", tpsPage);

        var id = await anon.GetStringAsync($"/hasil/{Gub}/{tps}/riwayat");
        Assert.Contains("id=\"v1\"", id);
        Assert.Contains("id=\"v2\"", id);
        Assert.Contains(">konflik</span>", id);
        Assert.Contains("<td class=\"num changed\">150</td>", id); // paslon 1: 120 → 150
        Assert.Contains("<td class=\"num\">120</td>", id);
        Assert.DoesNotContain("Conflict", id);
        Assert.DoesNotContain(">p1<", id);
        Assert.DoesNotContain("suaraSah", id);

        var en = await anon.GetStringAsync($"/hasil/{Gub}/{tps}/riwayat?lang=en");
        Assert.Contains(">conflict</span>", en);
        Assert.Contains("Version history", en);
        Assert.DoesNotContain("konflik", en);
        Assert.DoesNotContain("Riwayat versi", en);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync($"/hasil/{Gub}/16.71/riwayat")).StatusCode);
    }
}
