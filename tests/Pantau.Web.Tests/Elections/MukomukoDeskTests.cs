using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Elections;

/// <summary>
/// Issue 21, "done when": a kab/kota Desk outside Sumatera Selatan (Pemkab Mukomuko, Bengkulu, 17.06) runs its own election from the
/// pages alone, after the Admin's documented master-data import of Bengkulu. It sets up the election and its bupati race, loads its
/// TPS list with DPT, takes a C.Hasil from a KPPS on the entry form, imports another source's numbers and sees them compared with the
/// official count, sets up a PSU whose re-voting TPS enters its sheet on the same form, and sees the election's own calendar.
///
/// Real data: the regions (Kemendagri) and Mukomuko's TPS with their DPT (the 585 Mukomuko rows of SIREKAP's Pilpres 2024 file,
/// <c>results/pilpres2024_bengkulu_tps.csv</c>, with its DPT entry errors kept). Synthesized, and marked so: the 2029 election, its
/// voting day and its paslon (no such race exists yet), and the other source's rows (made from the official sheet with one change).
/// </summary>
public partial class MukomukoDeskTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private const string Region = "17.06";
    private const string Election = "PILKADA2029-17.06";
    private const string Contest = "PILBUP-17.06-2029";
    private const string Psu = "PSU2030-17.06";
    private static readonly DateOnly VotingDay = new(2029, 11, 28); // synthetic: a planning date
    private static readonly DateOnly PsuDay = new(2030, 1, 12);     // synthetic

    private static string SirekapFile => Path.Combine(TestDatabase.SharedDataDir, "results", "pilpres2024_bengkulu_tps.csv");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var page = await client.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"GET {path}: {(int)page.StatusCode} {html[..Math.Min(html.Length, 400)]}");
        return TokenRegex().Match(html).Groups[1].Value;
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostFormAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TokenAsync(client, page);
        var res = await client.PostAsync($"{page}{(page.Contains('?') ? '&' : '?')}handler={handler}", new FormUrlEncodedContent(fields));
        return (res.StatusCode, await res.Content.ReadAsStringAsync());
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostFileAsync(HttpClient client, string page, string handler, Dictionary<string, string> fields,
        string fileName, string content)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(await TokenAsync(client, page)), "__RequestVerificationToken");
        foreach (var (k, v) in fields) form.Add(new StringContent(v), k);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(content));
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(fileName.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv");
        form.Add(file, "file", fileName);
        var res = await client.PostAsync($"{page}{(page.Contains('?') ? '&' : '?')}handler={handler}", form);
        return (res.StatusCode, await res.Content.ReadAsStringAsync());
    }

    private static async Task<int> RunVerbAsync(TestDatabase db, params string[] args)
    {
        var builder = WebApplication.CreateBuilder([$"--Database:Provider={db.Provider}", $"--ConnectionStrings:Pantau={db.ConnectionString}", "--Pantau:RunJobs=false"]);
        builder.AddPantau();
        await using var app = builder.Build();
        Assert.True(Commands.TryGet(args, out var command));
        return await command(app);
    }

    /// <summary>The Mukomuko rows of the SIREKAP file, as the header line plus the rows (line numbers of the subset: header = 1).</summary>
    private static (string Csv, List<Dictionary<string, string>> Rows) MukomukoRows()
    {
        var lines = File.ReadAllLines(SirekapFile);
        var header = lines[0].Split(',');
        var mine = lines.Skip(1).Where(l => l.StartsWith("1706", StringComparison.Ordinal)).ToList();
        var rows = mine.Select(l => l.Split(',')).Select(c => header.Select((h, i) => (h, v: c[i])).ToDictionary(x => x.h, x => x.v)).ToList();
        return (string.Join('\n', [lines[0], .. mine]) + "\n", rows);
    }

    private static long? L(Dictionary<string, string> row, string column) =>
        long.TryParse(row[column], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static bool DptConsistent(Dictionary<string, string> r) => L(r, "dpt") is { } t && L(r, "dpt_l") + L(r, "dpt_p") == t;

    private static Dictionary<string, string> SheetForm(CHasilSheet s)
    {
        var d = new Dictionary<string, string> { ["contest"] = s.Contest, ["tps"] = s.Tps, ["idempotencyKey"] = Guid.NewGuid().ToString("N") };
        foreach (var (n, v) in s.Votes) d[SheetFields.VoteField(n)] = v.ToString(CultureInfo.InvariantCulture);
        foreach (var f in SheetFields.Numeric) d[f.Name] = f.Value(s)?.ToString(CultureInfo.InvariantCulture) ?? "";
        return d;
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_Mukomuko_desk_runs_its_own_election_from_the_pages(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, new DateTimeOffset(2029, 6, 1, 2, 0, 0, TimeSpan.Zero));
        // The Admin's documented master-data import of Bengkulu (README, `import --provinces 17`).
        Assert.Equal(0, await RunVerbAsync(app.Database, "import", "--provinces", "17", "--data", TestDatabase.SharedDataDir));
        var (deskUser, password) = await app.CreateUserAsync(Role.DeskKabKota, Region, "desk-mukomuko");
        var desk = await app.CookieClientAsync(deskUser.UserName!, password);
        // A session does not outlive the months the clock jumps below: sign in again after each jump.

        // 1. The election and its bupati race, on the setup page.
        var (status, html) = await PostFormAsync(desk, "/admin/pemilihan", "Create", new()
        {
            ["code"] = Election, ["name"] = "Pilkada 2029 Kabupaten Mukomuko (uji)", ["kind"] = "pilkada",
            ["votingDate"] = VotingDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["region"] = Region, ["reVotes"] = "",
        });
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.Contains($"Pemilihan {Election} dibuat.", html);
        // Another kab/kota's race is refused: the scope is Mukomuko's.
        (status, _) = await PostFormAsync(desk, $"/admin/pemilihan?election={Election}", "Contest", new()
        {
            ["code"] = "PILBUP-17.01-2029", ["kind"] = "bupati", ["region"] = "17.01", ["name"] = "", ["paslon"] = "1 | A | B",
        });
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, html) = await PostFormAsync(desk, $"/admin/pemilihan?election={Election}", "Contest", new()
        {
            ["code"] = Contest, ["kind"] = "bupati", ["region"] = Region, ["name"] = "",
            ["paslon"] = "1 | Calon Satu (sintetis) | Wakil Satu (sintetis)\n2 | Calon Dua (sintetis) | Wakil Dua (sintetis)",
        });
        Assert.True(status == HttpStatusCode.OK, html);
        await using (var db = app.NewDbContext())
        {
            var c = await db.Contests.AsNoTracking().Include(x => x.Paslon).SingleAsync(x => x.Code == Contest);
            Assert.Equal(Region, c.RegionCode);
            Assert.Equal([1, 2], c.Paslon.Select(p => p.Number).Order());
        }

        // 2. The TPS list with DPT on the import page. SIREKAP's copy of the DPT has entry errors: refused as a whole, each listed
        // as file:line, nothing written; with leave to synthesize those DPT, loaded.
        var (csv, rows) = MukomukoRows();
        var bad = rows.Select((r, i) => (r, Line: i + 2)).Where(x => L(x.r, "dpt") is not null && !DptConsistent(x.r)).ToList();
        Assert.NotEmpty(bad); // the real file has them (7 in Mukomuko)
        int TpsBefore() { using var db = app.NewDbContext(); return db.Tps.Count(t => t.KabKotaCode == Region); }
        var before = TpsBefore();
        (status, html) = await PostFileAsync(desk, "/hasil/impor", "Tps", new() { ["region"] = "17.01" }, "mukomuko-tps.csv", csv);
        Assert.Equal(HttpStatusCode.Forbidden, status); // scope before the file is read
        (status, html) = await PostFileAsync(desk, "/hasil/impor", "Tps", new() { ["region"] = Region }, "mukomuko-tps.csv", csv);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        foreach (var (_, line) in bad) Assert.Contains($"<code>mukomuko-tps.csv:{line}: ", html);
        Assert.DoesNotContain(" / ", Regex.Match(html, "<ul id=\"import-problems\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value); // one language
        Assert.Equal(before, TpsBefore());
        (status, html) = await PostFileAsync(desk, "/hasil/impor", "Tps", new() { ["region"] = Region, ["synthesizeDptErrors"] = "true" }, "mukomuko-tps.csv", csv);
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.Contains("id=\"import-done\"", html);
        await using (var db = app.NewDbContext())
        {
            var tps = await db.Tps.AsNoTracking().Where(t => t.KabKotaCode == Region).ToDictionaryAsync(t => t.Code);
            Assert.Equal(rows.Select(r => r["kode_tps"]).Order(), tps.Keys.Order());
            foreach (var r in rows.Where(DptConsistent)) Assert.Equal(((int)L(r, "dpt")!.Value, false), (tps[r["kode_tps"]].Dpt, tps[r["kode_tps"]].IsSynthetic));
            Assert.Equal(rows.Count(r => !DptConsistent(r)), tps.Values.Count(t => t.IsSynthetic));
        }

        // 3. Voting day: the KPPS of a TPS sends its C.Hasil on the entry form.
        app.Clock.SetUtcNow(new DateTimeOffset(VotingDay.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        desk = await app.CookieClientAsync(deskUser.UserName!, password);
        var row = rows.First(r => DptConsistent(r) && L(r, "dpt") >= 250);
        var tpsCode = row["kode_tps"];
        var (kppsUser, kppsPassword) = await app.CreateUserAsync(Role.KppsOperator, tpsCode, "kpps-mukomuko");
        var kpps = await app.CookieClientAsync(kppsUser.UserName!, kppsPassword);
        var sheet = TallySheets.Valid(Contest, tpsCode, new Dictionary<int, long> { [1] = 120, [2] = 90 }, dpt: L(row, "dpt")!.Value);
        var form = $"/hasil/input?tps={tpsCode}&contest={Contest}";
        var formHtml = await kpps.GetStringAsync(form);
        Assert.Contains("data-api=\"/api/tally/sheets\"", formHtml);
        Assert.DoesNotContain("id=\"psu-note\"", formHtml);
        var fields = SheetForm(sheet);
        fields["__RequestVerificationToken"] = TokenRegex().Match(formHtml).Groups[1].Value;
        var sent = await (await kpps.PostAsync("/hasil/input", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"accepted\"", sent);
        var recap = await app.AnonymousClient().GetFromJsonAsync<JsonElement>($"/api/tally/recap/{Contest}/{Region}");
        Assert.Equal((1L, 120L), (recap.GetProperty("region").GetProperty("tpsIn").GetInt64(), recap.GetProperty("region").GetProperty("votes").GetProperty("1").GetInt64()));

        // 4. Another source's numbers (synthetic rows, a KawalPemilu-style volunteer tally): the KPPS's TPS with paslon 1 read as 102,
        // and a second TPS the official count does not have yet. A file with an unknown TPS is refused first, nothing written.
        var other = rows.First(r => r["kode_tps"] != tpsCode)["kode_tps"];
        var mapping = """{"tps":"kode_tps","p1":"paslon_1","p2":"paslon_2","suaraSah":"sah"}""";
        const string source = "KAWAL-UJI";
        (status, html) = await PostFileAsync(desk, "/hasil/impor", "Results", new() { ["contest"] = Contest, ["source"] = source, ["mapping"] = mapping },
            "kawal.csv", $"kode_tps,paslon_1,paslon_2,sah\n{tpsCode},102,90,192\n1706999999001,1,1,2\n");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("<code>kawal.csv:3: ", html);
        await using (var db = app.NewDbContext()) Assert.False(await db.SourceSheets.AnyAsync(s => s.Source == source));
        (status, html) = await PostFileAsync(desk, "/hasil/impor", "Results", new() { ["contest"] = Contest, ["source"] = source, ["mapping"] = mapping },
            "kawal.csv", $"kode_tps,paslon_1,paslon_2,sah\n{tpsCode},102,90,192\n{other},50,60,110\n");
        Assert.True(status == HttpStatusCode.OK, html);
        var compareLink = WebUtility.HtmlDecode(Regex.Match(html, "id=\"import-compare\" href=\"([^\"]+)\"").Groups[1].Value);
        Assert.StartsWith("/hasil/sumber?", compareLink);
        var compared = await desk.GetStringAsync(compareLink + "&region=" + Region);
        Assert.Contains("id=\"source-compare\"", compared);
        Assert.Contains("1 TPS ada di keduanya; 1 hanya di KAWAL-UJI; 0 hanya di pembanding.", compared);
        var tpsTable = Regex.Match(compared, "<table class=\"grid\" id=\"compare-tps\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains(tpsCode, tpsTable);
        Assert.Contains("102", tpsTable);

        // 5. A PSU at that TPS, from an election file on the setup page; before its day the form is the ordinary one.
        var psuFile = $$"""
            { "format": "pantau-election/1", "code": "{{Psu}}", "name": "PSU Mukomuko 2030 (uji)", "kind": "psu",
              "votingDate": "{{PsuDay:yyyy-MM-dd}}", "region": "{{Region}}", "reVotes": "{{Election}}",
              "contests": [ { "code": "{{Contest}}", "region": "{{Region}}", "tps": [ "{{tpsCode}}" ] } ] }
            """;
        (status, html) = await PostFileAsync(desk, "/admin/pemilihan", "Import", [], "psu.json", psuFile);
        Assert.True(status == HttpStatusCode.OK, html);
        Assert.DoesNotContain("id=\"psu-note\"", await kpps.GetStringAsync(form));
        app.Clock.SetUtcNow(new DateTimeOffset(PsuDay.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));
        desk = await app.CookieClientAsync(deskUser.UserName!, password);
        kpps = await app.CookieClientAsync(kppsUser.UserName!, kppsPassword);
        formHtml = await kpps.GetStringAsync(form);
        Assert.Contains($"data-psu=\"{Psu}\"", formHtml);
        Assert.Contains($"data-api=\"/api/elections/{Psu}/sheets\"", formHtml);
        var revote = TallySheets.Valid(Contest, tpsCode, new Dictionary<int, long> { [1] = 80, [2] = 140 }, dpt: L(row, "dpt")!.Value);
        fields = SheetForm(revote);
        fields["__RequestVerificationToken"] = TokenRegex().Match(formHtml).Groups[1].Value;
        sent = await (await kpps.PostAsync("/hasil/input", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync();
        Assert.Contains("data-outcome=\"accepted\"", sent);
        await using (var db = app.NewDbContext())
        {
            var versions = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == Contest && v.TpsCode == tpsCode).OrderBy(v => v.VersionNo).ToListAsync();
            Assert.Equal([ResultStatus.Superseded, ResultStatus.Accepted], versions.Select(v => v.Status));
            Assert.Equal($"PSU {Psu} ({PsuDay:yyyy-MM-dd})", versions[1].Reason);
        }
        recap = await app.AnonymousClient().GetFromJsonAsync<JsonElement>($"/api/tally/recap/{Contest}/{Region}");
        Assert.Equal((1L, 80L, 140L), (recap.GetProperty("region").GetProperty("tpsIn").GetInt64(),
            recap.GetProperty("region").GetProperty("votes").GetProperty("1").GetInt64(), recap.GetProperty("region").GetProperty("votes").GetProperty("2").GetInt64()));
        Assert.Contains("data-psu-total", await app.AnonymousClient().GetStringAsync($"/hasil/{Contest}/{Region}"));

        // 6. The election's own calendar: its tahapan placed on its own voting day.
        var tahapan = await desk.GetStringAsync($"/kesiapan/tahapan?election={Election}");
        Assert.Contains($"data-election-bar=\"{Election}\"", tahapan);
        var quiet = ScheduleTemplate.Pilkada.Instantiate(VotingDay).Single(s => s.Code == "masa-tenang");
        Assert.Contains(quiet.Start.ToString("d MMM yyyy", CultureInfo.GetCultureInfo("id-ID")), tahapan);
    }
}
