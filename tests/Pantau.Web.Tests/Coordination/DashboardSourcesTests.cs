using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally.Anomalies;

namespace Pantau.Web.Tests.Coordination;

/// <summary>
/// The Desk dashboard's readiness, incident, kerawanan and vote-count numbers equal what the Readiness, Incidents and Anomaly modules'
/// own list endpoints return for the same region, and every number links to the list filtered to exactly what it counts.
/// Data is seeded through the public APIs (and the anomaly scanner service), for the province and one kab/kota.
/// </summary>
public class DashboardSourcesTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;
    private const string Gub = "PILGUB-16";

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{res.RequestMessage?.RequestUri}: {(int)res.StatusCode} {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static object Incident(string region, string severity, string title) => new
    {
        category = "SecurityIncident", regionCode = region, title, severity,
        description = "Laporan uji dasbor: keributan kecil di sekitar lokasi TPS, dicatat petugas.",
    };

    private static async Task Stored(HttpResponseMessage res) =>
        Assert.True(res.IsSuccessStatusCode, $"{res.RequestMessage?.RequestUri}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");

    /// <summary>The API behind a page link: same query, the module's list endpoint.</summary>
    private static string Api(string href, string pagePath, string apiPath)
    {
        Assert.StartsWith(pagePath + "?", href);
        return apiPath + href[pagePath.Length..].Split('#')[0];
    }

    private static async Task SeedAsync(PantauApp app)
    {
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        // Readiness: some tasks done, some in progress or blocked, in two kab/kota (the rest are virtual "not started", many already late).
        foreach (var (template, subject, status) in new[]
        {
            ("kk-gudang", "16.71", "Done"), ("kk-sortir-lipat", "16.71", "InProgress"), ("kec-gudang-ppk", "16.71.01", "Done"),
            ("kk-gudang", "16.04", "Done"), ("kec-gudang-ppk", "16.04.01", "Blocked"), ("kk-jaringan-rekap", "16.04", "Done"),
        })
            await Json(await desk.PutAsJsonAsync($"/api/readiness/tasks/{template}/{subject}", new { status, note = "uji dasbor" }));

        // Incidents of every severity; some verified (they feed kerawanan), one closed and one rejected (no longer open).
        var ids = new List<(string Id, string Region)>();
        foreach (var (region, severity) in new[]
        {
            ("16.71.01", "Critical"), ("16.71.01", "High"), ("16.71.02", "High"), ("16.71", "Medium"), ("16.71.03", "Low"),
            ("16.04.01", "Critical"), ("16.04.06", "Medium"), ("16.10", "High"), ("16.71.01", "Low"),
        })
        {
            var created = await Json(await desk.PostAsJsonAsync("/api/incidents", Incident(region, severity, $"Insiden {severity} di {region}")), HttpStatusCode.Created);
            ids.Add((created.GetProperty("id").GetString()!, region));
        }
        async Task Act(int i, object body) => await Json(await desk.PostAsJsonAsync($"/api/incidents/{ids[i].Id}/transition", body));
        await Act(0, new { action = "Verify", note = "Dicek" });
        await Act(1, new { action = "Verify", note = "Dicek" });
        await Act(5, new { action = "Verify", note = "Dicek" });
        await Act(4, new { action = "Reject", rejectReason = "Duplicate", note = "Ganda" });
        await Act(8, new { action = "Verify", note = "Dicek" });
        await Act(8, new { action = "Refer", agency = "Police", note = "Ke Polsek" });
        await Act(8, new { action = "RecordAction", note = "Ditangani" });
        await Act(8, new { action = "Close", note = "Selesai" });

        // TPS-rawan variables on a few TPS in 16.71.01.
        List<(string Code, string Desa)> tps;
        await using (var db = app.NewDbContext())
            tps = (await db.Tps.Where(t => t.DesaCode.StartsWith("16.71.01.")).OrderBy(t => t.Code).Take(6).Select(t => new { t.Code, t.DesaCode }).ToListAsync())
                .Select(t => (t.Code, t.DesaCode)).ToList();
        foreach (var (code, _) in tps.Take(3))
            await Json(await desk.PutAsJsonAsync($"/api/kerawanan/tps/{code}", new { variables = new[] { "Security", "MoneyPolitics", "SaraHateSpeech", "Logistics" }, note = "uji" }));

        // Vote count: accepted sheets, a flagged one (queue), a near-100% one and a large correction (anomalies), then a scan.
        for (var i = 0; i < tps.Count; i++)
        {
            var (code, desa) = tps[i];
            var kpps = await app.ClientForAsync(Role.PpsOperator, desa);
            var sheet = i switch
            {
                0 => TallySheets.Valid(Gub, code, new Dictionary<int, long> { [1] = 250, [2] = 2, [3] = 1 }, dpt: 300),
                1 => TallySheets.Valid(Gub, code, 120, 80, 40) with { SuaraSah = 241 },
                _ => TallySheets.Valid(Gub, code, 100 + i, 80, 40),
            };
            await Stored(await kpps.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(sheet)));
            if (i == 2)
                await Stored(await kpps.PostAsJsonAsync($"/api/tally/tps/{code}/{Gub}/corrections", TallySheets.ToJson(TallySheets.Valid(Gub, code, 200, 20, 20), reason: "salah hitung")));
        }
        await app.Services.GetRequiredService<AnomalyScanner>().ScanAsync();
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Readiness_incident_kerawanan_and_anomaly_numbers_equal_the_module_lists_they_link_to(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:RunJobs"] = "false" });
        await SeedAsync(app);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");

        foreach (var region in new[] { "16", "16.71" })
        {
            var d = await desk.GetFromJsonAsync<DashboardDto>($"/api/coordination/dashboard?region={region}", CoordinationTests.J);
            Assert.NotNull(d);
            var html = await desk.GetStringAsync($"/koordinasi?region={region}");
            string Kpi(string name) => Regex.Match(html, $"data-kpi=\"{Regex.Escape(name)}\"><b>([^<]*)</b>").Groups[1].Value;
            string Href(string name) => WebUtility.HtmlDecode(Regex.Match(html, $"href=\"([^\"]*)\" data-kpi=\"{Regex.Escape(name)}\"").Groups[1].Value);

            // Readiness: score and late tasks = /api/readiness/summary; late = the total of /api/readiness/late; links to /kesiapan/{region}.
            var r = d!.Readiness!;
            var summary = await Json(await desk.GetAsync($"/api/readiness/summary?region={region}"));
            Assert.Equal(summary.GetProperty("score").GetDouble(), r.Score, 6);
            Assert.Equal(summary.GetProperty("late").GetInt64(), r.LateTasks);
            Assert.True(r.LateTasks > 0, "the seed leaves late tasks");
            var late = await Json(await desk.GetAsync($"/api/readiness/late?region={region}&limit=5000"));
            Assert.Equal(r.LateTasks, late.GetProperty("total").GetInt64());
            Assert.Equal(r.LateTasks, late.GetProperty("items").EnumerateArray().Sum(i => i.GetProperty("count").GetInt64()));
            Assert.All(late.GetProperty("items").EnumerateArray(), i => Assert.Equal("Late", i.GetProperty("timeliness").GetString()));
            Assert.Equal($"/kesiapan/{region}", r.Href);
            Assert.Equal($"/kesiapan/{region}#terlambat", r.LateHref);
            Assert.Equal(r.LateHref, Href("late-tasks"));
            var readinessPage = await desk.GetStringAsync(r.LateHref);
            Assert.Contains($"id=\"terlambat\"", readinessPage);
            Assert.Contains($"data-count=\"late-list\">{Num(r.LateTasks)}<", readinessPage);
            Assert.Contains($"data-count=\"late\">{Num(r.LateTasks)}<", readinessPage);
            foreach (var child in d.Children.Where(c => c.Code is "16.71" or "16.04" or "16.71.01"))
            {
                var cs = await Json(await desk.GetAsync($"/api/readiness/summary?region={child.Code}"));
                Assert.Equal(cs.GetProperty("score").GetDouble(), child.ReadinessScore!.Value, 6);
                Assert.Equal((int)cs.GetProperty("late").GetInt64(), child.ReadinessLate!.Value);
            }

            // Incidents: open per severity = /api/incidents?region=&open=true&severity=; the link is that filtered list.
            var inc = d.Incidents!;
            var open = (await Json(await desk.GetAsync($"/api/incidents?region={region}&open=true"))).EnumerateArray().ToList();
            Assert.Equal(open.Count, inc.OpenTotal);
            Assert.Equal(region == "16" ? 7 : 4, inc.OpenTotal); // 9 reported, one rejected, one closed (16.71: 6 − 2)
            Assert.Equal(4, inc.OpenBySeverity.Count);
            foreach (var s in inc.OpenBySeverity)
            {
                Assert.Equal($"/insiden?region={region}&open=true&severity={s.Severity}", s.Href);
                Assert.Equal(s.Href, Href("incidents-" + s.Severity));
                Assert.Equal(Num(s.Count), Kpi("incidents-" + s.Severity));
                var listed = (await Json(await desk.GetAsync(Api(s.Href, "/insiden", "/api/incidents")))).EnumerateArray().ToList();
                Assert.Equal(s.Count, listed.Count);
                Assert.All(listed, i => Assert.Equal(s.Severity, SeverityName(i)));
                Assert.Equal(open.Count(i => SeverityName(i) == s.Severity), s.Count);
                var page = await desk.GetStringAsync(s.Href);
                Assert.Equal(s.Count, Regex.Matches(page, "<a href=\"/insiden/[0-9a-f-]{36}\">").Count);
            }
            Assert.Equal(region == "16" ? 2 : 1, inc.OpenBySeverity.Single(s => s.Severity == "Critical").Count);
            foreach (var child in d.Children.Where(c => c.OpenIncidents > 0))
                Assert.Equal(child.OpenIncidents, (await Json(await desk.GetAsync($"/api/incidents?region={child.Code}&open=true"))).GetArrayLength());
            Assert.Equal(open.Count(i => i.GetProperty("regionCode").GetString() != region), d.Children.Sum(c => c.OpenIncidents ?? 0));

            // Kerawanan: bands of the child regions = /api/kerawanan?parent=; each band links to the page filtered to it.
            var k = d.Kerawanan!;
            var scores = (await Json(await desk.GetAsync($"/api/kerawanan?parent={region}"))).EnumerateArray().ToList();
            Assert.Equal(d.Children.Count, scores.Count);
            foreach (var (band, count, href) in new[] { ("High", k.HighCount, k.HighHref!), ("Medium", k.MediumCount, k.MediumHref!), ("Low", k.LowCount, k.LowHref!) })
            {
                Assert.Equal(scores.Count(s => BandName(s) == band), count);
                // The link names the election the dashboard shows, so the list is that election's (its IKP edition).
                Assert.Equal($"/kerawanan?parent={region}&election={d.ElectionCode}&band={band}", href);
                Assert.Equal(href, Href("kerawanan-" + band.ToLowerInvariant()));
                Assert.Equal(count, (await Json(await desk.GetAsync(Api(href, "/kerawanan", "/api/kerawanan")))).GetArrayLength());
                var page = await desk.GetStringAsync(href);
                Assert.Equal(count, Regex.Matches(page, "<tr data-code=").Count);
            }
            Assert.Equal(d.Children.Count, k.HighCount + k.MediumCount + k.LowCount);

            // Vote count: active anomalies = /api/tally/anomalies?region=&status=active (page /anomali with the same query);
            // TPS awaiting a decision = the adjudication queue of the region (/hasil/antrean?region=).
            var t = d.Tally!;
            Assert.Equal($"/anomali?region={region}&status=active", t.AnomaliesHref);
            Assert.Equal(t.AnomaliesHref, Href("anomalies"));
            var anomalies = await Json(await desk.GetAsync(Api(t.AnomaliesHref, "/anomali", "/api/tally/anomalies")));
            Assert.Equal(anomalies.GetProperty("total").GetInt32(), t.Anomalies);
            Assert.True(t.Anomalies >= 2, $"the seed opens anomalies, got {t.Anomalies}");
            var anomalyPage = await desk.GetStringAsync(t.AnomaliesHref);
            Assert.Equal(Math.Min(50, t.Anomalies), Regex.Matches(anomalyPage, "<li class=\"card anomaly ").Count);
            var queue = (await Json(await desk.GetAsync($"/api/tally/queue?contest={Gub}"))).EnumerateArray()
                .Count(q => q.GetProperty("tps").GetString()!.StartsWith(region.Replace(".", ""), StringComparison.Ordinal));
            Assert.Equal(queue, t.NeedsReview);
            Assert.Equal(1, t.NeedsReview);
            Assert.Equal($"/hasil/antrean?region={region}", t.ReviewHref);
            Assert.Equal(t.NeedsReview, Regex.Matches(await desk.GetStringAsync(t.ReviewHref!), "<section class=\"queue-item\"").Count);
            Assert.Equal(Num(t.Anomalies), Kpi("anomalies"));
        }

        // Another kab/kota's numbers do not leak into 16.71, and a kab/kota's queue page is empty when it has nothing.
        var lahat = await desk.GetFromJsonAsync<DashboardDto>("/api/coordination/dashboard?region=16.04", CoordinationTests.J);
        Assert.Equal(2, lahat!.Incidents!.OpenTotal);
        Assert.Equal(0, lahat.Tally!.Anomalies);
        Assert.Contains("id=\"queue-empty\"", await desk.GetStringAsync(lahat.Tally.ReviewHref!));
    }

    private static string Num(long n) => Pantau.Web.Infrastructure.Lang.N(n);

    private static string SeverityName(JsonElement i)
    {
        var v = i.GetProperty("severity");
        return v.ValueKind == JsonValueKind.Number ? ((Pantau.Core.Incidents.Severity)v.GetInt32()).ToString() : v.GetString()!;
    }

    private static string BandName(JsonElement s)
    {
        var v = s.GetProperty("band");
        return v.ValueKind == JsonValueKind.Number ? ((Pantau.Core.Incidents.KerawananBand)v.GetInt32()).ToString() : v.GetString()!;
    }
}
