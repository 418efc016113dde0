using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Elections;

public class ElectionSetupTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> Problem(HttpResponseMessage r, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var p = await Json(r, expected);
        Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("detail").GetString()));
        return p;
    }

    private static List<string> ErrorFields(JsonElement problem) => problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();

    /// <summary>The known paslon of Muara Enim from shared/data/pilkada2024-sumsel.json (the source lists only no. 2).</summary>
    private static (int Number, string Candidate, string RunningMate) MuaraEnimPaslon()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestDatabase.SharedDataDir, "pilkada2024-sumsel.json")));
        var e = doc.RootElement.GetProperty("kabupaten_kota").EnumerateArray().Single(x => x.GetProperty("code").GetString() == "16.03");
        var p = e.GetProperty("paslon").EnumerateArray().Single();
        return (p.GetProperty("nomor_urut").GetInt32(), p.GetProperty("calon").GetString()!, p.GetProperty("wakil").GetString()!);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Setup_is_for_desks_within_their_scope_checked_before_validation_and_audited(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var bad = new { code = "bad code", name = "", kind = "pilgub", votingDate = "28-11-2029", region = "16.04" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().PostAsJsonAsync("/api/elections", bad)).StatusCode);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16");
        Assert.Equal(HttpStatusCode.Forbidden, (await kpu.PostAsJsonAsync("/api/elections", bad with { })).StatusCode);

        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.03", "desk-muaraenim");
        // Out of scope: refused before the (invalid) fields are looked at; a national election only for a national Admin.
        await Problem(await desk.PostAsJsonAsync("/api/elections", bad), HttpStatusCode.Forbidden);
        await Problem(await desk.PostAsJsonAsync("/api/elections", new { code = "PEMILU2029", name = "Pemilu 2029", kind = "pemilu", votingDate = "2029-02-14" }), HttpStatusCode.Forbidden);
        // In scope, every wrong field is named.
        var invalid = await Problem(await desk.PostAsJsonAsync("/api/elections", new { code = "bad code", name = "", kind = "pilgub", votingDate = "28-11-2029", region = "16.03" }), HttpStatusCode.BadRequest);
        Assert.Equal(["code", "name", "kind", "votingDate"], ErrorFields(invalid));
        var created = await Json(await desk.PostAsJsonAsync("/api/elections",
            new { code = "PSU2025-16.03", name = "PSU Muara Enim 2025", kind = "pilkada", votingDate = "2025-04-19", region = "16.03" }), HttpStatusCode.Created);
        Assert.True(created.GetProperty("created").GetBoolean());
        await Problem(await desk.PostAsJsonAsync("/api/elections", new { code = "PSU2025-16.03", name = "again", kind = "pilkada", votingDate = "2025-04-19", region = "16.03" }), HttpStatusCode.Conflict);

        // A contest: the Desk kab/kota sets up its own race in the province's Pilkada, not the neighbour's.
        var (number, candidate, mate) = MuaraEnimPaslon();
        var body = new { kind = "bupati", region = "16.03", paslon = new[] { new { number, candidate, runningMate = mate } } };
        await Problem(await desk.PutAsJsonAsync("/api/elections/PILKADA2024-16/contests/PILBUP-16.04", body with { region = "16.04" }), HttpStatusCode.Forbidden);
        await Problem(await desk.PutAsJsonAsync("/api/elections/PILKADA2024-16/contests/PILBUP-16.03", body with { region = "16.04" }), HttpStatusCode.Forbidden);
        await Problem(await desk.PutAsJsonAsync("/api/elections/NOPE/contests/PILBUP-16.03", body), HttpStatusCode.NotFound);
        var dup = await Problem(await desk.PutAsJsonAsync("/api/elections/PILKADA2024-16/contests/PILBUP-16.03",
            new { kind = "bupati", region = "16.03", paslon = new[] { new { number, candidate, runningMate = mate }, new { number, candidate = "Lain", runningMate = mate } } }), HttpStatusCode.BadRequest);
        Assert.Equal(["contest.paslon[1].number"], ErrorFields(dup));
        var put = await Json(await desk.PutAsJsonAsync("/api/elections/PILKADA2024-16/contests/PILBUP-16.03", body), HttpStatusCode.OK);
        Assert.Equal(1, put.GetProperty("contestsUpdated").GetInt32());

        // The single real paslon now runs against the kolom kosong; the public contest list shows it at once.
        await using (var db = app.NewDbContext())
        {
            var c = await db.Contests.Include(x => x.Paslon).SingleAsync(x => x.Code == "PILBUP-16.03");
            Assert.Equal([(number, candidate, false), (0, "Kolom kosong", true)], c.Paslon.OrderBy(p => p.IsKolomKosong).Select(p => (p.Number, p.Candidate, p.IsKolomKosong)));
            Assert.False(c.HasSyntheticPaslon);
            var audit = await db.AuditEntries.Where(a => a.UserName == "desk-muaraenim").Select(a => a.EntityType).ToListAsync();
            Assert.Contains("Election", audit);
            Assert.Contains("Contest", audit);
            Assert.Contains("Paslon", audit);
        }
        var contests = await Json(await app.AnonymousClient().GetAsync("/api/tally/contests?election=PILKADA2024-16"), HttpStatusCode.OK);
        var me = contests.EnumerateArray().Single(c => c.GetProperty("code").GetString() == "PILBUP-16.03");
        Assert.Equal("PILKADA2024-16", me.GetProperty("election").GetString());
        Assert.Equal([number, 0], me.GetProperty("paslon").EnumerateArray().Select(p => p.GetProperty("number").GetInt32()));
    }

    /// <summary>The PPWP 2024 paslon as SOURCES.md lists them for the Bengkulu SIREKAP file (column order 01, 02, 03).</summary>
    private static string Pemilu2024Bengkulu() => """
        {
          "format": "pantau-election/1", "code": "PEMILU2024", "name": "Pemilu 2024", "kind": "pemilu", "votingDate": "2024-02-14",
          "source": "KPU, penetapan nomor urut paslon PPWP 2024",
          "contests": [
            { "code": "PPWP-17-2024", "kind": "presiden", "region": "17",
              "paslon": [
                { "number": 1, "candidate": "Anies Rasyid Baswedan", "runningMate": "Muhaimin Iskandar" },
                { "number": 2, "candidate": "Prabowo Subianto", "runningMate": "Gibran Rakabuming Raka" },
                { "number": 3, "candidate": "Ganjar Pranowo", "runningMate": "Mahfud MD" } ] } ]
        }
        """;

    private static StringContent JsonBody(string text) => new(text, Encoding.UTF8, "application/json");

    [Theory, MemberData(nameof(Providers))]
    public async Task An_election_file_is_imported_and_pages_show_the_current_election_by_default(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, new DateTimeOffset(2024, 1, 10, 2, 0, 0, TimeSpan.Zero));
        var provDesk = await app.ClientForAsync(Role.DeskProvinsi, "17");
        await Problem(await provDesk.PostAsync("/api/elections/import", JsonBody(Pemilu2024Bengkulu())), HttpStatusCode.Forbidden); // national: Admin only
        var admin = await app.ClientForAsync(Role.Admin, "");
        var unreadable = await Problem(await admin.PostAsync("/api/elections/import", JsonBody("{ \"code\": \"X\",\n  \"contests\": [ }")), HttpStatusCode.BadRequest);
        Assert.Contains("line 2", unreadable.GetProperty("errors").GetProperty("file")[0].GetString());
        var imported = await Json(await admin.PostAsync("/api/elections/import", JsonBody(Pemilu2024Bengkulu())), HttpStatusCode.OK);
        Assert.Equal((true, 1), (imported.GetProperty("created").GetBoolean(), imported.GetProperty("contestsAdded").GetInt32()));
        // The Desk provinsi adds nothing outside Bengkulu to the national election, but may set up a contest of its own province.
        var pilgub = new { kind = "gubernur", region = "16", paslon = new[] { new { number = 1, candidate = "X" } } };
        await Problem(await provDesk.PutAsJsonAsync("/api/elections/PEMILU2024/contests/PILGUB-16-X", pilgub), HttpStatusCode.Forbidden);
        await Json(await admin.PostAsJsonAsync("/api/elections", new { code = "PILKADA2029-16", name = "Pilkada 2029 Sumatera Selatan", kind = "pilkada", votingDate = "2029-11-28", region = "16" }), HttpStatusCode.Created);

        async Task<string> Current() => (await Json(await app.AnonymousClient().GetAsync("/api/elections/current"), HttpStatusCode.OK)).GetProperty("code").GetString()!;
        async Task<string> ResultsPage(string query = "") => await (await app.AnonymousClient().GetAsync("/hasil" + query)).Content.ReadAsStringAsync();
        Assert.Equal("PEMILU2024", await Current());
        var page = await ResultsPage();
        Assert.Contains("PPWP-17-2024", page);
        Assert.DoesNotContain("PILGUB-16", page);
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 11, 20, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal("PILKADA2024-16", await Current());
        page = await ResultsPage();
        Assert.Contains("data-election-bar=\"PILKADA2024-16\"", page);
        Assert.Contains("PILGUB-16", page);
        Assert.DoesNotContain("PPWP-17-2024", page);
        Assert.Contains("PPWP-17-2024", await ResultsPage("?election=PEMILU2024"));
        Assert.Equal(HttpStatusCode.NotFound, (await app.AnonymousClient().GetAsync("/hasil?election=NOPE")).StatusCode);

        // The dashboard counts down to the coming election of its region; another one may be chosen.
        using (var scope = app.Services.CreateScope())
        {
            var dash = scope.ServiceProvider.GetRequiredService<DashboardService>();
            var d = (await dash.BuildAsync("16", CancellationToken.None))!;
            Assert.Equal(("PILKADA2024-16", 7), (d.ElectionCode, d.DaysToVoting));
            var pemilu = (await dash.BuildAsync("16", CancellationToken.None, "PEMILU2024"))!;
            Assert.Equal(new DateOnly(2024, 2, 14).DayNumber - new DateOnly(2024, 11, 20).DayNumber, pemilu.DaysToVoting);
            Assert.Null(await dash.BuildAsync("16", CancellationToken.None, "NOPE"));
        }
        app.Clock.SetUtcNow(new DateTimeOffset(2024, 12, 1, 2, 0, 0, TimeSpan.Zero));
        Assert.Equal("PILKADA2029-16", await Current());
        var list = await Json(await app.AnonymousClient().GetAsync("/api/elections"), HttpStatusCode.OK);
        Assert.Equal(["PEMILU2024", "PILKADA2024-16", "PILKADA2029-16"], list.EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        // The schedule page follows: the 2029 election's stages come from the Pilkada template placed on its voting day, read-only.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var tahapan = await desk.GetStringAsync("/kesiapan/tahapan");
        Assert.Contains("data-from-template", tahapan);
        Assert.Contains("data-election-bar=\"PILKADA2029-16\"", tahapan);
        Assert.Contains("25 Nov 2029", tahapan); // masa tenang H-3
        Assert.DoesNotContain("name=\"Start\"", tahapan);
        var stored = await desk.GetStringAsync("/kesiapan/tahapan?election=PILKADA2024-16");
        Assert.DoesNotContain("data-from-template", stored);
        Assert.Contains("name=\"Start\"", stored);
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync("/kesiapan/tahapan?election=NOPE")).StatusCode);

        // The export is the file format again.
        var export = await Json(await app.AnonymousClient().GetAsync("/api/elections/PEMILU2024"), HttpStatusCode.OK);
        Assert.Equal("Gibran Rakabuming Raka", export.GetProperty("contests")[0].GetProperty("paslon")[1].GetProperty("runningMate").GetString());
    }
}
