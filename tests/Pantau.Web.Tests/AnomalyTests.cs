using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Core.Tally.Anomalies;
using Pantau.Data;
using Pantau.Data.Tally.Anomalies;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally.Anomalies;

namespace Pantau.Web.Tests;

public class AnomalyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    /// <summary>The background job runner is off: the tests call the scanner themselves.</summary>
    private static Task<PantauApp> Start(DatabaseProvider provider) =>
        PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" });

    private static async Task<List<(string Code, string Desa)>> TpsIn(PantauApp app, string prefix, int take)
    {
        await using var db = app.NewDbContext();
        return (await db.Tps.Where(t => t.DesaCode.StartsWith(prefix)).OrderBy(t => t.Code).Take(take).Select(t => new { t.Code, t.DesaCode, t.Dpt }).ToListAsync())
            .Select(t => (t.Code, t.DesaCode)).ToList();
    }

    private static async Task<HttpResponseMessage> Submit(HttpClient c, CHasilSheet s, string? photoId = null)
    {
        var json = TallySheets.ToJson(s);
        if (photoId is not null) json["photoId"] = photoId;
        var res = await c.PostAsJsonAsync("/api/tally/sheets", json);
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
        return res;
    }

    private static async Task Correct(HttpClient c, CHasilSheet s, string reason)
    {
        var res = await c.PostAsJsonAsync($"/api/tally/tps/{s.Tps}/{s.Contest}/corrections", TallySheets.ToJson(s, reason: reason));
        Assert.True(res.IsSuccessStatusCode, await res.Content.ReadAsStringAsync());
    }

    private static Task<ScanResult> Scan(PantauApp app) => app.Services.GetRequiredService<AnomalyScanner>().ScanAsync();

    private static async Task<JsonElement> List(HttpClient c, string query) =>
        await c.GetFromJsonAsync<JsonElement>("/api/tally/anomalies?" + query);

    private static async Task<int> AnomalyRows(PantauApp app)
    {
        await using var db = app.NewDbContext();
        return await db.TallyAnomalies.CountAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_scan_with_nothing_to_read_writes_nothing(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        long Audit(PantauDbContext db) => db.AuditEntries.LongCount();
        long audit;
        await using (var db = app.NewDbContext()) audit = Audit(db);
        var result = await Scan(app);
        Assert.Equal(0, result.Entries);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await db.TallyAnomalyScanStates.CountAsync()); // no state row before there is something to remember
            Assert.Equal(audit, Audit(db));
        }
        // Once a sheet is in, the scan keeps its place.
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        await Submit(await app.ClientForAsync(Role.KppsOperator, desa), TallySheets.Valid(Gub, tps, 120, 80, 40));
        Assert.Equal(1, (await Scan(app)).Entries);
        await using (var db = app.NewDbContext())
            Assert.Equal(await db.TallyLog.MaxAsync(e => e.Seq), (await db.TallyAnomalyScanStates.SingleAsync()).LastSeq);
        Assert.Equal(0, (await Scan(app)).Entries);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Large_change_between_versions_is_found_by_the_scan_once_and_reopens_on_a_new_version(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        await Submit(kpps, TallySheets.Valid(Gub, tps, 120, 80, 40));
        await Scan(app);
        Assert.Equal(0, (await List(bawaslu, "code=LARGE_CHANGE")).GetProperty("total").GetInt32());

        // v2 moves 80 votes to paslon 1: the "totals changed" problem.
        await Correct(kpps, TallySheets.Valid(Gub, tps, 200, 20, 20), "salah hitung");
        // The scan tells the subscribers of the TPS's kab/kota and province (a province dashboard), not those of another province.
        var hub = app.Services.GetRequiredService<ILiveUpdates>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var province = hub.SubscribeAsync([AnomalyScanner.TopicFor("16")], cts.Token).GetAsyncEnumerator(cts.Token);
        var heard = province.MoveNextAsync();
        var other = hub.SubscribeAsync([AnomalyScanner.TopicFor("15")], cts.Token).GetAsyncEnumerator(cts.Token);
        var otherHeard = other.MoveNextAsync().AsTask();
        var first = await Scan(app);
        Assert.True(await heard);
        Assert.Equal(("tally-anomalies:16.71", "changed"), (province.Current.Topic, province.Current.Type));
        await Task.Delay(200, TestContext.Current.CancellationToken);
        Assert.False(otherHeard.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => otherHeard);
        await other.DisposeAsync();
        Assert.Equal(1, first.Entries);
        Assert.True(first.Opened >= 1);
        var page = await List(bawaslu, "code=LARGE_CHANGE&contest=" + Gub);
        Assert.Equal(1, page.GetProperty("total").GetInt32());
        var item = page.GetProperty("items")[0];
        Assert.Equal(tps, item.GetProperty("subject").GetString());
        Assert.Equal("open", item.GetProperty("status").GetString());
        var reason = item.GetProperty("reasonId").GetString()!;
        Assert.Contains("120 → 200", reason);
        Assert.Contains("salah hitung", reason);
        Assert.Contains("versi 1 ke versi 2", reason);
        Assert.Contains("120 → 200", item.GetProperty("reasonEn").GetString());
        Assert.Equal($"/api/tally/tps/{tps}/{Gub}/history", item.GetProperty("historyUrl").GetString());
        var id = item.GetProperty("id").GetInt64();

        // Idempotent and incremental: a second scan has nothing to do and creates nothing.
        var rows = await AnomalyRows(app);
        var again = await Scan(app);
        Assert.Equal(0, again.Entries);
        Assert.Equal(0, again.Opened + again.Updated + again.Reopened + again.Resolved);
        Assert.Equal(rows, await AnomalyRows(app));
        await using (var db = app.NewDbContext())
        {
            var head = await db.TallyLog.MaxAsync(e => e.Seq);
            var state = await db.TallyAnomalyScanStates.SingleAsync();
            Assert.Equal(head, state.LastSeq);
            Assert.Equal("", state.Dirty);
        }

        // Dismiss needs a reason (problem details), then works and is kept in the history.
        var bad = await bawaslu.PostAsJsonAsync($"/api/tally/anomalies/{id}/dismiss", new { reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        var empty = await bawaslu.PostAsync($"/api/tally/anomalies/{id}/dismiss", null);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        var ok = await bawaslu.PostAsJsonAsync($"/api/tally/anomalies/{id}/dismiss", new { reason = "berita acara pleno PPK dilampirkan" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("dismissed", (await ok.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await bawaslu.PostAsync($"/api/tally/anomalies/{id}/acknowledge", null)).StatusCode);
        await Scan(app);
        Assert.Equal("dismissed", (await bawaslu.GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/{id}")).GetProperty("anomaly").GetProperty("status").GetString());
        await using (var db = app.NewDbContext())
        {
            Assert.Contains(await db.AuditEntries.Select(e => e.EntityType).ToListAsync(), t => t.Contains(nameof(TallyAnomaly)));
        }

        // A new version with another large change reopens it (same row, no duplicate).
        await Correct(kpps, TallySheets.Valid(Gub, tps, 100, 100, 40), "hitung ulang");
        var third = await Scan(app);
        Assert.Equal(1, third.Reopened);
        var detail = await bawaslu.GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/{id}");
        Assert.Equal("open", detail.GetProperty("anomaly").GetProperty("status").GetString());
        Assert.Equal(3, detail.GetProperty("anomaly").GetProperty("versionNo").GetInt32());
        Assert.Contains("versi 2 ke versi 3", detail.GetProperty("anomaly").GetProperty("reasonId").GetString());
        var history = detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()).ToList();
        Assert.Equal(["open", "dismissed", "open"], history);
        Assert.Equal(1, (await List(bawaslu, "code=LARGE_CHANGE")).GetProperty("total").GetInt32());

        // Acknowledge, escalate; CSV export; public markers without private data.
        Assert.Equal(HttpStatusCode.OK, (await bawaslu.PostAsync($"/api/tally/anomalies/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bawaslu.PostAsJsonAsync($"/api/tally/anomalies/{id}/escalate", new { note = "ke Bawaslu provinsi" })).StatusCode);
        var csv = await bawaslu.GetAsync("/api/tally/anomalies/export.csv?code=LARGE_CHANGE");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var csvText = await csv.Content.ReadAsStringAsync();
        Assert.Contains("LARGE_CHANGE", csvText);
        Assert.Contains("escalated", csvText);
        Assert.Contains("versi 2 ke versi 3", csvText);

        var anon = app.AnonymousClient();
        var markers = await anon.GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/markers/{Gub}/16");
        var palembang = markers.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "16.71");
        Assert.Equal(1, palembang.GetProperty("count").GetInt32());
        Assert.Equal(0, palembang.GetProperty("high").GetInt32()); // explained change: medium
        var rawMarkers = await anon.GetStringAsync($"/api/tally/anomalies/markers/{Gub}/{desa}");
        Assert.Contains(tps, rawMarkers);
        Assert.DoesNotContain("salah", rawMarkers);
        Assert.DoesNotContain("bawaslu", rawMarkers, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await anon.GetAsync("/api/tally/anomalies/markers/NOPE/16")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Scan_reads_without_blocking_writers_and_a_triage_made_meanwhile_is_kept(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var two = await TpsIn(app, "16.71.01", 2);
        var (tps, desa) = two[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        var other = await app.ClientForAsync(Role.KppsOperator, two[1].Desa);
        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        await Submit(kpps, TallySheets.Valid(Gub, tps, 120, 80, 40));
        await Correct(kpps, TallySheets.Valid(Gub, tps, 200, 20, 20), "salah hitung");
        await Scan(app);
        var id = (await List(bawaslu, "code=LARGE_CHANGE")).GetProperty("items")[0].GetProperty("id").GetInt64();

        // v3 changes the totals again. While the scan has read v3 and decided to update the anomaly, but before it saves, a sheet
        // of another TPS is accepted (on SQLite that needs the write lock: a scan holding it would make this wait and time out)
        // and Bawaslu dismisses the anomaly (its version changes under the scan).
        await Correct(kpps, TallySheets.Valid(Gub, tps, 100, 100, 40), "hitung ulang");
        var scanner = app.Services.GetRequiredService<AnomalyScanner>();
        var calls = 0;
        scanner.WhileReading = async () =>
        {
            if (calls++ > 0) return;
            var started = System.Diagnostics.Stopwatch.StartNew();
            await Submit(other, TallySheets.Valid(Gub, two[1].Code, 110, 90, 50));
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"a sheet waited {started.Elapsed} for the scan");
            var dismissed = await bawaslu.PostAsJsonAsync($"/api/tally/anomalies/{id}/dismiss", new { reason = "sudah dicek di pleno" });
            Assert.Equal(HttpStatusCode.OK, dismissed.StatusCode);
        };
        var result = await scanner.ScanAsync();
        scanner.WhileReading = null;

        // The save failed on the changed anomaly and the unit ran again on fresh data: the dismissal is in the history, then the
        // new version reopens it, exactly once; and the scan did not lose its place or skip the sheet accepted meanwhile.
        Assert.True(calls >= 3, $"the hook ran {calls} times"); // the first batch twice, then the (empty) next batch
        Assert.Equal(1, result.Reopened);
        var detail = await bawaslu.GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/{id}");
        Assert.Equal("open", detail.GetProperty("anomaly").GetProperty("status").GetString());
        Assert.Equal(3, detail.GetProperty("anomaly").GetProperty("versionNo").GetInt32());
        Assert.Equal(["open", "dismissed", "open"], detail.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("to").GetString()).ToList());
        Assert.Equal(2, result.Entries); // the rerun read the sheet accepted meanwhile as well
        Assert.Equal(0, (await Scan(app)).Entries);
        await using var db = app.NewDbContext();
        Assert.Equal(await db.TallyLog.MaxAsync(e => e.Seq), (await db.TallyAnomalyScanStates.SingleAsync()).LastSeq);
        Assert.Equal(1, await db.TallyAnomalies.CountAsync(a => a.Code == AnomalyCodes.LargeChange));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Queue_is_scope_limited(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        await Submit(kpps, TallySheets.Valid(Gub, tps, 120, 80, 40));
        await Correct(kpps, TallySheets.Valid(Gub, tps, 200, 20, 20), "salah hitung");
        await Scan(app);
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var id = (await List(desk, "")).GetProperty("items")[0].GetProperty("id").GetInt64();

        var anon = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/api/tally/anomalies")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PostAsync($"/api/tally/anomalies/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.GetAsync("/api/tally/anomalies")).StatusCode); // role not in the queue

        var other = await app.ClientForAsync(Role.Panwascam, "16.10.01");
        var outOfScope = await other.GetAsync("/api/tally/anomalies?region=16.71");
        Assert.Equal(HttpStatusCode.Forbidden, outOfScope.StatusCode);
        Assert.Equal("application/problem+json", outOfScope.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, (await List(other, "")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/tally/anomalies/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/tally/anomalies/{id}/dismiss", new { reason = "bukan urusan saya" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/tally/anomalies/export.csv?region=16.71")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await desk.GetAsync("/api/tally/anomalies?status=nonsense")).StatusCode);

        var inScope = await app.ClientForAsync(Role.Panwascam, "16.71.01");
        Assert.Equal(1, (await List(inScope, "region=16.71.01&status=open&severity=medium")).GetProperty("total").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await inScope.PostAsync($"/api/tally/anomalies/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(0, (await List(inScope, "status=open")).GetProperty("total").GetInt32());
        Assert.Equal(1, (await List(inScope, "status=active")).GetProperty("total").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Same_photo_at_two_TPS_is_flagged_at_both(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var two = await TpsIn(app, "16.71.02", 2);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");
        using var form = new MultipartFormDataContent();
        var bytes = new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4, 5, 6, 7, 8 };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        form.Add(file, "photo", "c-hasil.jpg");
        var up = await kpu.PostAsync("/api/tally/photos", form);
        Assert.Equal(HttpStatusCode.Created, up.StatusCode);
        var photoId = (await up.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        await Submit(kpu, TallySheets.Valid(Gub, two[0].Code, 100, 90, 50), photoId);
        await Scan(app);
        Assert.Equal(0, (await List(kpu, "code=PHOTO_REUSED")).GetProperty("total").GetInt32());
        await Submit(kpu, TallySheets.Valid(Gub, two[1].Code, 101, 91, 51), photoId);
        await Scan(app);
        var items = (await List(kpu, "code=PHOTO_REUSED")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(new[] { two[0].Code, two[1].Code }.Order(), items.Select(i => i.GetProperty("subject").GetString()!).Order());
        Assert.Contains(items, i => i.GetProperty("reasonId").GetString()!.Contains(two[1].Code));
        await Scan(app);
        Assert.Equal(2, (await List(kpu, "code=PHOTO_REUSED")).GetProperty("total").GetInt32());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Near_100_percent_opens_and_a_corrected_version_resolves_it(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        await using (var db0 = app.NewDbContext())
        {
            var big = await db0.Tps.Where(t => t.KabKotaCode == "16.71" && t.Dpt >= 300).OrderBy(t => t.Code).Select(t => new { t.Code, t.DesaCode }).FirstAsync();
            var kpps = await app.ClientForAsync(Role.KppsOperator, big.DesaCode);
            await Submit(kpps, TallySheets.Valid(Gub, big.Code, new Dictionary<int, long> { [1] = 250, [2] = 2, [3] = 1 }, dpt: 300));
            await Scan(app);
            var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16");
            var item = (await List(bawaslu, "code=PASLON_NEAR_ALL")).GetProperty("items")[0];
            Assert.Equal("high", item.GetProperty("severity").GetString());
            Assert.Contains("98,8%", item.GetProperty("reasonId").GetString());
            Assert.Contains("250 dari 253", item.GetProperty("reasonId").GetString());

            await Correct(kpps, TallySheets.Valid(Gub, big.Code, new Dictionary<int, long> { [1] = 150, [2] = 62, [3] = 41 }, dpt: 300), "salah tulis");
            await Scan(app);
            var after = await bawaslu.GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/{item.GetProperty("id").GetInt64()}");
            Assert.Equal("resolved", after.GetProperty("anomaly").GetProperty("status").GetString());
            Assert.Equal(1, (await List(bawaslu, "code=LARGE_CHANGE&status=open")).GetProperty("total").GetInt32());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Aggregate_tests_run_for_the_touched_kabkota(DatabaseProvider provider)
    {
        await using var app = await Start(provider);
        var tps = await TpsIn(app, "16.71.", 40);
        var kpu = await app.ClientForAsync(Role.KpuOperator, "16.71");
        var rng = new Random(3);
        // Fabricated: every count ends in 0 or 5.
        var sheets = tps.Select(t => TallySheets.ToJson(TallySheets.Valid(Gub, t.Code, new Dictionary<int, long> { [1] = 5L * rng.Next(10, 25), [2] = 5L * rng.Next(5, 15), [3] = 5L * rng.Next(2, 10) }, dpt: 300))).ToList();
        var res = await kpu.PostAsJsonAsync("/api/tally/batch", sheets);
        Assert.Equal(HttpStatusCode.OK, res.StatusCode);
        Assert.Equal(40, (await res.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var scan = await Scan(app);
        Assert.Equal(40, scan.CountedSheets);
        Assert.Equal(1, scan.AreasRecomputed);
        var ld = (await List(kpu, "code=LAST_DIGIT")).GetProperty("items");
        Assert.Equal(1, ld.GetArrayLength());
        Assert.Equal("16.71", ld[0].GetProperty("subject").GetString());
        Assert.Equal("low", ld[0].GetProperty("severity").GetString());
        Assert.Contains("Sinyal lemah", ld[0].GetProperty("reasonId").GetString());
        Assert.Equal(0, (await Scan(app)).AreasRecomputed);
        // Kab/kota markers count the kab/kota-level finding for the kab/kota itself.
        var markers = await app.AnonymousClient().GetFromJsonAsync<JsonElement>($"/api/tally/anomalies/markers/{Gub}/16.71");
        Assert.Equal(1, markers.GetProperty("self").GetProperty("count").GetInt32());
        // A kecamatan-scoped user does not see the kab/kota-level finding.
        var panwascam = await app.ClientForAsync(Role.Panwascam, tps[0].Desa[..8]);
        Assert.Equal(0, (await List(panwascam, "code=LAST_DIGIT")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Anomaly_page_lists_reasons_and_needs_a_queue_role()
    {
        await using var app = await Start(DatabaseProvider.Sqlite);
        var (tps, desa) = (await TpsIn(app, "16.71.01", 1))[0];
        var kpps = await app.ClientForAsync(Role.KppsOperator, desa);
        await Submit(kpps, TallySheets.Valid(Gub, tps, 120, 80, 40));
        await Correct(kpps, TallySheets.Valid(Gub, tps, 200, 20, 20), "salah hitung");
        await Scan(app);
        var anon = app.AnonymousClient();
        var redirect = await anon.GetAsync("/anomali");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        var html = WebUtility.HtmlDecode(await bawaslu.GetStringAsync("/anomali"));
        Assert.Contains("120 → 200", html);
        Assert.Contains($"/api/tally/tps/{tps}/{Gub}/history", html);
        Assert.Contains("value=\"dismiss\"", html);
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("style=\"", html);
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.GetAsync("/anomali")).StatusCode);
        // The public results page loads the marker script, which reads the public markers API.
        Assert.Contains("/js/anomali-markers.js", await anon.GetStringAsync($"/hasil/{Gub}/16"));
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/js/anomali-markers.js")).StatusCode);
    }
}
