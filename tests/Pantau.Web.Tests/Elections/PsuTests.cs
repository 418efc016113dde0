using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Elections;

public class PsuTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Contest = "PILWALKOT-16.71";

    private static async Task<JsonElement> Json(HttpResponseMessage r, HttpStatusCode expected)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == expected, $"expected {expected}, got {(int)r.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static StringContent JsonBody(string text) => new(text, Encoding.UTF8, "application/json");

    private static string PsuFile(params string[] tps) => $$"""
        { "format": "pantau-election/1", "code": "PSU2025-16.71", "name": "PSU Walikota Palembang 2025", "kind": "psu",
          "votingDate": "2025-02-22", "region": "16.71", "reVotes": "PILKADA2024-16",
          "contests": [ { "code": "{{Contest}}", "tps": [ {{string.Join(", ", tps.Select(t => $"\"{t}\""))}} ] } ] }
        """;

    [Theory, MemberData(nameof(Providers))]
    public async Task A_psu_sheet_replaces_the_counted_result_from_its_day_on_and_the_recap_marks_the_tps(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, new DateTimeOffset(2024, 11, 27, 8, 0, 0, TimeSpan.Zero));
        List<string> tps;
        string outside;
        await using (var db = app.NewDbContext())
        {
            tps = await db.Tps.Where(t => t.KabKotaCode == "16.71").OrderBy(t => t.Code).Select(t => t.Code).Take(2).ToListAsync();
            outside = await db.Tps.Where(t => t.KabKotaCode == "16.01").OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
        }
        var (a, b) = (tps[0], tps[1]);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");
        await Json(await kpu.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Contest, a, 100, 80, 40))), HttpStatusCode.Created);
        await Json(await kpu.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Contest, b, 50, 60, 70))), HttpStatusCode.Created);

        // The PSU lists TPS of the contest's region only.
        var admin = await app.ClientForAsync(Role.Admin, "");
        var bad = await Json(await admin.PostAsync("/api/elections/import", JsonBody(PsuFile(a, outside))), HttpStatusCode.BadRequest);
        Assert.Equal(["contests[0].tps[1]"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        await Json(await desk.PostAsync("/api/elections/import", JsonBody(PsuFile(a))), HttpStatusCode.OK);
        var exported = await Json(await app.AnonymousClient().GetAsync("/api/elections/PSU2025-16.71"), HttpStatusCode.OK);
        Assert.Equal([a], exported.GetProperty("contests")[0].GetProperty("tps").EnumerateArray().Select(t => t.GetString()));

        var psu = TallySheets.ToJson(TallySheets.Valid(Contest, a, 10, 20, 30));
        Assert.Empty((await Json(await app.AnonymousClient().GetAsync($"/api/elections/revoted/{Contest}"), HttpStatusCode.OK)).EnumerateArray());
        await Json(await kpu.PostAsJsonAsync("/api/elections/PSU2025-16.71/sheets", psu), HttpStatusCode.Conflict); // before its day
        app.Clock.SetUtcNow(new DateTimeOffset(2025, 2, 22, 6, 0, 0, TimeSpan.Zero));
        var other = await app.ClientForAsync(Role.KpuOperator, "16.72");
        await Json(await other.PostAsJsonAsync("/api/elections/PSU2025-16.71/sheets", psu), HttpStatusCode.Forbidden);
        await Json(await kpu.PostAsJsonAsync("/api/elections/PSU2025-16.71/sheets", TallySheets.ToJson(TallySheets.Valid(Contest, b, 1, 2, 3))), HttpStatusCode.BadRequest);
        await Json(await kpu.PostAsJsonAsync("/api/elections/PILKADA2024-16/sheets", psu), HttpStatusCode.BadRequest); // not a PSU
        var response = await kpu.PostAsJsonAsync("/api/elections/PSU2025-16.71/sheets", psu);
        var outcome = await Json(response, response.StatusCode == HttpStatusCode.Created ? HttpStatusCode.Created : HttpStatusCode.OK);
        Assert.Equal(("accepted", 2), (outcome.GetProperty("outcome").GetString(), outcome.GetProperty("versionNo").GetInt32()));

        // The recap counts the re-vote at A and the original count at B.
        var recap = await Json(await app.AnonymousClient().GetAsync($"/api/tally/recap/{Contest}/16.71"), HttpStatusCode.OK);
        var region = recap.GetProperty("region");
        Assert.Equal(2, region.GetProperty("tpsIn").GetInt64());
        Assert.Equal(10 + 20 + 30 + 50 + 60 + 70, region.GetProperty("suaraSah").GetInt64());
        Assert.Equal(10 + 50, region.GetProperty("votes").GetProperty("1").GetInt64());
        // The original stays in the history (superseded) and the PSU version says why it replaced it.
        var history = await Json(await app.AnonymousClient().GetAsync($"/api/tally/tps/{a}/{Contest}/history"), HttpStatusCode.OK);
        var versions = history.GetProperty("versions").EnumerateArray().OrderBy(v => v.GetProperty("versionNo").GetInt32()).ToList();
        Assert.Equal(["Superseded", "Accepted"], versions.Select(v => v.GetProperty("status").GetString()));
        Assert.StartsWith("PSU PSU2025-16.71 (2025-02-22)", versions[1].GetProperty("reason").GetString());
        Assert.Equal(2, history.GetProperty("countedVersionNo").GetInt32());
        // Marked as re-voted: the API and the results page.
        var revoted = await Json(await app.AnonymousClient().GetAsync($"/api/elections/revoted/{Contest}"), HttpStatusCode.OK);
        Assert.Equal([a], revoted.EnumerateArray().Select(r => r.GetProperty("tpsCode").GetString()));
        Assert.Contains("data-psu-total=\"1\"", await app.AnonymousClient().GetStringAsync($"/hasil/{Contest}/16.71"));
        Assert.DoesNotContain("data-psu-total", await app.AnonymousClient().GetStringAsync($"/hasil/{Contest}/{b}"));
    }
}
