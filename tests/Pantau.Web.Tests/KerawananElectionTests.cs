using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// The IKP edition per election (issue 27.2): a Pemilu election scores with the 4 Pemilu dimensions and a Pilkada election with the Pilkada ones,
/// on the same region, side by side; bands per level stay; Bawaslu's table goes into the chosen election's edition; the file round-trips.
/// </summary>
public class KerawananElectionTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private const string Pilkada = "PILKADA2024-16", Pemilu = "PEMILU2024-T";

    private static string PemiluFile(string? ikp = null) => $$"""
        { "format": "pantau-election/1", "code": "{{Pemilu}}", "name": "Pemilu 2024 (uji)", "kind": "pemilu", "votingDate": "2024-02-14",
          {{(ikp is null ? "" : $"\"ikp\": \"{ikp}\",")}}
          "contests": [ { "code": "PPWP-16-T", "kind": "presiden", "region": "16",
            "paslon": [ { "number": 1, "candidate": "A" }, { "number": 2, "candidate": "B" } ] } ] }
        """;

    private static StringContent JsonBody(string text) => new(text, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{(int)res.StatusCode} {res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static HashSet<string> DimensionKeys(JsonElement scores) => scores.EnumerateArray()
        .SelectMany(s => s.GetProperty("contributions").EnumerateArray().Select(c => c.GetProperty("key").GetString()!))
        .Where(k => k.StartsWith("ikp:", StringComparison.Ordinal)).ToHashSet();

    private static JsonElement Row(JsonElement scores, string code) => scores.EnumerateArray().Single(s => s.GetProperty("code").GetString() == code);

    [Theory, MemberData(nameof(Providers))]
    public async Task A_pemilu_and_a_pilkada_election_score_the_same_region_with_their_own_editions(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "");
        await Json(await admin.PostAsync("/api/elections/import", JsonBody(PemiluFile())), HttpStatusCode.OK);
        var anon = app.AnonymousClient();

        var pilkada = await Json(await anon.GetAsync($"/api/kerawanan?parent=16.71&level=kecamatan&election={Pilkada}"), HttpStatusCode.OK);
        var pemilu = await Json(await anon.GetAsync($"/api/kerawanan?parent=16.71&level=kecamatan&election={Pemilu}"), HttpStatusCode.OK);
        Assert.Equal(new HashSet<string> { "ikp:sosial-politik", "ikp:pencalonan", "ikp:kampanye", "ikp:pemungutan-penghitungan" }, DimensionKeys(pilkada));
        Assert.Equal(new HashSet<string> { "ikp:sosial-politik", "ikp:penyelenggaraan", "ikp:kontestasi", "ikp:partisipasi" }, DimensionKeys(pemilu));
        Assert.All(pilkada.EnumerateArray(), s => Assert.Equal("ikp-pilkada-2024", s.GetProperty("edition").GetString()));
        Assert.All(pemilu.EnumerateArray(), s => Assert.Equal("ikp-pemilu-2024", s.GetProperty("edition").GetString()));
        // Bands per level unchanged in both: kecamatan rows take the kab/kota thresholds.
        foreach (var s in pilkada.EnumerateArray().Concat(pemilu.EnumerateArray()))
        {
            var v = s.GetProperty("score").GetDouble();
            var band = s.GetProperty("band");
            Assert.Equal(v >= 49.33 ? "High" : v >= 13.47 ? "Medium" : "Low", band.ValueKind == JsonValueKind.Number ? ((Pantau.Core.Incidents.KerawananBand)band.GetInt32()).ToString() : band.GetString());
        }
        // The province: Bawaslu's Pilkada 55.32 (medium at province level) belongs to the Pilkada edition only.
        var pilkadaProv = await Json(await anon.GetAsync($"/api/kerawanan?parent=16&level=kabkota&election={Pilkada}"), HttpStatusCode.OK);
        Assert.Contains("Lahat", Row(pilkadaProv, "16.04").GetProperty("publishedFacts")[0].GetString());
        var pemiluProv = await Json(await anon.GetAsync($"/api/kerawanan?parent=16&level=kabkota&election={Pemilu}"), HttpStatusCode.OK);
        Assert.Empty(Row(pemiluProv, "16.04").GetProperty("publishedFacts").EnumerateArray());

        // The pages say which election and which edition they show.
        var page = WebUtility.HtmlDecode(await anon.GetStringAsync($"/kerawanan?parent=16.71&election={Pemilu}"));
        Assert.Contains($"data-election=\"{Pemilu}\" data-ikp=\"ikp-pemilu-2024\"", page);
        Assert.Contains("IKP Pemilu 2024", page);
        Assert.Contains($"election={Pemilu}", page); // map and export URLs keep the election
        var other = WebUtility.HtmlDecode(await anon.GetStringAsync($"/kerawanan?parent=16.71&election={Pilkada}"));
        Assert.Contains($"data-election=\"{Pilkada}\" data-ikp=\"ikp-pilkada-2024\"", other);
        var ikp = WebUtility.HtmlDecode(await anon.GetStringAsync($"/kerawanan/ikp?election={Pemilu}"));
        Assert.Contains("data-ikp=\"ikp-pemilu-2024\"", ikp);
        Assert.Contains("penyelenggaraan", ikp);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/kerawanan?parent=16.71&election=NOPE")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/api/kerawanan?parent=16.71&election=NOPE")).StatusCode);

        var map = await Json(await anon.GetAsync($"/api/kerawanan/map?parent=16.71&level=kecamatan&election={Pemilu}"), HttpStatusCode.OK);
        Assert.Equal("ikp-pemilu-2024", map.GetProperty("edition").GetString());
        var csv = await anon.GetStringAsync($"/api/kerawanan/export?parent=16.71&level=kecamatan&election={Pemilu}");
        Assert.Contains("ikp-pemilu-2024", csv);
        Assert.Contains("ikp:penyelenggaraan", csv);

        // The summary behind the dashboard and the situation report follows the election asked for.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var sum = await Json(await desk.GetAsync($"/api/incidents/summary?region=16&election={Pemilu}"), HttpStatusCode.OK);
        Assert.Equal("ikp-pemilu-2024", sum.GetProperty("kerawanan").GetProperty("edition").GetString());
        var sum2 = await Json(await desk.GetAsync($"/api/incidents/summary?region=16&election={Pilkada}"), HttpStatusCode.OK);
        Assert.Equal("ikp-pilkada-2024", sum2.GetProperty("kerawanan").GetProperty("edition").GetString());
        Assert.Equal(55.32, sum2.GetProperty("kerawanan").GetProperty("score").GetDouble());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bawaslus_table_goes_into_the_chosen_elections_edition(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "");
        await Json(await admin.PostAsync("/api/elections/import", JsonBody(PemiluFile())), HttpStatusCode.OK);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("kode,skor\n16.71.01,30.5\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var res = await Json(await desk.PostAsync($"/api/kerawanan/ikp/import?region=16.71&election={Pemilu}", new MultipartFormDataContent { { file, "file", "ikp.csv" } }),
            HttpStatusCode.OK);
        Assert.Equal("ikp-pemilu-2024", res.GetProperty("edition").GetString());
        Assert.Equal(Pemilu, res.GetProperty("election").GetString());
        await using (var db = app.NewDbContext())
            Assert.Equal("ikp-pemilu-2024", (await db.IkpValues.SingleAsync(v => v.RegionCode == "16.71.01")).Edition);

        var anon = app.AnonymousClient();
        var pemilu = Row(await Json(await anon.GetAsync($"/api/kerawanan?parent=16.71&level=kecamatan&election={Pemilu}"), HttpStatusCode.OK), "16.71.01");
        var pilkada = Row(await Json(await anon.GetAsync($"/api/kerawanan?parent=16.71&level=kecamatan&election={Pilkada}"), HttpStatusCode.OK), "16.71.01");
        Assert.Equal(30.5, pemilu.GetProperty("baselinePoints").GetDouble());
        Assert.False(pemilu.GetProperty("isSynthetic").GetBoolean());
        Assert.True(pilkada.GetProperty("isSynthetic").GetBoolean()); // the Pilkada edition got nothing

        var unknown = await desk.PostAsync("/api/kerawanan/ikp/import?region=16.71&election=NOPE",
            new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("kode,skor\n16.71.01,30.5\n")), "file", "ikp.csv" } });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_edition_round_trips_through_the_election_file(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await app.ClientForAsync(Role.Admin, "");
        var shipped = await Json(await admin.GetAsync($"/api/elections/{Pilkada}"), HttpStatusCode.OK);
        Assert.Equal("ikp-pilkada-2024", shipped.GetProperty("ikp").GetString());

        await Json(await admin.PostAsync("/api/elections/import", JsonBody(PemiluFile())), HttpStatusCode.OK); // no ikp: the Pemilu default
        var export = await admin.GetStringAsync($"/api/elections/{Pemilu}");
        Assert.Equal("ikp-pemilu-2024", JsonDocument.Parse(export).RootElement.GetProperty("ikp").GetString());
        var again = await Json(await admin.PostAsync("/api/elections/import", JsonBody(export)), HttpStatusCode.OK);
        Assert.False(again.GetProperty("created").GetBoolean());
        Assert.Equal(1, again.GetProperty("contestsUnchanged").GetInt32());
        Assert.Equal(export, await admin.GetStringAsync($"/api/elections/{Pemilu}"));

        var bad = await Json(await admin.PostAsync("/api/elections/import", JsonBody(PemiluFile("ikp-pemilu-2029"))), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("ikp", out _));

        // Naming the Pilkada edition on a Pemilu is allowed (Bawaslu's index for it), and the pages follow it.
        await Json(await admin.PostAsync("/api/elections/import", JsonBody(PemiluFile("ikp-pilkada-2024"))), HttpStatusCode.OK);
        await using (var db = app.NewDbContext())
            Assert.Equal("ikp-pilkada-2024", (await db.Elections.SingleAsync(e => e.Code == Pemilu)).IkpEdition);
        var page = WebUtility.HtmlDecode(await app.AnonymousClient().GetStringAsync($"/kerawanan?parent=16.71&election={Pemilu}"));
        Assert.Contains("data-ikp=\"ikp-pilkada-2024\"", page);
    }
}
