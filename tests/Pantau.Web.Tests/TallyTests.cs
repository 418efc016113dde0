using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

public class TallyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    private static async Task<List<(string Code, string Desa)>> TpsIn(PantauApp app, string prefix, int take)
    {
        await using var db = app.NewDbContext();
        return (await db.Tps.Where(t => t.DesaCode.StartsWith(prefix)).OrderBy(t => t.Code).Take(take).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
            .Select(t => (t.Code, t.DesaCode)).ToList();
    }

    private static async Task<JsonElement> Recap(HttpClient client, string contest, string region) =>
        await client.GetFromJsonAsync<JsonElement>($"/api/tally/recap/{contest}/{region}");

    private static long Votes(JsonElement row, int n) => row.GetProperty("votes").TryGetProperty(n.ToString(), out var v) ? v.GetInt64() : 0;

    private static Task<HttpResponseMessage> Post(HttpClient c, CHasilSheet s, string? key = null)
    {
        var req = new HttpRequestMessage(HttpMethod.Post, "/api/tally/sheets") { Content = JsonContent.Create(TallySheets.ToJson(s)) };
        if (key is not null) req.Headers.Add("Idempotency-Key", key);
        return c.SendAsync(req);
    }

    private static async Task<VerifyReport> Verify(PantauApp app)
    {
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<TallyKeys>();
        await using var db = app.NewDbContext();
        return await TallyVerifier.VerifyAsync(db, keys.Signer);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Accepted_sheet_counts_at_every_level_and_the_log_verifies(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kppsClient = await app.ClientForAsync(Role.KppsOperator, desa);
        var res = await Post(kppsClient, TallySheets.Valid(Gub, tps, 120, 80, 40));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("accepted", body.GetProperty("outcome").GetString());
        Assert.Equal(1, body.GetProperty("versionNo").GetInt32());

        var anon = app.AnonymousClient();
        foreach (var region in new[] { "16", "16.71", "16.71.01", desa, tps })
        {
            var r = (await Recap(anon, Gub, region)).GetProperty("region");
            Assert.Equal(1, r.GetProperty("tpsIn").GetInt64());
            Assert.Equal(120, Votes(r, 1));
            Assert.Equal(240, r.GetProperty("suaraSah").GetInt64());
        }
        var province = await Recap(anon, Gub, "16");
        Assert.Equal(13206, province.GetProperty("region").GetProperty("tpsExpected").GetInt64());
        Assert.Equal(17, province.GetProperty("children").GetArrayLength());
        var palembang = province.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "16.71");
        Assert.Equal(1, palembang.GetProperty("tpsIn").GetInt64());
        var desaRecap = await Recap(anon, Gub, desa);
        Assert.Contains(desaRecap.GetProperty("children").EnumerateArray(), c => c.GetProperty("code").GetString() == tps && c.GetProperty("state").GetString() == "Accepted");

        var head = await anon.GetFromJsonAsync<JsonElement>("/api/tally/log/head");
        Assert.Equal(1, head.GetProperty("seq").GetInt64());
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Flagged_sheet_is_kept_but_excluded_until_corrected(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var client = await app.ClientForAsync(Role.PpsOperator, desa);
        var bad = TallySheets.Valid(Gub, tps, 120, 80, 40) with { SuaraSah = 241 };
        var res = await Post(client, bad);
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("flagged", body.GetProperty("outcome").GetString());
        var codes = body.GetProperty("issues").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        Assert.Contains(RuleCodes.SumPaslonNeSah, codes);
        Assert.Contains(RuleCodes.SahTidakSahNeUsed, codes);
        Assert.Contains("suara sah", body.GetProperty("issues")[0].GetProperty("messageId").GetString());
        Assert.Equal(0, (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region").GetProperty("tpsIn").GetInt64());

        // A correction without a reason is refused; with one it becomes version 2 and counts.
        var fixedSheet = TallySheets.Valid(Gub, tps, 120, 80, 40);
        var noReason = await client.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/corrections", TallySheets.ToJson(fixedSheet));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var corrected = await client.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/corrections", TallySheets.ToJson(fixedSheet, reason: "salah jumlah"));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(2, (await corrected.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionNo").GetInt32());
        var province = (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region");
        Assert.Equal(1, province.GetProperty("tpsIn").GetInt64());
        Assert.Equal(240, province.GetProperty("suaraSah").GetInt64());
        var history = await app.AnonymousClient().GetFromJsonAsync<JsonElement>($"/api/tally/tps/{tps}/{Gub}/history");
        Assert.Equal(["Superseded", "Accepted"], history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Correction_creates_a_new_version_and_moves_the_totals(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var client = await app.ClientForAsync(Role.PpkOperator, "16.71.01");
        Assert.Equal(HttpStatusCode.Created, (await Post(client, TallySheets.Valid(Gub, tps, 120, 80, 40))).StatusCode);
        var res = await client.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/corrections", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 100, 100, 40), reason: "berita acara koreksi PPK"));
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var kab = (await Recap(app.AnonymousClient(), Gub, "16.71")).GetProperty("region");
        Assert.Equal(1, kab.GetProperty("tpsIn").GetInt64());
        Assert.Equal(100, Votes(kab, 1));
        Assert.Equal(100, Votes(kab, 2));
        await using var db = app.NewDbContext();
        Assert.Equal(2, await db.ResultVersions.CountAsync(v => v.TpsCode == tps));
        Assert.Equal(2, await db.TallyLog.CountAsync());
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Different_sources_conflict_with_a_field_diff_until_adjudicated(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var pps = await app.ClientForAsync(Role.PpsOperator, desa);
        Assert.Equal(HttpStatusCode.Created, (await Post(kpps, TallySheets.Valid(Gub, tps, 120, 80, 40))).StatusCode);
        // The same content from another source confirms; different content conflicts.
        Assert.Equal("confirmed", (await (await Post(pps, TallySheets.Valid(Gub, tps, 120, 80, 40))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        var res = await Post(pps, TallySheets.Valid(Gub, tps, 150, 50, 40));
        Assert.Equal(HttpStatusCode.Accepted, res.StatusCode);
        Assert.Equal("conflict", (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        // Still the first version counts; corrections wait for adjudication.
        Assert.Equal(120, Votes((await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region"), 1));
        var blocked = await kpps.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/corrections", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 1, 1, 1), reason: "x"));
        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);

        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16");
        var queue = await bawaslu.GetFromJsonAsync<JsonElement>("/api/tally/queue");
        var item = Assert.Single(queue.EnumerateArray());
        Assert.Equal("Conflict", item.GetProperty("state").GetString());
        Assert.Equal(2, item.GetProperty("versions").GetArrayLength());
        var diff = item.GetProperty("diff").EnumerateArray().ToDictionary(d => d.GetProperty("field").GetString()!);
        Assert.Equal(120, diff["p1"].GetProperty("left").GetInt64());
        Assert.Equal(150, diff["p1"].GetProperty("right").GetInt64());
        Assert.False(diff.ContainsKey("p3"));

        // Entry roles cannot adjudicate; Bawaslu can, with a reason.
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/adjudicate", new { versionNo = 2, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await bawaslu.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/adjudicate", new { versionNo = 2, reason = "" })).StatusCode);
        var ok = await bawaslu.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/adjudicate", new { versionNo = 2, reason = "sesuai C.Hasil salinan saksi" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var province = (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region");
        Assert.Equal(150, Votes(province, 1));
        Assert.Equal(1, province.GetProperty("tpsIn").GetInt64());
        Assert.Empty((await bawaslu.GetFromJsonAsync<JsonElement>("/api/tally/queue")).EnumerateArray());
        var history = await bawaslu.GetFromJsonAsync<JsonElement>($"/api/tally/tps/{tps}/{Gub}/history");
        Assert.Equal(["Superseded", "Accepted"], history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("status").GetString()));
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Adjudicator_can_accept_a_flagged_sheet_with_a_reason(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var odd = TallySheets.Valid(Gub, tps, 120, 80, 40) with { BallotsReceived = 420 }; // extra ballots delivered, not all accounted for on the sheet (rule 6)
        Assert.Equal(HttpStatusCode.Accepted, (await Post(kpps, odd)).StatusCode);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");
        var res = await kpu.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/adjudicate", new { versionNo = 1, reason = "surat suara tambahan sesuai BA" });
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(420, (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region").GetProperty("ballotsReceived").GetInt64());
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Retries_with_the_same_idempotency_key_count_once(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var list = await TpsIn(app, "16.71.01", 2);
        var client = await app.ClientForAsync(Role.PpkOperator, "16.71.01");
        var sheet = TallySheets.Valid(Gub, list[0].Code, 120, 80, 40);
        var first = await Post(client, sheet, "kunci-1");
        var again = await Post(client, sheet, "kunci-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("replayed", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("outcome").GetString());
        // The same key with other content is still the original result (never a second count).
        var other = await Post(client, TallySheets.Valid(Gub, list[0].Code, 1, 2, 3), "kunci-1");
        Assert.Equal(1, (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("versionNo").GetInt32());
        // Batch items carry the key in a field; twice in one batch and again later.
        var item = TallySheets.ToJson(TallySheets.Valid(Gub, list[1].Code, 10, 20, 30), idempotencyKey: "kunci-2");
        var batch = await (await client.PostAsJsonAsync("/api/tally/batch", new[] { item, item })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, batch.GetProperty("accepted").GetInt32());
        Assert.Equal(1, batch.GetProperty("replayed").GetInt32());
        var batch2 = await (await client.PostAsJsonAsync("/api/tally/batch", new[] { item })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, batch2.GetProperty("replayed").GetInt32());
        var province = (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region");
        Assert.Equal(2, province.GetProperty("tpsIn").GetInt64());
        Assert.Equal(130, Votes(province, 1));
        await using var db = app.NewDbContext();
        Assert.Equal(2, await db.ResultVersions.CountAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Entry_is_limited_to_the_operators_region(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var a = (await TpsIn(app, "16.71.01", 1))[0];
        var b = (await TpsIn(app, "16.02", 1))[0];
        var pps = await app.ClientForAsync(Role.PpsOperator, a.Desa);
        var res = await Post(pps, TallySheets.Valid(Gub, b.Code, 120, 80, 40));
        Assert.Equal(HttpStatusCode.Forbidden, res.StatusCode);
        Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
        Assert.Contains("di luar wilayah", await res.Content.ReadAsStringAsync());
        var anon = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, a.Code, 1, 1, 1)))).StatusCode);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        Assert.Equal(HttpStatusCode.Forbidden, (await Post(desk, TallySheets.Valid(Gub, a.Code, 1, 1, 1))).StatusCode);
        // A batch mixes: in-scope accepted, out-of-scope rejected with 403 per item.
        var batch = await (await pps.PostAsJsonAsync("/api/tally/batch", new[]
        {
            TallySheets.ToJson(TallySheets.Valid(Gub, a.Code, 1, 2, 3)), TallySheets.ToJson(TallySheets.Valid(Gub, b.Code, 1, 2, 3)),
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, batch.GetProperty("accepted").GetInt32());
        Assert.Equal(403, batch.GetProperty("items")[1].GetProperty("httpStatus").GetInt32());
        // A TPS of another kab/kota is not part of a bupati race.
        var admin = await app.ClientForAsync(Role.Admin, "");
        var wrong = await Post(admin, TallySheets.Valid("PILWALKOT-16.71", b.Code, 1, 2, 3));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Editing_rows_behind_the_application_is_detected(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var list = await TpsIn(app, "16.71.01", 3);
        var admin = await app.ClientForAsync(Role.Admin, "");
        foreach (var (code, _) in list) await Post(admin, TallySheets.Valid(Gub, code, 120, 80, 40));
        var cp = await admin.PostAsync("/api/tally/checkpoints", null);
        Assert.Equal(HttpStatusCode.OK, cp.StatusCode);
        var verify = await admin.GetFromJsonAsync<JsonElement>("/api/tally/verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
        Assert.Equal(1, verify.GetProperty("checkpoints").GetInt32());

        async Task<string> Tamper(string sql)
        {
            await using var db = app.NewDbContext();
            return await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync();
                Assert.True(await db.Database.ExecuteSqlRawAsync(sql) > 0);
                var report = await TallyVerifier.VerifyAsync(db, app.Services.GetRequiredService<TallyKeys>().Signer);
                await tx.RollbackAsync();
                Assert.False(report.Ok);
                return report.FirstDivergence!;
            });
        }
        Assert.Contains("recap PILGUB-16/16:", await Tamper("UPDATE \"TallyRecaps\" SET \"SuaraSah\" = \"SuaraSah\" + 1 WHERE \"RegionCode\" = '16'"));
        Assert.Contains("recap", await Tamper("UPDATE \"TallyRecaps\" SET \"Votes\" = '1=999,2=80,3=40' WHERE \"RegionCode\" = '16.71'"));
        Assert.Contains("stored sheet differs from the log", await Tamper($"UPDATE \"ResultVersions\" SET \"Payload\" = REPLACE(\"Payload\", '1=120', '1=121') WHERE \"TpsCode\" = '{list[1].Code}'"));
        Assert.Contains("status", await Tamper("UPDATE \"ResultVersions\" SET \"Status\" = 2 WHERE \"VersionNo\" = 1 AND \"TpsCode\" = '" + list[0].Code + "'"));
        Assert.Contains("hash mismatch", await Tamper("UPDATE \"TallyLog\" SET \"Entry\" = REPLACE(\"Entry\", '1=120', '1=121') WHERE \"Seq\" = 2"));
        Assert.Contains("missing", await Tamper("DELETE FROM \"TallyLog\" WHERE \"Seq\" = 2"));
        Assert.Contains("signature", await Tamper("UPDATE \"TallyCheckpoints\" SET \"HeadHash\" = SUBSTR(\"HeadHash\", 2) || 'x'"));
        Assert.Contains("truncated", await Tamper("DELETE FROM \"TallyLog\" WHERE \"Seq\" = 3"));
        Assert.Contains("missing from the results table", await Tamper($"DELETE FROM \"ResultVersions\" WHERE \"TpsCode\" = '{list[2].Code}'"));
        Assert.Contains("not in the log", await Tamper($"UPDATE \"ResultVersions\" SET \"LogSeq\" = 1 WHERE \"TpsCode\" = '{list[2].Code}'"));
        Assert.Contains($"current {Gub}/{list[0].Code}", await Tamper($"UPDATE \"TallyCurrent\" SET \"CountedVersionNo\" = 0 WHERE \"TpsCode\" = '{list[0].Code}'"));
        Assert.Contains($"recap {Gub}/{list[0].Code}: missing", await Tamper($"DELETE FROM \"TallyRecaps\" WHERE \"RegionCode\" = '{list[0].Code}'"));
        Assert.Contains("recap", await Tamper($"UPDATE \"TallyRecaps\" SET \"BallotsUnused\" = \"BallotsUnused\" - 1 WHERE \"RegionCode\" = '{list[1].Code}'"));
        Assert.Contains("hash mismatch", await Tamper("UPDATE \"TallyLog\" SET \"Hash\" = UPPER(\"Hash\") WHERE \"Seq\" = 3"));
        // Every other field the log holds (issue 20 point 9): who sent a version and when.
        Assert.Contains("submitter or photo differs from the log", await Tamper($"UPDATE \"ResultVersions\" SET \"SubmittedBy\" = 'mallory' WHERE \"TpsCode\" = '{list[1].Code}'"));
        var anHourLater = provider == DatabaseProvider.Postgres ? "\"SubmittedAt\" + interval '1 hour'" : "\"SubmittedAt\" + 36000000000";
        Assert.Contains("submission time differs from the log", await Tamper($"UPDATE \"ResultVersions\" SET \"SubmittedAt\" = {anHourLater} WHERE \"TpsCode\" = '{list[1].Code}'"));
        // Rewriting the whole chain consistently still contradicts the signed checkpoint.
        await using (var db = app.NewDbContext())
        {
            var entries = await db.TallyLog.OrderBy(e => e.Seq).ToListAsync();
            var prev = HashChain.GenesisHex;
            foreach (var e in entries)
            {
                e.Entry = e.Entry.Replace("1=120", "1=121");
                e.PrevHash = prev;
                e.Hash = prev = HashChain.NextHex(prev, e.Entry);
            }
            await db.SaveChangesAsync();
            var report = await TallyVerifier.VerifyAsync(db, app.Services.GetRequiredService<TallyKeys>().Signer);
            Assert.False(report.Ok);
            Assert.Contains("rewritten", report.FirstDivergence);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Verify_through_the_api_reads_a_consistent_snapshot_and_finds_committed_edits(DatabaseProvider provider)
    {
        // Without a caller's transaction, verify checks the versions and the counters on two connections at once (same snapshot).
        await using var app = await PantauApp.StartAsync(provider);
        var list = await TpsIn(app, "16.71.02", 4);
        var admin = await app.ClientForAsync(Role.Admin, "");
        foreach (var (code, _) in list) Assert.Equal(HttpStatusCode.Created, (await Post(admin, TallySheets.Valid(Gub, code, 70, 50, 30))).StatusCode);
        async Task<JsonElement> VerifyApi() => await admin.GetFromJsonAsync<JsonElement>("/api/tally/verify");
        var ok = await VerifyApi();
        Assert.True(ok.GetProperty("ok").GetBoolean(), ok.ToString());
        Assert.Equal(4, ok.GetProperty("countedSheets").GetInt64());
        Assert.Contains("tables", ok.GetProperty("phases").GetString()); // the tables were read on the second connection during the log pass
        Assert.Equal(4 + list.Select(t => t.Desa).Distinct().Count() + 3, ok.GetProperty("recapRows").GetInt32()); // TPS, desa, kecamatan, kab/kota, province
        await using (var db = app.NewDbContext())
            await db.Database.ExecuteSqlRawAsync("UPDATE \"TallyRecaps\" SET \"TpsIn\" = \"TpsIn\" + 1 WHERE \"RegionCode\" = '16.71.02'");
        var bad = await VerifyApi();
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("recap PILGUB-16/16.71.02:", bad.GetProperty("firstDivergence").GetString());
        await using (var db = app.NewDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE \"TallyRecaps\" SET \"TpsIn\" = \"TpsIn\" - 1 WHERE \"RegionCode\" = '16.71.02'");
            var sql = "UPDATE \"ResultVersions\" SET \"Payload\" = REPLACE(\"Payload\", '1=70', '1=71') WHERE \"TpsCode\" = '" + list[3].Code + "'";
            await db.Database.ExecuteSqlRawAsync(sql);
        }
        bad = await VerifyApi();
        Assert.False(bad.GetProperty("ok").GetBoolean());
        Assert.Contains("stored sheet differs from the log", bad.GetProperty("firstDivergence").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Random_batches_keep_every_recap_level_equal_to_the_sum_of_its_children(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var tps = await TpsIn(app, "16.7", 400);
        var rnd = new Random(20241127);
        var admin = await app.ClientForAsync(Role.Admin, "");
        for (var round = 0; round < 3; round++)
        {
            var items = tps.OrderBy(_ => rnd.Next()).Take(150).Select(t =>
            {
                var s = TallySheets.Valid(Gub, t.Code, rnd.Next(0, 120), rnd.Next(0, 120), rnd.Next(0, 120));
                if (rnd.Next(10) == 0) s = s with { SuaraTidakSah = s.SuaraTidakSah + 1 }; // some flagged
                return TallySheets.ToJson(s);
            }).ToList();
            var res = await admin.PostAsJsonAsync("/api/tally/batch", items);
            Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        }
        await using var db = app.NewDbContext();
        var rows = await db.TallyRecaps.AsNoTracking().Where(r => r.ContestCode == Gub).ToListAsync();
        Assert.Contains(rows, r => r.Level == 5);
        foreach (var parent in rows.Where(r => r.Level < 5))
        {
            var sum = new RecapTotals();
            foreach (var c in rows.Where(r => r.ParentCode == parent.RegionCode)) sum.Add(TallyService.ToTotals(c));
            Assert.Equal(TallyService.ToTotals(parent).ToString(), sum.ToString());
        }
        var counted = await db.TallyCurrent.CountAsync(c => c.ContestCode == Gub && c.CountedVersionNo > 0);
        Assert.Equal(counted, rows.Single(r => r.RegionCode == "16").TpsIn);
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_second_different_sheet_from_the_same_operator_must_be_a_correction(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var client = await app.ClientForAsync(Role.PpsOperator, desa);
        Assert.Equal(HttpStatusCode.Created, (await Post(client, TallySheets.Valid(Gub, tps, 120, 80, 40))).StatusCode);
        var silent = await Post(client, TallySheets.Valid(Gub, tps, 200, 80, 40));
        Assert.Equal(HttpStatusCode.Conflict, silent.StatusCode);
        Assert.Contains("RESULT_EXISTS", await silent.Content.ReadAsStringAsync());
        Assert.Equal(120, Votes((await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region"), 1));
        // The same sheet again is only a confirmation.
        Assert.Equal(HttpStatusCode.OK, (await Post(client, TallySheets.Valid(Gub, tps, 120, 80, 40))).StatusCode);
        Assert.True((await Verify(app)).Ok);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Concurrent_writers_lose_no_update(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var tps = await TpsIn(app, "16.71", 40);
        var a = await app.ClientForAsync(Role.Admin, "");
        var b = await app.ClientForAsync(Role.KpuOperator, "16");
        var tasks = tps.Select((t, i) => Post(i % 2 == 0 ? a : b, TallySheets.Valid(Gub, t.Code, 10, 20, 30))).ToList();
        await Task.WhenAll(tasks);
        Assert.All(tasks, t => Assert.Equal(HttpStatusCode.Created, t.Result.StatusCode));
        var province = (await Recap(app.AnonymousClient(), Gub, "16")).GetProperty("region");
        Assert.Equal(40, province.GetProperty("tpsIn").GetInt64());
        Assert.Equal(400, Votes(province, 1));
        Assert.True((await Verify(app)).Ok);
    }

    [Fact]
    public async Task Csv_batch_is_read_by_column_name()
    {
        await using var app = await PantauApp.StartAsync();
        var tps = await TpsIn(app, "16.71.01", 2);
        var admin = await app.ClientForAsync(Role.Admin, "");
        var names = new[] { "contest", "tps", "p1", "p2", "p3" }.Concat(SheetFields.Numeric.Select(f => f.Name)).Append("idempotencyKey").ToList();
        var sb = new StringBuilder(string.Join(',', names)).Append('\n');
        foreach (var (code, _) in tps)
        {
            var s = TallySheets.Valid(Gub, code, 7, 8, 9);
            sb.Append(string.Join(',', new[] { s.Contest, s.Tps, "7", "8", "9" }.Concat(SheetFields.Numeric.Select(f => f.Value(s)?.ToString() ?? "")).Append("csv-" + code))).Append('\n');
        }
        sb.Append($"{Gub},{tps[0].Code},x,8,9\n");
        var res = await admin.PostAsync("/api/tally/batch", new StringContent(sb.ToString(), Encoding.UTF8, "text/csv"));
        var body = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, body.GetProperty("accepted").GetInt32());
        Assert.Equal(1, body.GetProperty("rejected").GetInt32());
        Assert.Contains("p1", body.GetProperty("items")[2].GetProperty("error").GetString());
    }

    [Fact]
    public async Task Public_results_answer_304_to_a_matching_ETag()
    {
        await using var app = await PantauApp.StartAsync();
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var anon = app.AnonymousClient();
        var first = await anon.GetAsync($"/api/tally/recap/{Gub}/16");
        var etag = first.Headers.ETag!;
        var again = new HttpRequestMessage(HttpMethod.Get, $"/api/tally/recap/{Gub}/16");
        again.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await anon.SendAsync(again)).StatusCode);
        await Post(await app.ClientForAsync(Role.Admin, ""), TallySheets.Valid(Gub, tps, 1, 2, 3));
        var changed = new HttpRequestMessage(HttpMethod.Get, $"/api/tally/recap/{Gub}/16");
        changed.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.OK, (await anon.SendAsync(changed)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/api/tally/recap/PILGUB-99/16")).StatusCode);
    }

    [Fact]
    public async Task Open_data_export_lists_every_version()
    {
        await using var app = await PantauApp.StartAsync();
        var (tps, _) = (await TpsIn(app, "16.71.01", 1))[0];
        var admin = await app.ClientForAsync(Role.Admin, "");
        await Post(admin, TallySheets.Valid(Gub, tps, 120, 80, 40));
        await admin.PostAsJsonAsync($"/api/tally/tps/{tps}/{Gub}/corrections", TallySheets.ToJson(TallySheets.Valid(Gub, tps, 100, 100, 40), reason: "koreksi"));
        var anon = app.AnonymousClient();
        var csv = await anon.GetStringAsync($"/api/tally/export/{Gub}.csv");
        var lines = csv.Trim().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("contest,tps,desa,versionNo,status,counted,source,submittedAt,reason,beritaAcara,validationCodes,anomalies,photoSha256,logSeq,p1,p2,p3,suaraSah", lines[0]);
        Assert.StartsWith($"{Gub},{tps},", lines[1]);
        Assert.Contains(",Superseded,0,api,", lines[1]);
        Assert.Contains(",Accepted,1,correction,", lines[2]);
        Assert.Contains(",koreksi,", lines[2]);
        Assert.Contains(",100,100,40,240,", lines[2]);
        var json = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/export/{Gub}?format=json");
        var t = Assert.Single(json.GetProperty("tps").EnumerateArray());
        Assert.Equal(2, t.GetProperty("countedVersionNo").GetInt32());
        Assert.Equal(100, t.GetProperty("versions")[1].GetProperty("votes").GetProperty("1").GetInt64());
    }

    [Fact]
    public async Task Photos_are_sniffed_and_hashed_and_a_reused_photo_is_marked()
    {
        await using var app = await PantauApp.StartAsync();
        var tps = await TpsIn(app, "16.71.01", 2);
        var admin = await app.ClientForAsync(Role.Admin, "");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];
        var form = new MultipartFormDataContent { { new ByteArrayContent(png), "photo", "c-hasil.jpg" } };
        var res = await admin.PostAsync("/api/tally/photos", form);
        Assert.Equal(HttpStatusCode.Created, res.StatusCode);
        var photo = await res.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("image/png", photo.GetProperty("contentType").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), photo.GetProperty("sha256").GetString());
        var html = new MultipartFormDataContent { { new ByteArrayContent("<html>"u8.ToArray()), "photo", "x.png" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/tally/photos", html)).StatusCode);
        var id = photo.GetProperty("id").GetString();
        var download = await admin.GetAsync($"/api/tally/photos/{id}");
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        foreach (var (code, _) in tps)
        {
            var body = TallySheets.ToJson(TallySheets.Valid(Gub, code, 1, 2, 3));
            body["photoId"] = id;
            var r = await (await admin.PostAsJsonAsync("/api/tally/sheets", body)).Content.ReadFromJsonAsync<JsonElement>();
            var anomalies = r.GetProperty("anomalies").EnumerateArray().Select(a => a.GetString()).ToList();
            Assert.Equal(code == tps[1].Code, anomalies.Contains(AnomalyCodes.PhotoReused));
        }
        // Another account cannot attach (and so expose through its TPS) a photo it did not upload.
        var third = (await TpsIn(app, "16.71.01", 3))[2].Code;
        var other = await app.ClientForAsync(Role.KpuOperator, "16.71");
        var borrowed = TallySheets.ToJson(TallySheets.Valid(Gub, third, 1, 2, 3));
        borrowed["photoId"] = id;
        var refused = await other.PostAsJsonAsync("/api/tally/sheets", borrowed);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("PHOTO_NOT_OWN", await refused.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task The_lean_writer_stores_rows_exactly_as_EF_reads_them(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var tps = await TpsIn(app, "16.71.01", 2);
        var admin = await app.ClientForAsync(Role.Admin, "");
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 9, 9];
        var photo = await (await admin.PostAsync("/api/tally/photos", new MultipartFormDataContent { { new ByteArrayContent(png), "photo", "c.png" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var photoId = Guid.Parse(photo.GetProperty("id").GetString()!);
        var withPhoto = TallySheets.ToJson(TallySheets.Valid(Gub, tps[0].Code, 10, 20, 5));
        withPhoto["photoId"] = photoId.ToString();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/tally/sheets", withPhoto)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(Gub, tps[1].Code, 7, 8, 9)))).StatusCode);

        await using var db = app.NewDbContext();
        var versions = await db.ResultVersions.AsNoTracking().Where(v => v.ContestCode == Gub).OrderBy(v => v.TpsCode).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, versions.Count);
        Assert.All(versions, v =>
        {
            Assert.Equal("", v.ValidationCodes); // empty text stays empty, not NULL
            Assert.Null(v.Reason);
            Assert.Null(v.ResolvedAt);
            Assert.Equal(app.Clock.GetUtcNow(), v.SubmittedAt);
        });
        Assert.Equal(photoId, versions[0].PhotoId);
        Assert.Null(versions[1].PhotoId);
        // Queries by those values find the rows (a Guid or a time stored in another form would not match).
        Assert.Equal(1, await db.ResultVersions.CountAsync(v => v.PhotoId == photoId, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.ResultVersions.CountAsync(v => v.Reason == null && v.Anomalies == "" && v.TpsCode == tps[1].Code, TestContext.Current.CancellationToken));
        var now = app.Clock.GetUtcNow();
        Assert.Equal(2, await db.TallyLog.CountAsync(e => e.At == now, TestContext.Current.CancellationToken));
        var recap = await db.TallyRecaps.AsNoTracking().SingleAsync(r => r.ContestCode == Gub && r.RegionCode == "16", TestContext.Current.CancellationToken);
        Assert.Equal((2L, 1, 2L, (string?)null), (recap.TpsIn, recap.Level, recap.Version, recap.ParentCode));
    }
}

public class TallyLiveTests
{
    [Fact]
    public async Task Accepted_sheets_publish_a_totals_event_for_the_contest()
    {
        await using var app = await PantauApp.StartAsync();
        await using var db = app.NewDbContext();
        var tps = await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).Select(t => t.Code).FirstAsync();
        var hub = app.Services.GetRequiredService<ILiveUpdates>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // The first MoveNextAsync registers the subscription before it returns (no sleep-and-hope before publishing).
        await using var events = hub.SubscribeAsync(["tally:PILGUB-16"], cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync();
        var admin = await app.ClientForAsync(Role.Admin, "");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid("PILGUB-16", tps, 1, 2, 3)))).StatusCode);
        Assert.True(await next);
        Assert.Equal("totals", events.Current.Type);
        Assert.Contains("\"16.71.01\"", events.Current.Json);
    }
}
