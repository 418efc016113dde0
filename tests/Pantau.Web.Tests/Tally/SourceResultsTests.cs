using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>Issue 21 points 6 and 3 through the API: scope before validation, file:line errors with nothing written, partial sheets
/// never counted, comparison with the official count and with another source, the TPS list.</summary>
public class SourceResultsTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";
    // A KawalPemilu-style sheet: votes and valid votes only.
    private static readonly string Mapping = Uri.EscapeDataString("""{"tps":"kode","p1":"a","p2":"b","p3":"c","suaraSah":"sah"}""");

    private static async Task<List<string>> TpsIn(PantauApp app, string prefix, int take)
    {
        await using var db = app.NewDbContext();
        return await db.Tps.Where(t => t.DesaCode.StartsWith(prefix)).OrderBy(t => t.Code).Take(take).Select(t => t.Code).ToListAsync();
    }

    private static Task<HttpResponseMessage> Upload(HttpClient c, string source, string csv, string? mapping = null) =>
        c.PostAsync($"/api/tally/sources/{source}/import?contest={Gub}&mapping={mapping ?? Mapping}", new StringContent(csv, Encoding.UTF8, "text/csv"));

    [Theory, MemberData(nameof(Providers))]
    public async Task A_source_is_imported_as_partial_sheets_compared_with_the_official_count_and_never_counted(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var tps = await TpsIn(app, "16.71.01", 3);
        var outside = (await TpsIn(app, "16.01", 1))[0];
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");

        // Scope first: a TPS outside Palembang refuses the file even though another row is also malformed.
        var res = await Upload(desk, "KAWAL", $"kode,a,b,c,sah\n{tps[0]},1,2,3,6\n{outside},1,2,3,6\n{tps[1]},x,2,3,6\n");
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        // A bad value: 400 naming file and line, nothing written.
        res = await Upload(desk, "KAWAL", $"kode,a,b,c,sah\n{tps[0]},1,2,3,6\n{tps[1]},x,2,3,6\n");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var problem = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("upload.csv:3: p1", problem.GetProperty("errors")[0].GetString());
        await using (var db = app.NewDbContext()) Assert.Equal(0, await db.SourceSheets.CountAsync());
        // An unknown column of the mapping.
        res = await Upload(desk, "KAWAL", "kode,a,b,c\n");
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        Assert.Contains("sah", await res.Content.ReadAsStringAsync());

        // The official count at TPS 0 (KPPS), then two sources.
        var kpps = await app.ClientForAsync(Role.KppsOperator, tps[0]);
        var official = TallySheets.Valid(Gub, tps[0], 120, 80, 40);
        Assert.Equal(HttpStatusCode.Created, (await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(official))).StatusCode);
        res = await Upload(desk, "KAWAL", $"kode,a,b,c,sah\n{tps[0]},125,80,40,245\n{tps[1]},10,20,30,61\n{tps[2]},,,,\n");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((3, 1, 1, 1), (body.GetProperty("rows").GetInt32(), body.GetProperty("accepted").GetInt32(), body.GetProperty("flagged").GetInt32(), body.GetProperty("noData").GetInt32()));
        res = await Upload(desk, "OTHER", $"kode,a,b,c,sah\n{tps[0]},120,80,40,\n{tps[1]},10,20,30,60\n");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);

        await using (var db = app.NewDbContext())
        {
            var kawal = await db.SourceSheets.AsNoTracking().Where(s => s.Source == "KAWAL").OrderBy(s => s.TpsCode).ToListAsync();
            Assert.Equal(2, kawal.Count);
            var partial = CHasilSheet.ParseCanonical(kawal[0].Payload);
            Assert.True(partial.IsPartial);
            Assert.False(partial.Has("dpt")); // absent, not zero
            Assert.Equal(RuleCodes.SumPaslonNeSah, kawal[1].ValidationCodes); // 10 + 20 + 30 != 61
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == nameof(SourceSheet)).ToListAsync();
            Assert.Equal(2, audit.Count);
            Assert.All(audit, a => Assert.Equal("Import", a.Action));
        }
        // Never counted: the official recap still holds only the KPPS sheet.
        var recap = await app.AnonymousClient().GetFromJsonAsync<JsonElement>($"/api/tally/recap/{Gub}/16.71");
        Assert.Equal(1, recap.GetProperty("region").GetProperty("tpsIn").GetInt64());

        // Source against the official count: p1 differs by +5 and suaraSah by +5 at TPS 0; summed per kecamatan.
        var cmp = await desk.GetFromJsonAsync<JsonElement>($"/api/tally/sources/compare?contest={Gub}&source=KAWAL&against=official&region=16.71");
        Assert.Equal(1, cmp.GetProperty("tpsBoth").GetInt32());
        Assert.Equal(1, cmp.GetProperty("onlySource").GetInt32());
        var diff = Assert.Single(cmp.GetProperty("tps").EnumerateArray());
        Assert.Equal(tps[0], diff.GetProperty("tps").GetString());
        Assert.Equal(["p1", "suaraSah"], diff.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));
        var region = Assert.Single(cmp.GetProperty("regions").EnumerateArray());
        Assert.Equal("16.71.01", region.GetProperty("region").GetString());
        Assert.Equal(5, region.GetProperty("sum").GetProperty("p1").GetInt64());
        // Source against source: the field OTHER lacks (suaraSah at TPS 0) is not a difference.
        cmp = await desk.GetFromJsonAsync<JsonElement>($"/api/tally/sources/compare?contest={Gub}&source=KAWAL&against=OTHER&region=16.71.01");
        Assert.Equal(2, cmp.GetProperty("tpsBoth").GetInt32());
        var fields = cmp.GetProperty("tps").EnumerateArray().ToDictionary(t => t.GetProperty("tps").GetString()!,
            t => t.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()).ToList());
        Assert.Equal(["p1"], fields[tps[0]]);
        Assert.Equal(["suaraSah"], fields[tps[1]]);
        // The conflict view: a flagged official sheet at TPS 1 shows the other sources' sheets of that TPS beside it.
        var kpps1 = await app.ClientForAsync(Role.KppsOperator, tps[1]);
        var flagged = TallySheets.Valid(Gub, tps[1], 10, 20, 30) with { SuaraSah = 59 };
        Assert.Equal(HttpStatusCode.Accepted, (await kpps1.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(flagged))).StatusCode);
        var queue = await desk.GetFromJsonAsync<JsonElement>($"/api/tally/queue?contest={Gub}");
        var item = queue.EnumerateArray().Single(q => q.GetProperty("tps").GetString() == tps[1]);
        var beside = item.GetProperty("sources").EnumerateArray().ToDictionary(x => x.GetProperty("source").GetString()!,
            x => x.GetProperty("diff").EnumerateArray().Select(d => (d.GetProperty("field").GetString(), d.GetProperty("left").GetInt64(), d.GetProperty("right").GetInt64())).ToList());
        Assert.Equal([("suaraSah", 59L, 61L)], beside["KAWAL"]);
        Assert.Equal([("suaraSah", 59L, 60L)], beside["OTHER"]);
        Assert.Contains("data-source=\"KAWAL\"", await (await desk.GetAsync("/hasil/antrean")).Content.ReadAsStringAsync());

        // The page: the source beside the official count, per region and per TPS.
        var page = await desk.GetAsync($"/hasil/sumber?contest={Gub}&source=KAWAL&against=official&region=16.71");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("id=\"compare-tps\"", html);
        Assert.Contains($"<td>{tps[0]}</td>", html);
        Assert.Contains("<td>16.71.01</td>", html);
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.GetAsync("/hasil/sumber")).StatusCode);
        // Reads are scoped too.
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync($"/api/tally/sources/compare?contest={Gub}&source=KAWAL&region=16.01")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().PostAsync($"/api/tally/sources/KAWAL/import?contest={Gub}&mapping={Mapping}", new StringContent("kode\n"))).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_official_TPS_list_replaces_synthesized_TPS_and_a_bad_row_writes_nothing(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        await using var db0 = app.NewDbContext();
        var before = await db0.Tps.AsNoTracking().Where(t => t.DesaCode == "16.71.01.1001").CountAsync();
        Assert.True(before > 0);
        async Task<HttpResponseMessage> Post(string csv) => await desk.PostAsync("/api/tally/tps-list?region=16.71", new StringContent(csv, Encoding.UTF8, "text/csv"));

        var bad = "kode_desa,no_tps,dpt_l,dpt_p,dpt\n1671011001,1,100,100,200\n1671011001,1,100,100,200\n1671011001,2,100,90,200\n1671011001,3,-1,0,-1\n1671999999,1,1,1,2\n";
        var res = await Post(bad);
        Assert.Equal(HttpStatusCode.BadRequest, res.StatusCode);
        var errors = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(errors, e => e.StartsWith("upload.csv:3: TPS 1671011001001 ganda", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("upload.csv:4: DPT laki-laki + perempuan (190)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("upload.csv:5: DPT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("upload.csv:6: desa 16.71.99.9999 tidak dikenal", StringComparison.Ordinal));
        await using (var db = app.NewDbContext()) Assert.Equal(before, await db.Tps.CountAsync(t => t.DesaCode == "16.71.01.1001"));
        Assert.Equal(HttpStatusCode.Forbidden, (await Post("kode_tps,dpt_l,dpt_p,dpt\n1601011001001,1,1,2\n")).StatusCode);

        res = await Post("kode_tps,dpt_l,dpt_p,dpt\n1671011001001,150,151,301\n1671011001002,,,\n");
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        await using (var db = app.NewDbContext())
        {
            var list = await db.Tps.AsNoTracking().Where(t => t.DesaCode == "16.71.01.1001").OrderBy(t => t.Code).ToListAsync();
            Assert.Equal(["1671011001001", "1671011001002"], list.Select(t => t.Code));
            Assert.Equal((301, 150, false), (list[0].Dpt, list[0].DptMale, list[0].IsSynthetic));
            Assert.True(list[1].IsSynthetic); // no DPT in the file: synthesized and marked
            Assert.Equal(301, list[1].Dpt); // the mean of its kecamatan's listed TPS
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "TpsList"));
        }
    }
}
