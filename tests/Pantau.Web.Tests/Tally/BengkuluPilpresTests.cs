using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data.Elections;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

/// <summary>
/// Issue 21 point 8: the real Bengkulu Pilpres 2024 set (../shared/data/results/pilpres2024_bengkulu_tps.csv, 6,210 TPS from SIREKAP
/// with its errors kept) loaded through the documented verbs (import --provinces 17, import-tps, import-results). Every expected
/// figure is computed here from the file itself, never read back from Pantau.
/// </summary>
public class BengkuluPilpresTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Contest = "PPWP-17";
    private static string File => Path.Combine(TestDatabase.SharedDataDir, "results", "pilpres2024_bengkulu_tps.csv");

    private sealed record Row(string Tps, string Status, Dictionary<string, long?> V)
    {
        public long? this[string c] => V[c];
    }

    private static List<Row> ReadFile()
    {
        var lines = System.IO.File.ReadAllLines(File);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => l.Split(',')).Select(c => new Row(c[0], c[Array.IndexOf(header, "data_status")],
            header.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => long.TryParse(c[x.i], NumberStyles.None, CultureInfo.InvariantCulture, out var v) && x.h != "kode_tps" ? v : (long?)null))).ToList();
    }

    private static async Task<int> RunVerbAsync(TestDatabase db, params string[] args)
    {
        var builder = WebApplication.CreateBuilder([$"--Database:Provider={db.Provider}", $"--ConnectionStrings:Pantau={db.ConnectionString}", "--Pantau:RunJobs=false"]);
        builder.AddPantau();
        await using var app = builder.Build();
        Assert.True(Commands.TryGet(args, out var command));
        return await command(app);
    }

    /// <summary>Independent reading of the C.Hasil rules on the file's columns (SIREKAP has no ballot or disability rows).</summary>
    private static bool VotesBad(Row r) => r["suara_01"] + r["suara_02"] + r["suara_03"] != r["suara_sah"] || r["suara_sah"] + r["suara_tidak_sah"] != r["suara_total"];
    private static bool UsersNeTotal(Row r) => r["pengguna_total"] != r["suara_total"];
    private static readonly string[] Split = ["dpt", "pengguna_dpt", "pengguna_dptb", "pengguna_dpk", "pengguna_total"];
    private static bool LpBad(Row r) => Split.Any(p => r[p + "_l"] + r[p + "_p"] != r[p]);
    private static bool UsersAboveDpt(Row r) => r["pengguna_dpt"] > r["dpt"] || r["pengguna_dpt_l"] > r["dpt_l"] || r["pengguna_dpt_p"] > r["dpt_p"];
    private static bool UsersNeSum(Row r) => new[] { "", "_l", "_p" }.Any(s => r["pengguna_dpt" + s] + r["pengguna_dptb" + s] + r["pengguna_dpk" + s] != r["pengguna_total" + s]);

    [Theory, MemberData(nameof(Providers))]
    public async Task The_SIREKAP_Bengkulu_set_loads_end_to_end_and_every_figure_matches_the_file(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var rows = ReadFile();
        Assert.Equal(6_210, rows.Count);

        // 1. Regions of Bengkulu, 2. the Pemilu 2024 election with Bengkulu's PPWP contest and its three paslon, in the documented election
        // file format (docs/elections.md) through `election import`, 3. the TPS list, 4. SIREKAP's results.
        Assert.Equal(0, await RunVerbAsync(app.Database, "import", "--provinces", "17", "--data", TestDatabase.SharedDataDir));
        var electionFile = Path.Combine(Path.GetTempPath(), $"pemilu2024-{Guid.NewGuid():N}.election.json");
        await System.IO.File.WriteAllTextAsync(electionFile, $$"""
            {
              "format": "pantau-election/1", "code": "PEMILU2024", "name": "Pemilihan Umum 2024", "kind": "pemilu", "votingDate": "2024-02-14",
              "source": "KPU: the three Pilpres 2024 paslon and their ballot numbers",
              "contests": [
                { "code": "{{Contest}}", "kind": "presiden", "region": "17",
                  "paslon": [
                    { "number": 1, "candidate": "Anies Rasyid Baswedan", "runningMate": "Muhaimin Iskandar" },
                    { "number": 2, "candidate": "Prabowo Subianto", "runningMate": "Gibran Rakabuming Raka" },
                    { "number": 3, "candidate": "Ganjar Pranowo", "runningMate": "Mahfud MD" } ] } ]
            }
            """);
        try { Assert.Equal(0, await RunVerbAsync(app.Database, "election", "import", electionFile)); }
        finally { System.IO.File.Delete(electionFile); }
        await using (var db = app.NewDbContext())
        {
            var ppwp = await db.Contests.AsNoTracking().Include(c => c.Paslon).SingleAsync(c => c.Code == Contest);
            Assert.Equal((ContestKind.Presiden, "17", 3), (ppwp.Kind, ppwp.RegionCode, ppwp.Paslon.Count));
        }
        // Without leave, the file's DPT entry errors refuse it as a whole (file:line); SIREKAP's list is loaded with those DPT synthesized.
        Assert.Equal(1, await RunVerbAsync(app.Database, "import-tps", File));
        Assert.Equal(0, await RunVerbAsync(app.Database, "import-tps", File, "--dpt-errors", "synthesize"));
        Assert.Equal(0, await RunVerbAsync(app.Database, "import-results", File, "--source", "SIREKAP", "--contest", Contest, "--mapping", "sirekap-ppwp"));

        await using (var db = app.NewDbContext())
        {
            // The TPS list: every TPS of the file, DPT from the file where it has one, the others marked synthesized.
            var tps = await db.Tps.AsNoTracking().Where(t => t.DesaCode.StartsWith("17.")).ToDictionaryAsync(t => t.Code);
            Assert.Equal(rows.Select(r => r.Tps).Order(), tps.Keys.Order());
            bool DptOk(Row r) => r["dpt"] is not null && r["dpt_l"] + r["dpt_p"] == r["dpt"];
            foreach (var r in rows.Where(DptOk)) Assert.Equal(((int)r["dpt"]!.Value, (int)r["dpt_l"]!.Value, false), (tps[r.Tps].Dpt, tps[r.Tps].DptMale, tps[r.Tps].IsSynthetic));
            Assert.Equal(rows.Count(r => !DptOk(r)), tps.Values.Count(t => t.IsSynthetic));

            var sheets = await db.SourceSheets.AsNoTracking().Where(s => s.Source == "SIREKAP" && s.ContestCode == Contest).ToDictionaryAsync(s => s.TpsCode);
            var complete = rows.Where(r => r.Status == "complete").ToList();
            var votesOnly = rows.Where(r => r.Status == "votes_only").ToList();
            var noData = rows.Where(r => r.Status == "no_data").ToList();
            Assert.Equal((5_461, 411, 338), (complete.Count, votesOnly.Count, noData.Count));
            Assert.Equal(complete.Count + votesOnly.Count, sheets.Count);
            Assert.All(noData, r => Assert.False(sheets.ContainsKey(r.Tps)));
            HashSet<string> With(Func<string[], bool> has) => sheets.Values.Where(s => has(s.ValidationCodes.Split(',', StringSplitOptions.RemoveEmptyEntries))).Select(s => s.TpsCode).ToHashSet();
            HashSet<string> Where(Func<Row, bool> f) => complete.Where(f).Select(r => r.Tps).ToHashSet();

            // Exactly the complete rows whose votes do not add up carry the vote-arithmetic codes (the issue counts 268).
            var votesBad = Where(VotesBad);
            Assert.Equal(268, votesBad.Count);
            Assert.Equal(votesBad.Order(), With(c => c.Any(RuleCodes.VoteArithmetic.Contains)).Order());
            Assert.Equal(Where(r => r["suara_01"] + r["suara_02"] + r["suara_03"] != r["suara_sah"]).Order(), With(c => c.Contains(RuleCodes.SumPaslonNeSah)).Order());
            Assert.Equal(Where(r => r["suara_sah"] + r["suara_tidak_sah"] != r["suara_total"]).Order(), With(c => c.Contains(RuleCodes.SahTidakSahNeTotal)).Order());
            // The voter rows, each finding with its own code.
            Assert.Equal(Where(UsersNeTotal).Order(), With(c => c.Contains(RuleCodes.UsersNeTotal)).Order());
            Assert.Equal(Where(LpBad).Order(), With(c => c.Contains(RuleCodes.LpNeTotal)).Order());
            Assert.Equal(Where(UsersAboveDpt).Order(), With(c => c.Contains(RuleCodes.UsersGtRegistered)).Order());
            Assert.Equal(Where(UsersNeSum).Order(), With(c => c.Contains(RuleCodes.UsersNeSum)).Order());
            Assert.NotEmpty(Where(UsersNeTotal));
            Assert.NotEmpty(Where(LpBad));
            Assert.NotEmpty(Where(UsersAboveDpt));

            // Votes-only rows are accepted as partial sheets (absent, not zero).
            Assert.All(votesOnly, r =>
            {
                var s = sheets[r.Tps];
                Assert.Equal(ResultStatus.Accepted, s.Status);
                var sheet = CHasilSheet.ParseCanonical(s.Payload);
                Assert.True(sheet.IsPartial);
                Assert.False(sheet.Has("suaraSah"));
                Assert.Equal(r["suara_02"], sheet.Votes[2]);
            });
        }

        // Progress and recap through the API: the file's sums over the accepted rows.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "17");
        var recap = await desk.GetFromJsonAsync<JsonElement>($"/api/tally/sources/SIREKAP/recap/{Contest}/17");
        var bad = rows.Where(r => r.Status == "complete" && (VotesBad(r) || UsersNeTotal(r) || LpBad(r) || UsersAboveDpt(r) || UsersNeSum(r))).Select(r => r.Tps).ToHashSet();
        var accepted = rows.Where(r => r.Status != "no_data" && !bad.Contains(r.Tps)).ToList();
        Assert.Equal(6_210, recap.GetProperty("expected").GetInt64());
        Assert.Equal(338, recap.GetProperty("missing").GetInt64());
        Assert.Equal(accepted.Count, recap.GetProperty("accepted").GetInt64());
        Assert.Equal(bad.Count, recap.GetProperty("flagged").GetInt64());
        var totals = recap.GetProperty("totals");
        Assert.Equal(accepted.Sum(r => r["suara_sah"] ?? 0), totals.GetProperty("suaraSah").GetInt64());
        Assert.Equal(accepted.Sum(r => r["suara_tidak_sah"] ?? 0), totals.GetProperty("suaraTidakSah").GetInt64());
        var votes = totals.GetProperty("votes");
        for (var n = 1; n <= 3; n++)
            Assert.Equal(accepted.Sum(r => r[$"suara_0{n}"] ?? 0), votes.GetProperty(n.ToString(CultureInfo.InvariantCulture)).GetInt64());
        Assert.Equal(accepted.Count, totals.GetProperty("tpsIn").GetInt64());

        // The official intake of the PPWP contest speaks Pemilu: DPTb (moved in) and DPK, on the form and in the messages.
        var big = rows.First(r => r.Status == "complete" && r["dpt"] >= 260 && r["dpt_l"] + r["dpt_p"] == r["dpt"]);
        var kpps = await app.ClientForAsync(Role.KppsOperator, big.Tps);
        var good = TallySheets.Valid(Contest, big.Tps, new Dictionary<int, long> { [1] = 20, [2] = 100, [3] = 20 }, dpt: big["dpt"]!.Value);
        var odd = good with { UsersDptb = good.Dptb + 1, UsersDptbL = good.DptbL + 1, UsersDpt = good.UsersDpt - 1, UsersDptL = good.UsersDptL - 1 };
        var res = await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(odd));
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        var issue = (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("issues").EnumerateArray()
            .First(i => i.GetProperty("code").GetString() == RuleCodes.UsersGtRegistered && i.GetProperty("fields").EnumerateArray().Any(f => f.GetString() == "usersDptb"));
        Assert.Contains("DPK", issue.GetProperty("messageId").GetString());
        Assert.DoesNotContain("DPPh", issue.GetProperty("messageId").GetString());
        var form = await (await kpps.GetAsync($"/hasil/input?tps={big.Tps}&contest={Contest}")).Content.ReadAsStringAsync();
        Assert.Contains("C.Hasil-PPWP", form);
        Assert.Contains("data-naming=\"pemilu\"", form);
        Assert.DoesNotContain("DPPh", form);
    }
}
