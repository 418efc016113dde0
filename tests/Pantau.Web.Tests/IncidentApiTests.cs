using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests;

public class IncidentApiTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<JsonElement> Json(HttpResponseMessage res, HttpStatusCode expected)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.StatusCode == expected, $"{(int)res.StatusCode} {res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static object Report(string region = "16.04.01", string category = "SecurityIncident", string title = "Bentrokan pendukung di pasar", object? extra = null) => new
    {
        category, regionCode = region, title, description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.",
        severity = "High", reporterName = "Budi Saksi", reporterContact = "0812-1111-2222", latitude = -3.79, longitude = 103.54,
    };

    [Theory, MemberData(nameof(Providers))]
    public async Task Full_lifecycle_report_verify_refer_act_close_with_history(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var camat = await app.ClientForAsync(Role.Camat, "16.04.01");
        var police = await app.ClientForAsync(Role.Police, "16.04");
        var desk = await app.ClientForAsync(Role.DeskKabKota, "16.04");

        var created = await Json(await camat.PostAsJsonAsync("/api/incidents", Report()), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        Assert.StartsWith("LP-", created.GetProperty("trackingCode").GetString());

        async Task<JsonElement> Do(HttpClient c, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
            await Json(await c.PostAsJsonAsync($"/api/incidents/{id}/transition", body), expected);

        await Do(police, new { action = "Verify", note = "Dicek Polsek" });
        // Closing before any action is a conflict; closing by police is forbidden.
        await Do(desk, new { action = "Close" }, HttpStatusCode.Conflict);
        await Do(police, new { action = "Refer" }, HttpStatusCode.BadRequest); // no agency
        await Do(police, new { action = "Refer", agency = "Police", note = "Polres Lahat" });
        await Do(police, new { action = "RecordAction" }, HttpStatusCode.BadRequest); // no description of the action
        await Do(police, new { action = "RecordAction", note = "Dua pelaku diamankan, patroli ditambah" });
        await Do(police, new { action = "Close" }, HttpStatusCode.Forbidden);
        var closed = await Do(desk, new { action = "Close", note = "Disetujui Desk" });
        Assert.Equal("Closed", closed.GetProperty("summary").GetProperty("status").GetString());
        var history = closed.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("action").GetString()).ToList();
        Assert.Equal(["reported", "Verify", "Refer", "RecordAction", "Close"], history);
        Assert.Contains(closed.GetProperty("history").EnumerateArray(), h => h.GetProperty("actorRole").GetString() == "DeskKabKota");
        // In-scope officers see the private contact.
        Assert.Equal("0812-1111-2222", closed.GetProperty("reporterContact").GetString());

        // The verified incident now raises Lahat's kecamatan score and shows as an explained contribution.
        var scores = await Json(await app.AnonymousClient().GetAsync("/api/kerawanan?parent=16.04&level=kecamatan"), HttpStatusCode.OK);
        var kec = scores.EnumerateArray().Single(s => s.GetProperty("code").GetString() == "16.04.01");
        Assert.Equal(1, kec.GetProperty("incidents").GetInt32());
        var contributions = kec.GetProperty("contributions").EnumerateArray().ToList();
        Assert.Contains(contributions, c => c.GetProperty("key").GetString() == "insiden:high");
        Assert.Equal(kec.GetProperty("score").GetDouble(), Math.Round(contributions.Sum(c => c.GetProperty("points").GetDouble()), 2), 6);

        // The public map shows the confirmed incident as a coarse point, without description or reporter.
        var points = await Json(await app.AnonymousClient().GetAsync("/api/kerawanan/points?region=16.04"), HttpStatusCode.OK);
        var point = Assert.Single(points.EnumerateArray());
        Assert.Equal(-3.79, point.GetProperty("lat").GetDouble(), 6);
        Assert.Equal("high", point.GetProperty("band").GetString());
        Assert.DoesNotContain("Budi", points.ToString());
        Assert.DoesNotContain("pasar kecamatan", points.ToString());

        // Export carries the report but never the contact.
        var csv = await camat.GetStringAsync("/api/incidents/export?format=csv");
        Assert.Contains(created.GetProperty("trackingCode").GetString()!, csv);
        Assert.DoesNotContain("0812-1111-2222", csv);
        Assert.DoesNotContain("Budi Saksi", csv);
        var xlsx = await camat.GetAsync("/api/incidents/export?format=xlsx");
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType?.MediaType);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_overdue_report_escalates_to_the_desk_without_anyone_acting(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var camat = await app.ClientForAsync(Role.Camat, "16.71.01");
        var critical = await Json(await camat.PostAsJsonAsync("/api/incidents", new
        {
            category = "HorizontalConflict", regionCode = "16.71.01", title = "Massa berkumpul di TPS", description = "Massa dua kubu berkumpul di sekitar TPS dan saling ejek.", severity = "Critical",
        }), HttpStatusCode.Created);
        var low = await Json(await camat.PostAsJsonAsync("/api/incidents", new
        {
            category = "Logistics", regionCode = "16.71.01", title = "Tinta kurang satu botol", description = "Tinta di gudang PPS kurang satu botol untuk TPS 3.", severity = "Low",
        }), HttpStatusCode.Created);
        var runner = app.Services.GetRequiredService<JobRunner>();

        await runner.RunDueAsync();
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var before = await Json(await desk.GetAsync($"/api/incidents/{critical.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Equal(0, before.GetProperty("summary").GetProperty("escalatedStage").GetInt32());

        // The Desk's live channel hears about the escalation.
        var hub = app.Services.GetRequiredService<LiveHub>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var deskEvents = hub.SubscribeAsync(["incidents:desk"], cts.Token).GetAsyncEnumerator(cts.Token);
        var next = deskEvents.MoveNextAsync();
        while (hub.SubscriberCount == 0) await Task.Delay(10);

        app.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(6)); // past the 2 h verification SLA of a critical report
        Assert.Contains("incidents-sla-escalation", await runner.RunDueAsync());
        Assert.True(await next);
        Assert.Equal("escalated", deskEvents.Current.Type);
        Assert.Contains(critical.GetProperty("id").GetString()!, deskEvents.Current.Json);
        var after = await Json(await desk.GetAsync($"/api/incidents/{critical.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Equal(1, after.GetProperty("summary").GetProperty("escalatedStage").GetInt32());
        Assert.True(after.GetProperty("summary").GetProperty("overdue").GetBoolean());
        var escalation = after.GetProperty("history").EnumerateArray().Single(h => h.GetProperty("action").GetString() == "escalated");
        Assert.Equal("system", escalation.GetProperty("actor").GetString());
        var lowDetail = await Json(await desk.GetAsync($"/api/incidents/{low.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Equal(0, lowDetail.GetProperty("summary").GetProperty("escalatedStage").GetInt32()); // 72 h SLA not yet passed

        // Escalates once per stage.
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await runner.RunDueAsync();
        var again = await Json(await desk.GetAsync($"/api/incidents/{critical.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Single(again.GetProperty("history").EnumerateArray(), h => h.GetProperty("action").GetString() == "escalated");

        // The dashboard service counts it.
        using var scope = app.Services.CreateScope();
        var summary = await scope.ServiceProvider.GetRequiredService<IIncidentSummary>().GetAsync("16.71");
        Assert.Equal(2, summary.Open);
        Assert.Equal(1, summary.Overdue);
        Assert.Equal(1, summary.Escalated);
        Assert.Equal(1, summary.OpenBySeverity[Core.Incidents.Severity.Critical]);
        Assert.NotNull(summary.Kerawanan);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_citizen_sees_only_the_status_of_their_own_report(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var citizen = app.AnonymousClient();
        var mine = await Json(await citizen.PostAsJsonAsync("/api/incidents/public", new
        {
            category = "MoneyPolitics", regionCode = "16.71.02", title = "Bagi-bagi amplop", description = "Tim sukses membagikan amplop di masjid setelah salat Jumat.",
            reporterName = "Siti Pelapor", reporterContact = "siti@example.org", severity = "Critical",
        }), HttpStatusCode.Created);
        var other = await Json(await citizen.PostAsJsonAsync("/api/incidents/public", new
        {
            category = "Intimidation", regionCode = "16.71.03", title = "Ancaman ke saksi", description = "Saksi paslon diancam oleh orang tak dikenal melalui telepon.",
            reporterName = "Andi Lain", reporterContact = "0813-9999-0000",
        }), HttpStatusCode.Created);
        var code = mine.GetProperty("trackingCode").GetString();
        var secret = mine.GetProperty("secret").GetString();
        Assert.False(string.IsNullOrEmpty(secret));

        var status = await citizen.PostAsJsonAsync("/api/incidents/public/status", new { code, secret });
        var body = await status.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Contains("\"status\":\"New\"", body);
        foreach (var privateText in new[] { "siti@example.org", "Siti Pelapor", "amplop", "0813-9999-0000", "Andi Lain", other.GetProperty("trackingCode").GetString()!, "Ancaman" })
            Assert.DoesNotContain(privateText, body);
        // Citizens cannot set severity.
        var desk = await app.ClientForAsync(Role.DeskProvinsi, "16");
        var detail = await Json(await desk.GetAsync($"/api/incidents/{mine.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Equal("Medium", detail.GetProperty("summary").GetProperty("severity").GetString());

        // Wrong secret, or someone else's code with my secret: the same 404, nothing leaked.
        var wrong = await citizen.PostAsJsonAsync("/api/incidents/public/status", new { code, secret = "AAAAAAAAAA" });
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        var crossed = await citizen.PostAsJsonAsync("/api/incidents/public/status", new { code = other.GetProperty("trackingCode").GetString(), secret });
        Assert.Equal(HttpStatusCode.NotFound, crossed.StatusCode);
        Assert.DoesNotContain("Andi", await crossed.Content.ReadAsStringAsync());

        // Anonymous callers cannot list or read reports.
        Assert.Equal(HttpStatusCode.Unauthorized, (await citizen.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await citizen.GetAsync($"/api/incidents/{mine.GetProperty("id")}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await citizen.GetAsync("/api/incidents/export")).StatusCode);
        // Public endpoints never carry contacts.
        var points = await citizen.GetStringAsync("/api/kerawanan/points?region=16");
        Assert.DoesNotContain("siti@example.org", points);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Officers_are_confined_to_their_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var palembang = await app.ClientForAsync(Role.Camat, "16.71.01");
        var lahatPolice = await app.ClientForAsync(Role.Police, "16.04");
        var created = await Json(await palembang.PostAsJsonAsync("/api/incidents", Report("16.71.01")), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();

        await Json(await lahatPolice.GetAsync($"/api/incidents/{id}"), HttpStatusCode.Forbidden);
        await Json(await lahatPolice.PostAsJsonAsync($"/api/incidents/{id}/transition", new { action = "Verify" }), HttpStatusCode.Forbidden);
        await Json(await palembang.PostAsJsonAsync("/api/incidents", Report("16.04.01")), HttpStatusCode.Forbidden);
        await Json(await lahatPolice.GetAsync("/api/incidents/summary?region=16.71"), HttpStatusCode.Forbidden);
        await Json(await lahatPolice.GetAsync("/api/kerawanan/deployment?region=16.71"), HttpStatusCode.Forbidden);
        var list = await Json(await lahatPolice.GetAsync("/api/incidents"), HttpStatusCode.OK);
        Assert.Empty(list.EnumerateArray());
        var csv = await lahatPolice.GetStringAsync("/api/incidents/export");
        Assert.DoesNotContain(created.GetProperty("trackingCode").GetString()!, csv);
        // A KPPS operator is not an incident officer; a camat cannot draw up the deployment list.
        var kpps = await app.ClientForAsync(Role.KppsOperator, "16.71.01");
        Assert.Equal(HttpStatusCode.Forbidden, (await kpps.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await palembang.GetAsync("/api/kerawanan/deployment?region=16.71.01")).StatusCode);
        // TPS-rawan recording is scoped too.
        Assert.Equal(HttpStatusCode.Forbidden, (await lahatPolice.PutAsJsonAsync("/api/kerawanan/tps/1671011001001", new { variables = new[] { "Security" } })).StatusCode);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Bad_input_gets_problem_details_and_keeps_nothing(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var camat = await app.ClientForAsync(Role.Camat, "16.71.01");
        async Task<JsonElement> Bad(HttpResponseMessage res, string field)
        {
            var p = await Json(res, HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", res.Content.Headers.ContentType?.MediaType);
            if (field.Length > 0) Assert.True(p.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {p}");
            return p;
        }
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "SecurityIncident", regionCode = "16.71.01", title = "x", description = "cukup panjang uraiannya" }), "title");
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "SecurityIncident", title = "Judul yang cukup", description = "cukup panjang uraiannya", latitude = 51.5, longitude = -0.12 }), "latitude");
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "SecurityIncident", regionCode = "16.7x", title = "Judul yang cukup", description = "cukup panjang uraiannya" }), "regionCode");
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "SecurityIncident", title = "Judul yang cukup", description = "cukup panjang uraiannya" }), "regionCode");
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "AsnNeutrality", regionCode = "16.71.01", title = "ASN kampanye", description = "Seorang ASN ikut kampanye terbuka." }), "asnAgency");
        await Bad(await camat.PostAsJsonAsync("/api/incidents", new { category = "SecurityIncident", regionCode = "16.71.01", title = "Judul yang cukup", description = "cukup panjang uraiannya", occurredAt = "2030-01-01T00:00:00Z" }), "occurredAt");
        Assert.Equal(HttpStatusCode.BadRequest, (await camat.PostAsJsonAsync("/api/incidents", new { category = "Unicorns", regionCode = "16.71.01" })).StatusCode);
        await Bad(await app.AnonymousClient().GetAsync("/api/kerawanan?parent=16&level=tps"), "");
        await Bad(await app.AnonymousClient().GetAsync("/api/kerawanan?parent=abc"), "");
        var created = await Json(await camat.PostAsJsonAsync("/api/incidents", Report("16.71.01")), HttpStatusCode.Created);
        await Bad(await camat.PostAsJsonAsync($"/api/incidents/{created.GetProperty("id")}/transition", new { action = "Reject" }), "rejectReason");
        await Bad(await camat.PostAsJsonAsync($"/api/incidents/{created.GetProperty("id")}/transition", new { action = "MergeInto", mergeInto = "LP-NOTHERE" }), "mergeInto");
        await Bad(await camat.PutAsJsonAsync("/api/kerawanan/tps/1671011001001", new { variables = (string[]?)null }), "variables");
        // A map point alone is resolved to the nearest kecamatan.
        var kotaDesk = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var byPoint = await Json(await kotaDesk.PostAsJsonAsync("/api/incidents", new { category = "Outage", title = "Listrik padam", description = "Listrik padam di sekitar kantor camat sejak pagi.", latitude = -2.99, longitude = 104.76 }), HttpStatusCode.Created);
        var detail = await Json(await kotaDesk.GetAsync($"/api/incidents/{byPoint.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.StartsWith("16.71.", detail.GetProperty("summary").GetProperty("regionCode").GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Duplicates_merge_and_the_hoax_desk_publishes_a_clarification(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var officer = await app.ClientForAsync(Role.DeskKabKota, "16.71");
        var citizen = app.AnonymousClient();
        async Task<JsonElement> Hoax(string who) => await Json(await citizen.PostAsJsonAsync("/api/incidents/public", new
        {
            category = "Hoax", regionCode = "16.71", title = "Pesan berantai TPS dipindah", description = $"Pesan WhatsApp menyebut TPS dipindah ke balai desa ({who}).", reporterContact = who,
        }), HttpStatusCode.Created);
        var a = await Hoax("warga-a@example.org");
        var b = await Hoax("warga-b@example.org");

        var claim = await Json(await officer.PostAsJsonAsync("/api/incidents/hoax", new { claim = "TPS di Palembang dipindah ke balai desa", regionCode = "16.71" }), HttpStatusCode.Created);
        var claimId = claim.GetProperty("id").GetString();
        await Json(await officer.PostAsJsonAsync($"/api/incidents/{a.GetProperty("id")}/claim", new { claimId }), HttpStatusCode.OK);
        await Json(await officer.PostAsJsonAsync($"/api/incidents/{a.GetProperty("id")}/transition", new { action = "Verify" }), HttpStatusCode.OK);
        var merged = await Json(await officer.PostAsJsonAsync($"/api/incidents/{b.GetProperty("id")}/transition", new { action = "MergeInto", mergeInto = a.GetProperty("trackingCode").GetString() }), HttpStatusCode.OK);
        Assert.Equal("Merged", merged.GetProperty("summary").GetProperty("status").GetString());
        var target = await Json(await officer.GetAsync($"/api/incidents/{a.GetProperty("id")}"), HttpStatusCode.OK);
        Assert.Contains(target.GetProperty("mergedReports").EnumerateArray(), x => x.GetString() == b.GetProperty("id").GetString());
        // A merged report is terminal.
        await Json(await officer.PostAsJsonAsync($"/api/incidents/{b.GetProperty("id")}/transition", new { action = "Verify" }), HttpStatusCode.Conflict);

        // Publishing needs a verdict and a clarification.
        await Json(await officer.PostAsJsonAsync($"/api/incidents/hoax/{claimId}/verdict", new { verdict = "Unverified", clarification = "", publish = true }), HttpStatusCode.BadRequest);
        Assert.Empty((await citizen.GetFromJsonAsync<JsonElement>("/api/incidents/public/clarifications")).EnumerateArray());
        var decided = await Json(await officer.PostAsJsonAsync($"/api/incidents/hoax/{claimId}/verdict", new
        {
            verdict = "Hoaks", clarification = "KPU Kota Palembang memastikan tidak ada TPS yang dipindah; lokasi TPS tetap sesuai surat pemberitahuan.", publish = true,
        }), HttpStatusCode.OK);
        Assert.Equal(1, decided.GetProperty("reports").GetInt32());
        var published = await citizen.GetStringAsync("/api/incidents/public/clarifications");
        Assert.Contains("tidak ada TPS yang dipindah", published);
        Assert.DoesNotContain("warga-a@example.org", published);
        var page = await citizen.GetStringAsync("/hoaks");
        Assert.Contains("tidak ada TPS yang dipindah", page);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Asn_reports_follow_the_referral_chain_and_yield_per_agency_statistics(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var panwascam = await app.ClientForAsync(Role.Panwascam, "16.71.01");
        var bawaslu = await app.ClientForAsync(Role.Bawaslu, "16.71");
        var ids = new List<string>();
        foreach (var (agency, position) in new[] { ("Dinas Pendidikan", "Kepala Sekolah"), ("Dinas Pendidikan", "Guru"), ("Kecamatan Ilir Barat I", "Lurah") })
        {
            var r = await Json(await panwascam.PostAsJsonAsync("/api/incidents", new
            {
                category = "AsnNeutrality", regionCode = "16.71.01", title = "ASN hadir di kampanye", description = "ASN terlihat mengenakan atribut paslon saat kampanye terbuka.",
                asnAgency = agency, asnPosition = position, asnName = "Nama ASN Rahasia",
            }), HttpStatusCode.Created);
            ids.Add(r.GetProperty("id").GetString()!);
        }
        var first = ids[0];
        await Json(await bawaslu.PostAsJsonAsync($"/api/incidents/{first}/transition", new { action = "Verify" }), HttpStatusCode.OK);
        await Json(await bawaslu.PostAsJsonAsync($"/api/incidents/{first}/transition", new { action = "Refer", agency = "Bkn" }), HttpStatusCode.BadRequest);
        await Json(await bawaslu.PostAsJsonAsync($"/api/incidents/{first}/transition", new { action = "Refer", agency = "Bawaslu" }), HttpStatusCode.OK);
        var referred = await Json(await bawaslu.PostAsJsonAsync($"/api/incidents/{first}/transition", new { action = "Refer", agency = "Bkn", note = "Rekomendasi sanksi" }), HttpStatusCode.OK);
        Assert.Equal("Bkn", referred.GetProperty("summary").GetProperty("referredTo").GetString());

        var stats = await Json(await bawaslu.GetAsync("/api/incidents/asn/stats?region=16.71"), HttpStatusCode.OK);
        var dinas = stats.EnumerateArray().Single(s => s.GetProperty("agency").GetString() == "DINAS PENDIDIKAN");
        Assert.Equal(2, dinas.GetProperty("reports").GetInt32());
        Assert.Equal(1, dinas.GetProperty("referredToBknKasnPpk").GetInt32());
        Assert.Equal(2, stats.GetArrayLength());
        Assert.DoesNotContain("Nama ASN Rahasia", stats.ToString());
        var csv = await bawaslu.GetStringAsync("/api/incidents/export");
        Assert.DoesNotContain("Nama ASN Rahasia", csv);
        Assert.Contains("Dinas Pendidikan", csv);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Tps_rawan_variables_raise_the_tps_score_and_lead_the_deployment_list(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var police = await app.ClientForAsync(Role.Police, "16.71");
        var tps = await Json(await police.PutAsJsonAsync("/api/kerawanan/tps/1671011001001", new { variables = new[] { "Security", "MoneyPolitics", "TpsLocation" }, note = "Dekat markas relawan" }), HttpStatusCode.OK);
        Assert.Equal(3, tps.GetProperty("variables").GetArrayLength());
        var score = tps.GetProperty("score");
        Assert.Equal(score.GetProperty("score").GetDouble(), score.GetProperty("contributions").EnumerateArray().Sum(c => c.GetProperty("points").GetDouble()), 9);

        var plan = await Json(await police.GetAsync("/api/kerawanan/deployment?region=16.71.01&level=tps&take=5"), HttpStatusCode.OK);
        var top = plan.GetProperty("items")[0];
        Assert.Equal("1671011001001", top.GetProperty("code").GetString());
        Assert.Contains(top.GetProperty("reasonsId").EnumerateArray(), r => r.GetString()!.StartsWith("TPS rawan"));
        // Same inputs, same scores.
        var s1 = await app.AnonymousClient().GetStringAsync("/api/kerawanan?parent=16&level=kabkota");
        var s2 = await app.AnonymousClient().GetStringAsync("/api/kerawanan?parent=16&level=kabkota");
        Assert.Equal(s1, s2);
        var map = await Json(await app.AnonymousClient().GetAsync("/api/kerawanan/map?parent=16&level=kabkota"), HttpStatusCode.OK);
        Assert.Equal(17, map.GetProperty("items").EnumerateObject().Count());
        // Bawaslu rates Lahat high on pencalonan only; its total is synthetic and banded with the kab/kota thresholds like every kab/kota.
        var lahat = map.GetProperty("items").GetProperty("16.04");
        Assert.Equal(lahat.GetProperty("value").GetDouble() >= 49.33 ? "high" : lahat.GetProperty("value").GetDouble() >= 13.47 ? "medium" : "low", lahat.GetProperty("band").GetString());
        Assert.All(map.GetProperty("items").EnumerateObject(), i => Assert.Contains(i.Value.GetProperty("band").GetString(), new[] { "high", "medium", "low" }));
        var csv = await app.AnonymousClient().GetStringAsync("/api/kerawanan/export?parent=16&level=kabkota");
        Assert.Contains("16.04", csv);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Evidence_is_sniffed_hashed_and_served_only_in_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        var camat = await app.ClientForAsync(Role.Camat, "16.71.01");
        var created = await Json(await camat.PostAsJsonAsync("/api/incidents", Report("16.71.01")), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString();
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        MultipartFormDataContent Form(byte[] bytes, string name) { var f = new MultipartFormDataContent(); f.Add(new ByteArrayContent(bytes), "file", name); return f; }
        await Json(await camat.PostAsync($"/api/incidents/{id}/evidence", Form("<html>x</html>"u8.ToArray(), "foto.jpg")), HttpStatusCode.BadRequest);
        var ev = await Json(await camat.PostAsync($"/api/incidents/{id}/evidence", Form(png, "foto.png")), HttpStatusCode.Created);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)), ev.GetProperty("sha256").GetString());
        var url = ev.GetProperty("url").GetString()!;
        var download = await camat.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(png, await download.Content.ReadAsByteArrayAsync());
        var outsider = await app.ClientForAsync(Role.Police, "16.04");
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.AnonymousClient().GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task The_public_report_endpoint_is_rate_limited()
    {
        await using var app = await PantauApp.StartAsync(settings: new Dictionary<string, string?> { ["Pantau:RateLimitScale"] = "1" });
        var citizen = app.AnonymousClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
            statuses.Add((await citizen.PostAsJsonAsync("/api/incidents/public/status", new { code = "LP-AAAAAAAA", secret = "x" })).StatusCode);
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}
