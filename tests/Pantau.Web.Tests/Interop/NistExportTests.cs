using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Interop;

/// <summary>The NIST SP 1500-100 export, read back as a results aggregator would: validated against NIST's own JSON schema (vendored).</summary>
public class NistExportTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<NJsonSchema.JsonSchema> SchemaAsync() =>
        await NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(AppContext.BaseDirectory, "Interop", "nist", "NIST_V2_election_results_reporting.json"));

    [Theory, MemberData(nameof(Providers))]
    public async Task Export_validates_against_the_NIST_schema_and_rolls_counts_up_from_TPS_to_the_contest_region(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        string contest, region;
        List<string> tps;
        List<long> dpts;
        List<int> numbers;
        await using (var db = app.NewDbContext())
        {
            // The smallest regency race keeps the document small; every TPS of it is in the tree.
            var races = await db.Contests.AsNoTracking().Where(c => c.Kind != Pantau.Data.Elections.ContestKind.Gubernur).Select(c => new { c.Code, c.RegionCode }).ToListAsync();
            var sizes = new Dictionary<string, int>();
            foreach (var r in races) sizes[r.Code] = await db.Tps.CountAsync(t => t.DesaCode.StartsWith(r.RegionCode + "."));
            var pick = races.OrderBy(r => sizes[r.Code]).First();
            (contest, region) = (pick.Code, pick.RegionCode);
            // Two TPS whose DPT holds the sheets' voters; each sheet carries its TPS's own DPT, so it is counted (not flagged as a DPT mismatch).
            var picked = await db.Tps.Where(t => t.DesaCode.StartsWith(region + ".") && t.Dpt >= 250).OrderBy(t => t.Code).Select(t => new { t.Code, t.Dpt }).Take(2).ToListAsync();
            tps = picked.Select(t => t.Code).ToList();
            dpts = picked.Select(t => (long)t.Dpt).ToList();
            // Every ballot column of the race gets a count (a missing column flags the sheet); paslon 1 and 2 carry the checked figures.
            numbers = await db.Paslon.Where(p => p.ContestId == db.Contests.Single(x => x.Code == contest).Id).Select(p => p.Number).OrderBy(n => n).ToListAsync();
        }
        var anon = app.AnonymousClient();
        var schema = await SchemaAsync();

        var empty = await anon.GetAsync($"/api/results/{contest}/nist-1500-100.json");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var emptyText = await empty.Content.ReadAsStringAsync();
        Assert.Empty(schema.Validate(emptyText));
        Assert.Equal("unofficial-partial", JsonDocument.Parse(emptyText).RootElement.GetProperty("Status").GetString());

        var kpu = await app.ClientForAsync(Role.KpuOperator, region);
        var sent0 = await kpu.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(contest, tps[0], numbers.ToDictionary(n => n, n => n switch { 1 => 120L, 2 => 80L, _ => 4L }), dpt: dpts[0])));
        Assert.True(sent0.StatusCode == HttpStatusCode.Created, await sent0.Content.ReadAsStringAsync());
        var sent1 = await kpu.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(contest, tps[1], numbers.ToDictionary(n => n, n => n switch { 1 => 30L, 2 => 70L, _ => 4L }), dpt: dpts[1])));
        Assert.True(sent1.StatusCode == HttpStatusCode.Created, await sent1.Content.ReadAsStringAsync());

        var res = await anon.GetAsync($"/api/results/{contest}/nist-1500-100.json");
        var text = await res.Content.ReadAsStringAsync();
        var errors = schema.Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        var report = JsonDocument.Parse(text).RootElement;
        Assert.Equal("ElectionResults.ElectionReport", report.GetProperty("@type").GetString());
        Assert.Equal("unofficial-partial", report.GetProperty("Status").GetString());
        var seq = long.Parse(report.GetProperty("ExternalIdentifier")[0].GetProperty("Value").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(seq >= 2, $"publication sequence {seq}");
        Assert.True(seq > long.Parse(JsonDocument.Parse(emptyText).RootElement.GetProperty("ExternalIdentifier")[0].GetProperty("Value").GetString()!, System.Globalization.CultureInfo.InvariantCulture));

        var units = report.GetProperty("GpUnit").EnumerateArray().ToDictionary(u => u.GetProperty("@id").GetString()!);
        Assert.Equal("precinct", units["gp-" + tps[0]].GetProperty("Type").GetString());
        Assert.Contains(units["gp-" + region].GetProperty("ExternalIdentifier").EnumerateArray(), x => x.GetProperty("Value").GetString() == region);
        var desa = await DesaOf(app, tps[0]);
        Assert.Contains("gp-" + tps[0], units["gp-" + desa].GetProperty("ComposingGpUnitIds").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(await TpsCount(app, region), units.Values.Count(u => u.GetProperty("Type").GetString() == "precinct"));

        var c = report.GetProperty("Election")[0].GetProperty("Contest")[0];
        Assert.Equal("gp-" + region, c.GetProperty("ElectionDistrictId").GetString());
        Assert.Equal(2, c.GetProperty("SubUnitsReported").GetInt32());
        var first = c.GetProperty("ContestSelection")[0].GetProperty("VoteCounts").EnumerateArray().ToDictionary(v => v.GetProperty("GpUnitId").GetString()!, v => v.GetProperty("Count").GetInt64());
        var second = c.GetProperty("ContestSelection")[1].GetProperty("VoteCounts").EnumerateArray().ToDictionary(v => v.GetProperty("GpUnitId").GetString()!, v => v.GetProperty("Count").GetInt64());
        Assert.Equal(120, first["gp-" + tps[0]]);
        Assert.Equal(30, first["gp-" + tps[1]]);
        Assert.Equal(150, first["gp-" + region]);   // rolled up to the kab/kota
        Assert.Equal(150, second["gp-" + region]);
        Assert.False(first.ContainsKey("gp-" + (await TpsCodes(app, region)).Last()) && (await TpsCount(app, region)) > 2, "a TPS without a sheet has no count");
    }

    [Fact]
    public async Task Unknown_contest_is_a_404_problem()
    {
        await using var app = await PantauApp.StartAsync();
        var res = await app.AnonymousClient().GetAsync("/api/results/PILBUP-99.99/nist-1500-100.json");
        Assert.Equal(HttpStatusCode.NotFound, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<string> DesaOf(PantauApp app, string tps) { await using var db = app.NewDbContext(); return await db.Tps.Where(t => t.Code == tps).Select(t => t.DesaCode).FirstAsync(); }
    private static async Task<int> TpsCount(PantauApp app, string region) { await using var db = app.NewDbContext(); return await db.Tps.CountAsync(t => t.DesaCode.StartsWith(region + ".")); }
    private static async Task<List<string>> TpsCodes(PantauApp app, string region) { await using var db = app.NewDbContext(); return await db.Tps.Where(t => t.DesaCode.StartsWith(region + ".")).OrderBy(t => t.Code).Select(t => t.Code).ToListAsync(); }
}
