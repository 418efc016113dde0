using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

public class ReadinessTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static DateTimeOffset Wib(int month, int day, int hour = 9) => new DateTimeOffset(2024, month, day, hour, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();

    /// <summary>A desa with at least two TPS, its kecamatan and kab/kota, and a kecamatan of another kab/kota.</summary>
    private sealed record Place(string Kab, string Kec, string Desa, string Tps, string OtherDesaSameKec, string OtherKabKec, string[] Contests);

    private static async Task<Place> PlaceAsync(PantauApp app)
    {
        await using var db = app.NewDbContext();
        var desa = await db.Tps.Where(t => t.KabKotaCode == "16.71").GroupBy(t => t.DesaCode).Where(g => g.Count() >= 2).Select(g => g.Key).OrderBy(k => k).FirstAsync();
        var tps = await db.Tps.Where(t => t.DesaCode == desa).OrderBy(t => t.Number).Select(t => t.Code).FirstAsync();
        var kec = desa[..8];
        var other = await db.Regions.Where(r => r.ParentCode == kec && r.Code != desa).OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();
        var otherKabKec = await db.Regions.Where(r => r.Level == Core.Regions.RegionLevel.Kecamatan && r.ParentCode == "16.01").OrderBy(r => r.Code).Select(r => r.Code).FirstAsync();
        var contests = await db.Contests.Where(c => c.RegionCode == "16" || c.RegionCode == "16.71").OrderBy(c => c.Code).Select(c => c.Code).ToArrayAsync();
        return new Place("16.71", kec, desa, tps, other, otherKabKec, contests);
    }

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

    [Theory, MemberData(nameof(Providers))]
    public async Task Anonymous_callers_get_401_and_out_of_scope_changes_403(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var p = await PlaceAsync(app);
        var anon = app.AnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.GetAsync("/api/readiness/summary?region=16")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anon.PutAsJsonAsync($"/api/readiness/tasks/tps-listrik/{p.Tps}", new { status = "Done" })).StatusCode);

        var pps = await app.ClientForAsync(Role.PpsOperator, p.Desa);
        await Json(await pps.PutAsJsonAsync($"/api/readiness/tasks/tps-listrik/{p.Tps}", new { status = "Done", note = "PLN sambung" }), HttpStatusCode.OK);
        var otherDesa = await pps.PutAsJsonAsync($"/api/readiness/tasks/desa-logistik-pps/{p.OtherDesaSameKec}", new { status = "Done" });
        await Problem(otherDesa, HttpStatusCode.Forbidden);
        var kab = await pps.PutAsJsonAsync($"/api/readiness/tasks/kk-gudang/{p.Kab}", new { status = "Done" });
        await Problem(kab, HttpStatusCode.Forbidden);

        var police = await app.ClientForAsync(Role.Police, "16");
        Assert.Equal(HttpStatusCode.Forbidden, (await police.PutAsJsonAsync($"/api/readiness/tasks/tps-listrik/{p.Tps}", new { status = "Done" })).StatusCode);
        // ...but may read.
        await Json(await police.GetAsync("/api/readiness/summary?region=16"), HttpStatusCode.OK);

        var camat = await app.ClientForAsync(Role.Camat, p.Kec);
        Assert.Equal(HttpStatusCode.Forbidden, (await camat.GetAsync("/api/readiness/logistics/handovers?region=16.71")).StatusCode);
        await Json(await camat.GetAsync($"/api/readiness/logistics/handovers?region={p.Kec}"), HttpStatusCode.OK);

        var deskKab = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        await Problem(await deskKab.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", new { start = "2024-11-24", end = "2024-11-26" }), HttpStatusCode.Forbidden);
    }

    [Fact]
    public void A_live_topic_of_a_region_reaches_subscribers_of_its_ancestors_only()
    {
        Assert.True(LiveHub.Matches(new HashSet<string> { "incidents:16" }, "incidents:16.71"));
        Assert.True(LiveHub.Matches(new HashSet<string> { "incidents" }, "incidents:16.71"));
        Assert.True(LiveHub.Matches(new HashSet<string> { "readiness:16.71" }, "readiness:16.71.01.1001"));
        Assert.True(LiveHub.Matches(new HashSet<string> { "*" }, "readiness:15"));
        Assert.False(LiveHub.Matches(new HashSet<string> { "incidents:15" }, "incidents:16.71"));
        Assert.False(LiveHub.Matches(new HashSet<string> { "incidents:1" }, "incidents:16.71")); // a code prefix is not an ancestor
        Assert.False(LiveHub.Matches(new HashSet<string> { "incidents:16.71" }, "incidents:16")); // nor a descendant
        Assert.False(LiveHub.Matches(new HashSet<string> { "readiness:16" }, "readiness:schedule"));
        Assert.False(LiveHub.Matches(new HashSet<string> { "tally" }, "tally-anomalies"));

        // Incident events name their kab/kota; a region listens where its incidents arrive.
        Assert.Equal("incidents", Pantau.Web.Incidents.IncidentService.TopicFor(""));
        Assert.Equal("incidents:16", Pantau.Web.Incidents.IncidentService.TopicFor("16"));
        Assert.Equal("incidents:16.71", Pantau.Web.Incidents.IncidentService.TopicFor("16.71"));
        Assert.Equal("incidents:16.71", Pantau.Web.Incidents.IncidentService.TopicFor("16.71.04.1001"));

        // A Desk change is published once, at the deepest dashboard level; the ancestors' dashboards get it by matching (not twice).
        Assert.Equal(["desk:16.71.04"], Pantau.Web.Coordination.DeskEvents.Topics(["16.71.04.1001"]));
        Assert.Equal(["desk:16.71.04"], Pantau.Web.Coordination.DeskEvents.Topics(["16.71", "16.71.04.1001", "16.71.04"]));
        Assert.Equal(["desk:16.71", "desk:16.04"], Pantau.Web.Coordination.DeskEvents.Topics(["16.71", "16.04"]));
        Assert.Single(Pantau.Web.Coordination.DeskEvents.Topics(["16.71.04"]), t => LiveHub.Matches(new HashSet<string> { "desk:16" }, t));
    }

    [Fact]
    public async Task A_province_dashboard_is_told_of_its_own_province_only()
    {
        await using var app = await PantauApp.StartAsync();
        var p = await PlaceAsync(app);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var page = await desk.GetStringAsync("/koordinasi?region=16");
        var attr = System.Text.RegularExpressions.Regex.Match(page, "id=\"dash-live\" data-live-topics=\"([^\"]+)\"");
        Assert.True(attr.Success, "the dashboard names its live topics");
        var topics = System.Net.WebUtility.HtmlDecode(attr.Groups[1].Value).Split(',').ToHashSet();
        Assert.DoesNotContain("incidents", topics); // not every incident of the country
        Assert.DoesNotContain("readiness", topics);
        Assert.True(LiveHub.Matches(topics, "incidents:16.71"));
        Assert.False(LiveHub.Matches(topics, "incidents:15.01"));
        Assert.False(LiveHub.Matches(topics, "readiness:15.01.01"));

        // The incident list of a province user listens to that province too.
        var list = await desk.GetStringAsync("/insiden");
        Assert.Contains("id=\"incident-list\" data-live-topics=\"incidents:16\"", list);

        // A real change in a kecamatan of the province reaches a subscription with the dashboard's topics.
        var hub = app.Services.GetRequiredService<ILiveUpdates>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var events = hub.SubscribeAsync(topics, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = events.MoveNextAsync();
        await hub.PublishAsync("readiness:15.01", "task", new { region = "15.01" }, cts.Token); // another province: not delivered
        await Json(await desk.PutAsJsonAsync($"/api/readiness/tasks/kec-gudang-ppk/{p.Kec}", new { status = "Done" }), HttpStatusCode.OK);
        Assert.True(await next);
        Assert.Equal(("readiness:" + p.Kec, "task"), (events.Current.Topic, events.Current.Type));
    }

    [Fact]
    public async Task In_a_deployment_of_several_provinces_only_a_national_scope_moves_the_shared_schedule()
    {
        await using var app = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:Provinces"] = "16,15" });
        var body = new { start = "2024-11-23", end = "2024-11-26" };
        var provinceDesk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        await Problem(await provinceDesk.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", body), HttpStatusCode.Forbidden);
        // The page offers no edit form to that Desk, and a posted form is refused too.
        var page = await provinceDesk.GetStringAsync("/kesiapan/tahapan");
        Assert.DoesNotContain("name=\"Start\"", page);

        var national = await app.ClientForAsync(Role.Admin, "");
        Assert.Contains("name=\"Start\"", await national.GetStringAsync("/kesiapan/tahapan"));
        var saved = await Json(await national.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", body), HttpStatusCode.OK);
        Assert.Equal("2024-11-23", saved.GetProperty("start").GetString());
        await using var db = app.NewDbContext();
        Assert.Equal(new DateOnly(2024, 11, 23), (await db.TahapanStages.SingleAsync(x => x.Code == "masa-tenang")).Start);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task What_is_late_why_and_who_owns_it_for_any_region_and_day(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 19));
        var p = await PlaceAsync(app);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");

        // 19 Nov (H-8): logistics at the PPK is due 20 Nov (H-7): at risk, not late.
        var tasks = await Json(await desk.GetAsync($"/api/readiness/tasks/{p.Kec}"), HttpStatusCode.OK);
        var ppk = tasks.EnumerateArray().Single(t => t.GetProperty("templateCode").GetString() == ReadinessTemplates.LogisticsAtPpk);
        Assert.Equal("2024-11-20", ppk.GetProperty("target").GetString());
        Assert.Equal("AtRisk", ppk.GetProperty("timeliness").GetString());

        // 21 Nov: late by one day, owned by KPU kab/kota, on the kab/kota critical list with the reason.
        app.Clock.SetUtcNow(Wib(11, 21));
        var critical = await Json(await desk.GetAsync($"/api/readiness/critical?region={p.Kab}&limit=1000"), HttpStatusCode.OK);
        var item = critical.EnumerateArray().Single(c => c.GetProperty("regionCode").GetString() == p.Kec && c.GetProperty("templateCode").GetString() == ReadinessTemplates.LogisticsAtPpk);
        Assert.Equal("Late", item.GetProperty("timeliness").GetString());
        Assert.Equal("KPU kab/kota", item.GetProperty("owner").GetString());
        Assert.Equal(1, item.GetProperty("daysLate").GetInt32());
        Assert.Contains("terlambat 1 hari", item.GetProperty("reasonId").GetString());
        // Worst first: days late never increase down the list among late items.
        var lateDays = critical.EnumerateArray().TakeWhile(c => c.GetProperty("timeliness").GetString() == "Late").Select(c => c.GetProperty("daysLate").GetInt32()).ToList();
        Assert.Equal(lateDays.OrderByDescending(x => x), lateDays);

        // Any day: asking about 19 Nov on 21 Nov gives the 19 Nov view.
        var past = await Json(await desk.GetAsync($"/api/readiness/critical?region={p.Kec}&on=2024-11-19&limit=1000"), HttpStatusCode.OK);
        Assert.Equal("AtRisk", past.EnumerateArray().Single(c => c.GetProperty("templateCode").GetString() == ReadinessTemplates.LogisticsAtPpk).GetProperty("timeliness").GetString());

        var before = await Json(await desk.GetAsync($"/api/readiness/summary?region={p.Kec}"), HttpStatusCode.OK);
        var kpu = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        await Json(await kpu.PutAsJsonAsync($"/api/readiness/tasks/{ReadinessTemplates.LogisticsAtPpk}/{p.Kec}", new { status = "Done" }), HttpStatusCode.OK);
        var after = await Json(await desk.GetAsync($"/api/readiness/summary?region={p.Kec}"), HttpStatusCode.OK);
        Assert.Equal(before.GetProperty("late").GetInt64() - 1, after.GetProperty("late").GetInt64());
        Assert.Equal(before.GetProperty("done").GetInt64() + 1, after.GetProperty("done").GetInt64());
        Assert.True(after.GetProperty("score").GetDouble() > before.GetProperty("score").GetDouble());
        critical = await Json(await desk.GetAsync($"/api/readiness/critical?region={p.Kab}&limit=1000"), HttpStatusCode.OK);
        Assert.DoesNotContain(critical.EnumerateArray(), c => c.GetProperty("regionCode").GetString() == p.Kec && c.GetProperty("templateCode").GetString() == ReadinessTemplates.LogisticsAtPpk);

        // Blocked TPS task: at risk before its target, its reason carries the note.
        var kpps = await app.ClientForAsync(Role.KppsOperator, p.Desa);
        await Problem(await kpps.PutAsJsonAsync($"/api/readiness/tasks/tps-lokasi/{p.Tps}", new { status = "Blocked" }), HttpStatusCode.BadRequest);
        await Json(await kpps.PutAsJsonAsync($"/api/readiness/tasks/tps-lokasi/{p.Tps}", new { status = "Blocked", note = "Tenda belum datang" }), HttpStatusCode.OK);
        var dash = await Json(await desk.GetAsync($"/api/readiness/regions/{p.Desa}"), HttpStatusCode.OK);
        var tpsRow = dash.GetProperty("tps").EnumerateArray().Single(t => t.GetProperty("tpsCode").GetString() == p.Tps);
        var lokasi = tpsRow.GetProperty("tasks").EnumerateArray().Single(t => t.GetProperty("templateCode").GetString() == "tps-lokasi");
        Assert.Equal("Blocked", lokasi.GetProperty("status").GetString());
        Assert.Equal("Tenda belum datang", lokasi.GetProperty("note").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Region_scores_roll_up_the_tree(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 22));
        var p = await PlaceAsync(app);
        var desk = await app.ClientForAsync(Role.DeskKabKota, p.Kab);
        await Json(await desk.PutAsJsonAsync($"/api/readiness/tasks/kec-gudang-ppk/{p.Kec}", new { status = "Done" }), HttpStatusCode.OK);
        await Json(await desk.PutAsJsonAsync($"/api/readiness/tasks/tps-sinyal/{p.Tps}", new { status = "InProgress" }), HttpStatusCode.OK);
        foreach (var code in new[] { "16", p.Kab, p.Kec, p.Desa })
        {
            var d = await Json(await desk.GetAsync($"/api/readiness/regions/{code}"), HttpStatusCode.OK);
            var s = d.GetProperty("summary");
            long own = d.GetProperty("tasks").GetArrayLength();
            long ownDone = d.GetProperty("tasks").EnumerateArray().Count(t => t.GetProperty("status").GetString() == "Done");
            if (code == p.Desa)
            {
                own += d.GetProperty("tps").EnumerateArray().Sum(t => t.GetProperty("total").GetInt64());
                ownDone += d.GetProperty("tps").EnumerateArray().Sum(t => t.GetProperty("done").GetInt64());
                Assert.Equal(0, d.GetProperty("children").GetArrayLength());
            }
            var children = d.GetProperty("children").EnumerateArray().ToList();
            Assert.Equal(s.GetProperty("total").GetInt64(), own + children.Sum(c => c.GetProperty("total").GetInt64()));
            Assert.Equal(s.GetProperty("done").GetInt64(), ownDone + children.Sum(c => c.GetProperty("done").GetInt64()));
            Assert.Equal(s.GetProperty("late").GetInt64(), children.Sum(c => c.GetProperty("late").GetInt64())
                + d.GetProperty("tasks").EnumerateArray().Count(t => t.GetProperty("timeliness").GetString() == "Late")
                + (code == p.Desa ? d.GetProperty("tps").EnumerateArray().Sum(t => t.GetProperty("late").GetInt64()) : 0));
        }
        // The province holds one task per template per region/TPS: 3 + 17×3 + 241×3 + 3,258×2 + 13,206×6.
        var prov = await Json(await desk.GetAsync("/api/readiness/summary?region=16"), HttpStatusCode.OK);
        Assert.Equal(3 + 17 * 3 + 241 * 3 + 3258 * 2 + 13206 * 6, prov.GetProperty("total").GetInt64());
        Assert.Equal(1, prov.GetProperty("done").GetInt64());

        var map = await Json(await desk.GetAsync("/api/readiness/map?region=16"), HttpStatusCode.OK);
        var items = map.GetProperty("items");
        Assert.Equal(17, items.EnumerateObject().Count());
        Assert.All(items.EnumerateObject(), i => Assert.Contains(i.Value.GetProperty("band").GetString(), new[] { "ok", "warn", "bad" }));
        Assert.Equal(3, map.GetProperty("legend").GetArrayLength());

        var xlsx = await desk.GetAsync($"/api/readiness/export.xlsx?region={p.Kab}");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        Assert.Equal("PK"u8.ToArray(), bytes[..2]);
        var csv = await desk.GetStringAsync($"/api/readiness/export.csv?region={p.Kab}");
        Assert.StartsWith("\uFEFFkode,wilayah,skor", csv);
        Assert.Contains(p.Kec, csv);
        var critCsv = await desk.GetStringAsync($"/api/readiness/export.csv?region={p.Kab}&table=critical");
        Assert.Contains(ReadinessTemplates.LogisticsAtPpk, critCsv);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Tahapan_is_seeded_once_and_edits_move_targets(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var t = await Json(await desk.GetAsync("/api/readiness/tahapan"), HttpStatusCode.OK);
        Assert.Equal("2024-11-20", t.GetProperty("today").GetString());
        Assert.Equal(Schedule.Pilkada2024.Count, t.GetProperty("stages").GetArrayLength());
        Assert.Equal(["kampanye", "masa-tenang", "pemungutan-suara"], t.GetProperty("dueSoon").EnumerateArray().Select(s => s.GetProperty("code").GetString()!).OrderBy(x => x).ToArray());
        Assert.Contains(t.GetProperty("tasksDueSoon").EnumerateArray(), x => x.GetProperty("code").GetString() == "kec-logistik-ppk");
        await Json(await desk.GetAsync("/api/readiness/tahapan"), HttpStatusCode.OK);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(Schedule.Pilkada2024.Count, await db.TahapanStages.CountAsync());
            Assert.Equal(ReadinessTemplates.Default.Count, await db.ReadinessTemplates.CountAsync());
        }

        await Problem(await desk.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", new { start = "2024-11-26", end = "2024-11-24" }), HttpStatusCode.BadRequest);
        await Problem(await desk.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", new { start = "2024-11-24", end = "2025-01-02" }), HttpStatusCode.BadRequest);
        await Problem(await desk.PutAsJsonAsync("/api/readiness/tahapan/nope", new { start = "2024-11-24", end = "2024-11-26" }), HttpStatusCode.NotFound);
        await Json(await desk.PutAsJsonAsync("/api/readiness/tahapan/masa-tenang", new { start = "2024-11-23", end = "2024-11-26" }), HttpStatusCode.OK);
        var templates = await Json(await desk.GetAsync("/api/readiness/templates"), HttpStatusCode.OK);
        Assert.Equal("2024-11-20", templates.EnumerateArray().Single(x => x.GetProperty("code").GetString() == "prov-rakor-pengamanan").GetProperty("target").GetString());
        await Problem(await desk.GetAsync("/api/readiness/summary?region=16&on=20-11-2024"), HttpStatusCode.BadRequest);
        await Problem(await desk.GetAsync("/api/readiness/summary?region=99.99"), HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Logistics_requirements_follow_dpt(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var p = await PlaceAsync(app);
        var client = await app.ClientForAsync(Role.Bawaslu, "16");
        var req = await Json(await client.GetAsync($"/api/readiness/logistics/requirements?region={p.Desa}"), HttpStatusCode.OK);
        await using var db = app.NewDbContext();
        var dpt = await db.Tps.Where(t => t.DesaCode == p.Desa).ToDictionaryAsync(t => t.Code, t => t.Dpt);
        Assert.Equal(2, p.Contests.Length);
        foreach (var row in req.GetProperty("children").EnumerateArray())
        {
            var d = dpt[row.GetProperty("code").GetString()!];
            foreach (var c in p.Contests)
                Assert.Equal((long)Math.Ceiling(d * 1.025m), row.GetProperty("items").GetProperty($"surat-suara:{c}").GetInt64());
            Assert.Equal(1, row.GetProperty("items").GetProperty($"kotak-suara:{p.Contests[1]}").GetInt64());
        }
        var prov = await Json(await client.GetAsync("/api/readiness/logistics/requirements?region=16"), HttpStatusCode.OK);
        Assert.Equal(13206, prov.GetProperty("tps").GetInt32());
        Assert.Equal(6382739, prov.GetProperty("dpt").GetInt64());
        Assert.Equal(13206, prov.GetProperty("total").GetProperty("kotak-suara:PILGUB-16").GetInt64());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Handovers_are_validated_and_discrepancies_detected(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 21, 10));
        var p = await PlaceAsync(app);
        var kpu = await app.ClientForAsync(Role.KpuOperator, p.Kab);
        var gub = $"surat-suara:{p.Contests[0]}";
        object Body(string from, string to, string at, long sent, long received, long damaged) => new
        {
            from, to, handedOverAt = at, handedOverBy = "Gudang KPU (Andi)", receivedBy = "Ketua PPK (Budi)", escortedBy = "Polsek",
            lines = new[] { new { item = gub, sent, received, damaged } },
        };
        const string at = "2024-11-19T10:00:00+07:00";

        var neg = await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, at, -5, 0, 0)), HttpStatusCode.BadRequest);
        Assert.True(neg.GetProperty("errors").TryGetProperty("lines[0]", out _));
        var outside = await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.OtherKabKec, at, 5, 5, 0)), HttpStatusCode.Forbidden);
        // A receiver outside the sender's kab/kota is outside the account's scope: refused for its scope before any validation (issue 20).
        Assert.Contains("outside your scope", outside.GetProperty("detail").GetString());
        var skip = await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Desa, at, 5, 5, 0)), HttpStatusCode.BadRequest);
        Assert.Contains("PPK", skip.GetProperty("detail").GetString());
        var early = await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, "2024-08-01T10:00:00+07:00", 5, 5, 0)), HttpStatusCode.BadRequest);
        Assert.True(early.GetProperty("errors").TryGetProperty("handedOverAt", out _));
        await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, "2024-11-28T10:00:00+07:00", 5, 5, 0)), HttpStatusCode.BadRequest);
        await Problem(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, at, 5, 5, 6)), HttpStatusCode.BadRequest);

        var pps = await app.ClientForAsync(Role.PpsOperator, p.Desa);
        await Problem(await pps.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, at, 5, 5, 0)), HttpStatusCode.Forbidden);

        // A good handover with 1,000 sent, 990 received and 20 damaged.
        var created = await Json(await kpu.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kab, p.Kec, at, 1000, 990, 20)), HttpStatusCode.Created);
        var kinds = created.GetProperty("discrepancies").EnumerateArray().Select(d => d.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["ReceivedNotSent", "Damaged"], kinds);

        var disc = await Json(await kpu.GetAsync($"/api/readiness/logistics/discrepancies?region={p.Kab}"), HttpStatusCode.OK);
        var all = disc.EnumerateArray().ToList();
        Assert.Contains(all, d => d.GetProperty("kind").GetString() == "ShortOfRequirement" && d.GetProperty("regionCode").GetString() == p.Kec && d.GetProperty("itemKey").GetString() == gub);
        // Every other kecamatan of the kab/kota received nothing by 20 Nov.
        var notAtPpk = all.Where(d => d.GetProperty("kind").GetString() == "NotAtPpkByTarget").Select(d => d.GetProperty("regionCode").GetString()).ToList();
        Assert.DoesNotContain(p.Kec, notAtPpk);
        Assert.NotEmpty(notAtPpk);
        // On 20 Nov (the target day) nothing is flagged yet.
        var onTarget = await Json(await kpu.GetAsync($"/api/readiness/logistics/discrepancies?region={p.Kab}&on=2024-11-20"), HttpStatusCode.OK);
        Assert.DoesNotContain(onTarget.EnumerateArray(), d => d.GetProperty("kind").GetString() == "NotAtPpkByTarget");

        // PPK → PPS of its own kecamatan is fine; to the PPS of a TPS outside the desa is not.
        var ppk = await app.ClientForAsync(Role.PpkOperator, p.Kec);
        await Json(await ppk.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kec, p.Desa, "2024-11-21T08:00:00+07:00", 300, 300, 0)), HttpStatusCode.Created);
        await Problem(await ppk.PostAsJsonAsync("/api/readiness/logistics/handovers", Body(p.Kec, p.Tps, "2024-11-21T08:00:00+07:00", 300, 300, 0)), HttpStatusCode.BadRequest);

        // Replacement ballots: at most the damaged ones recorded at the holder.
        await Problem(await ppk.PostAsJsonAsync("/api/readiness/logistics/replacements", new { holder = p.Kec, contest = p.Contests[0], quantity = 21, reason = "robek" }), HttpStatusCode.BadRequest);
        await Problem(await ppk.PostAsJsonAsync("/api/readiness/logistics/replacements", new { holder = p.Kec, contest = p.Contests[0], quantity = -1, reason = "robek" }), HttpStatusCode.BadRequest);
        var rep = await Json(await ppk.PostAsJsonAsync("/api/readiness/logistics/replacements", new { holder = p.Kec, contest = p.Contests[0], quantity = 15, reason = "robek" }), HttpStatusCode.Created);
        await Problem(await ppk.PostAsJsonAsync("/api/readiness/logistics/replacements", new { holder = p.Kec, contest = p.Contests[0], quantity = 6, reason = "robek" }), HttpStatusCode.BadRequest);
        var id = rep.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Forbidden, (await ppk.PutAsJsonAsync($"/api/readiness/logistics/replacements/{id}", new { status = "Approved" })).StatusCode);
        var approved = await Json(await kpu.PutAsJsonAsync($"/api/readiness/logistics/replacements/{id}", new { status = "Approved" }), HttpStatusCode.OK);
        Assert.Equal("Approved", approved.GetProperty("status").GetString());
        await Problem(await kpu.PutAsJsonAsync($"/api/readiness/logistics/replacements/{id}", new { status = "Requested" }), HttpStatusCode.BadRequest);

        // Warehouse stock: negative and unknown items are rejected; shortfall is computed against the requirement.
        await Problem(await kpu.PutAsJsonAsync($"/api/readiness/logistics/stock/{p.Kab}", new { items = new Dictionary<string, long> { [gub] = -1 } }), HttpStatusCode.BadRequest);
        await Problem(await kpu.PutAsJsonAsync($"/api/readiness/logistics/stock/{p.Kab}", new { items = new Dictionary<string, long> { ["surat-suara:PILBUP-16.01"] = 5 } }), HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NoContent, (await kpu.PutAsJsonAsync($"/api/readiness/logistics/stock/{p.Kab}", new { items = new Dictionary<string, long> { [gub] = 1000 } })).StatusCode);
        var stock = await Json(await kpu.GetAsync($"/api/readiness/logistics/stock/{p.Kab}"), HttpStatusCode.OK);
        var row = stock.EnumerateArray().Single(r => r.GetProperty("itemKey").GetString() == gub);
        Assert.Equal(1000, row.GetProperty("stock").GetInt64());
        Assert.Equal(row.GetProperty("required").GetInt64() - 1000, row.GetProperty("shortfall").GetInt64());
        var otherKpu = await app.ClientForAsync(Role.KpuOperator, "16.01");
        await Problem(await otherKpu.PutAsJsonAsync($"/api/readiness/logistics/stock/{p.Kab}", new { items = new Dictionary<string, long> { [gub] = 1 } }), HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_photos_are_images_and_served_in_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var p = await PlaceAsync(app);
        var kpps = await app.ClientForAsync(Role.KppsOperator, p.Desa);
        var jpeg = new byte[64]; jpeg[0] = 0xFF; jpeg[1] = 0xD8; jpeg[2] = 0xFF;
        using (var bad = new MultipartFormDataContent { { new ByteArrayContent("<html>"u8.ToArray()), "photo", "x.jpg" } })
            await Problem(await kpps.PostAsync($"/api/readiness/tasks/tps-listrik/{p.Tps}/photo", bad), HttpStatusCode.BadRequest);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(jpeg), "photo", "genset.jpg" } };
        var view = await Json(await kpps.PostAsync($"/api/readiness/tasks/tps-listrik/{p.Tps}/photo", form), HttpStatusCode.OK);
        var id = view.GetProperty("photoFileId").GetString();
        var get = await kpps.GetAsync($"/api/readiness/files/{id}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(64, (await get.Content.ReadAsByteArrayAsync()).Length);
        var other = await app.ClientForAsync(Role.PpsOperator, p.OtherDesaSameKec);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/readiness/files/{id}")).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Summary_service_for_coordination(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, now: Wib(11, 26));
        using var scope = app.Services.CreateScope();
        var svc = scope.ServiceProvider.GetRequiredService<Pantau.Web.Readiness.ReadinessService>();
        var s = await svc.SummaryAsync("16.71", app.Clock.GetUtcNow(), 5);
        Assert.NotNull(s);
        Assert.Equal(5, s.Critical.Count);
        Assert.True(s.CriticalTotal >= 5);
        Assert.True(s.Late > 0);
        Assert.Equal(0, s.Done);
        Assert.All(s.Critical, c => Assert.Equal(Timeliness.Late, c.Timeliness));
        Assert.Null(await svc.SummaryAsync("99.99", app.Clock.GetUtcNow()));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Pages_render_for_signed_in_users_and_redirect_anonymous(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var p = await PlaceAsync(app);
        var anon = app.AnonymousClient();
        var r = await anon.GetAsync("/kesiapan");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains("/masuk", r.Headers.Location!.ToString());

        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var prov = await desk.GetStringAsync("/kesiapan");
        Assert.Contains("data-values=\"/api/readiness/map?region=16\"", prov);
        Assert.Contains("Daftar kritis", prov);
        var desa = await desk.GetStringAsync($"/kesiapan/{p.Desa}?on=2024-11-28");
        Assert.Contains($"/kesiapan/tugas/tps-listrik/{p.Tps}", desa);
        Assert.Contains("Terlambat", desa);
        var tahapan = await desk.GetStringAsync("/kesiapan/tahapan");
        Assert.Contains("Masa tenang", tahapan);
        Assert.Contains("Ubah tanggal", tahapan);
        var task = await desk.GetStringAsync($"/kesiapan/tugas/tps-listrik/{p.Tps}");
        Assert.Contains("name=\"Status\"", task);
        Assert.Contains("__RequestVerificationToken", task);
        var log = await desk.GetStringAsync($"/kesiapan/logistik/{p.Kab}");
        Assert.Contains("Catat serah terima", log);
        Assert.Contains("Stok gudang", log);
        // Issue 24.7: the handover form's item list shows item names, not keys (the key stays the option's value).
        var itemSelect = log[log.IndexOf("<select id=\"item-0\"", StringComparison.Ordinal)..];
        itemSelect = itemSelect[..itemSelect.IndexOf("</select>", StringComparison.Ordinal)];
        var options = System.Text.RegularExpressions.Regex.Matches(itemSelect, "<option value=\"([^\"]+)\"[^>]*>([^<]+)</option>").ToList();
        Assert.NotEmpty(options);
        Assert.All(options, m => Assert.NotEqual(m.Groups[1].Value, System.Net.WebUtility.HtmlDecode(m.Groups[2].Value)));
        Assert.Contains(options, m => m.Groups[2].Value.StartsWith("Surat suara", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NotFound, (await desk.GetAsync("/kesiapan/99.99")).StatusCode);

        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16");
        Assert.DoesNotContain("Ubah tanggal", await bawaslu.GetStringAsync("/kesiapan/tahapan"));
        Assert.DoesNotContain("Catat serah terima", await bawaslu.GetStringAsync($"/kesiapan/logistik/{p.Kab}"));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Task_form_keeps_input_on_error_and_saves(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var p = await PlaceAsync(app);
        var kpps = await app.ClientForAsync(Role.KppsOperator, p.Desa);
        var url = $"/kesiapan/tugas/tps-sinyal/{p.Tps}";
        var html = await kpps.GetStringAsync(url);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        FormUrlEncodedContent Form(string status, string note) => new([new("__RequestVerificationToken", token), new("Status", status), new("Note", note), new("Version", "0")]);

        var bad = await kpps.PostAsync(url, Form("Blocked", ""));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var badHtml = await bad.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", badHtml);
        Assert.Contains("<option value=\"Blocked\" selected=\"selected\">", badHtml);

        var ok = await kpps.PostAsync(url, Form("Blocked", "Tidak ada sinyal Telkomsel"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Contains("Tersimpan", await ok.Content.ReadAsStringAsync());
        await using var db = app.NewDbContext();
        var row = await db.ReadinessTaskStates.SingleAsync(s => s.SubjectCode == p.Tps && s.TemplateCode == "tps-sinyal");
        Assert.Equal(Core.Readiness.TaskStatus.Blocked, row.Status);
        Assert.Equal("Tidak ada sinyal Telkomsel", row.Note);
        Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == "ReadinessTaskState"));

        var outsider = await app.ClientForAsync(Role.KppsOperator, p.OtherDesaSameKec);
        Assert.DoesNotContain("name=\"Status\"", await outsider.GetStringAsync(url));
    }
}
