using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Notifications;
using Pantau.Core.Security;
using Pantau.Data.Tally;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;
using Pantau.Web.Notifications;

namespace Pantau.Web.Tests.Notifications;

/// <summary>
/// Each event type of issue 25 reaches exactly the users whose role and region scope cover it, and never those outside it; the
/// time-driven ones come from jobs on the fake clock and are told once.
/// </summary>
public class NotificationEventTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static async Task<JsonElement> Ok(HttpResponseMessage res)
    {
        var body = await res.Content.ReadAsStringAsync();
        Assert.True(res.IsSuccessStatusCode, $"{(int)res.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A user (with an API token client) and their id.</summary>
    private static async Task<(string Id, HttpClient Client)> User(PantauApp app, Role role, string scope, string? agency = null, string? email = null)
    {
        var name = $"{role}-{Guid.NewGuid():N}"[..22].ToLowerInvariant();
        var client = await app.ClientForAsync(role, scope, name);
        await using var db = app.NewDbContext();
        var u = await db.Users.SingleAsync(x => x.UserName == name);
        if (agency is not null) u.Agency = agency;
        if (email is not null) { u.Email = email; u.NormalizedEmail = email.ToUpperInvariant(); }
        await db.SaveChangesAsync();
        return (u.Id, client);
    }

    /// <summary>The users told in the app of notifications of <paramref name="kind"/> (optionally of one subject), with repeats.</summary>
    private static async Task<List<string>> Told(PantauApp app, NotificationKind kind, string? subject = null)
    {
        await using var db = app.NewDbContext();
        return await db.Notifications.AsNoTracking().Where(n => n.Kind == kind && n.UserId != null && (subject == null || n.Subject == subject))
            .Select(n => n.UserId!).ToListAsync();
    }

    private static Task<string> Run(PantauApp app, string job) =>
        app.Services.GetServices<IScheduledJob>().Single(j => j.Name == job).RunAsync(app.Services, CancellationToken.None);

    [Theory, MemberData(nameof(Providers))]
    public async Task Incident_filed_verified_referred_escalated_closed_reach_the_users_in_scope_and_the_citizen_gets_the_tracking_link(DatabaseProvider provider)
    {
        await using var smtp = new SmtpTestServer();
        await using var app = await PantauApp.StartAsync(provider, settings: smtp.Settings());
        var desk = await User(app, Role.DeskKabKota, "16.04");
        var police = await User(app, Role.Police, "16.04");
        var camat = await User(app, Role.Camat, "16.04.01");
        var bawaslu = await User(app, Role.Bawaslu, "16");
        // Outside: another kab/kota, another kecamatan, a role not told of incidents.
        var deskPlg = await User(app, Role.DeskKabKota, "16.71");
        var camat2 = await User(app, Role.Camat, "16.04.02");
        var kpps = await User(app, Role.KppsOperator, "16.04.01");
        string[] inScope = [desk.Id, police.Id, camat.Id, bawaslu.Id];
        string[] outside = [deskPlg.Id, camat2.Id, kpps.Id];

        var citizen = app.AnonymousClient();
        var filed = await Ok(await citizen.PostAsJsonAsync("/api/incidents/public", new
        {
            category = "MoneyPolitics", regionCode = "16.04.01", title = "Bagi-bagi amplop di masjid",
            description = "Tim sukses membagikan amplop berisi uang setelah salat Jumat di masjid desa.", reporterName = "Siti Pelapor",
            reporterContact = "siti.pelapor@example.org", severity = "High",
        }));
        var id = filed.GetProperty("id").GetString();
        var code = filed.GetProperty("trackingCode").GetString();
        async Task Do(HttpClient c, object body) => await Ok(await c.PostAsJsonAsync($"/api/incidents/{id}/transition", body));
        await Do(police.Client, new { action = "Verify", note = "Dicek Polsek" });
        await Do(police.Client, new { action = "Refer", agency = "Police", note = "Polres Lahat" });
        await Do(police.Client, new { action = "RecordAction", note = "Dua pelaku diamankan" });
        await Do(desk.Client, new { action = "Close", note = "Disetujui Desk" });

        foreach (var kind in new[] { NotificationKind.IncidentFiled, NotificationKind.IncidentVerified, NotificationKind.IncidentReferred, NotificationKind.IncidentClosed })
            Assert.Equal(inScope.Order(), (await Told(app, kind, "incident:" + id)).Order());

        // Escalated by the SLA job on the fake clock: an unverified report of 16.04.01 three days old.
        var late = await Ok(await camat.Client.PostAsJsonAsync("/api/incidents", new
        {
            category = "SecurityIncident", regionCode = "16.04.01", title = "Bentrokan pendukung di pasar",
            description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity = "High",
        }));
        app.Clock.Advance(TimeSpan.FromDays(3));
        await Run(app, "incidents-sla-escalation");
        var escalated = await Told(app, NotificationKind.IncidentEscalated, "incident:" + late.GetProperty("id").GetString());
        Assert.Equal(inScope.Order(), escalated.Order());
        await Run(app, "incidents-sla-escalation");
        Assert.Equal(escalated.Count, (await Told(app, NotificationKind.IncidentEscalated)).Count); // stage 1 is told once

        await using (var db = app.NewDbContext())
        {
            var all = await db.Notifications.AsNoTracking().Where(n => n.UserId != null).Select(n => n.UserId!).ToListAsync();
            Assert.Empty(all.Intersect(outside));
            // The citizen: one e-mail per status change (not of the filing), each with the tracking link; no in-app item.
            var changes = await db.IncidentEvents.AsNoTracking().CountAsync(e => e.IncidentId == Guid.Parse(id!) && e.Action != "reported" && e.FromStatus != e.ToStatus);
            var status = await db.Notifications.AsNoTracking().Include(n => n.Deliveries).Where(n => n.Kind == NotificationKind.ReportStatus).ToListAsync();
            Assert.True(changes >= 3, $"{changes} status changes");
            Assert.Equal(changes, status.Count);
            Assert.All(status, n => Assert.Null(n.UserId));
            Assert.All(status, n => Assert.Equal("siti.pelapor@example.org", Assert.Single(n.Deliveries).EmailAddress));
            // The audit trail keeps the e-mail address masked, as it does for every personal field.
            var audit = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Incident").Select(a => (a.Before ?? "") + (a.After ?? "")).ToListAsync();
            Assert.NotEmpty(audit);
            Assert.DoesNotContain(audit, a => a.Contains("siti.pelapor@example.org", StringComparison.OrdinalIgnoreCase));
        }
        await app.Services.GetRequiredService<NotificationSender>().SendDueAsync("test", CancellationToken.None);
        var mails = smtp.Messages.Where(m => m.To.Contains("siti.pelapor@example.org")).ToList();
        Assert.NotEmpty(mails);
        Assert.All(mails, m => Assert.Contains("http://pantau.test/lapor/status?kode=" + code, m.Body));
        Assert.All(mails, m => Assert.DoesNotContain("/insiden/", m.Body)); // the citizen gets the public link, not the officers' page
        // Indonesian first, then English.
        var text = mails[0].Body;
        Assert.True(text.IndexOf("kini berstatus", StringComparison.Ordinal) < text.IndexOf("is now", StringComparison.Ordinal), text);
        // The admin's record of who was told masks the address too.
        var admin = await User(app, Role.Admin, "16");
        var record = (await Ok(await admin.Client.GetAsync("/api/admin/notifications?subject=report:" + id))).GetRawText();
        Assert.Contains("\"Delivered\"", record);
        Assert.Contains("s***@example.org", record);
        Assert.DoesNotContain("siti.pelapor@example.org", record);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Actions_assigned_due_within_24_hours_and_overdue_reach_the_desk_and_the_owner_agency_once(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:Coordination:SeedAgencies"] = "true" });
        var desk = await User(app, Role.DeskKabKota, "16.04");
        var agencies = await Ok(await desk.Client.GetAsync("/api/coordination/agencies?region=16.04"));
        var polres = agencies.EnumerateArray().Single(a => a.GetProperty("code").GetString() == "16.04:POLRES");
        var polresId = polres.GetProperty("id").GetInt32();
        var byCode = await User(app, Role.AgencyOfficer, "16.04", agency: "16.04:POLRES");
        var byName = await User(app, Role.Police, "16.04", agency: polres.GetProperty("name").GetString());
        var prov = await User(app, Role.DeskProvinsi, "16");
        // Outside: another agency's officer, a Desk of another kab/kota, the Polres officer of another kab/kota, a camat (not told of actions).
        var otherAgency = await User(app, Role.AgencyOfficer, "16.04", agency: "16.04:KPU");
        var deskPlg = await User(app, Role.DeskKabKota, "16.71");
        var polrestabes = await User(app, Role.AgencyOfficer, "16.71", agency: "16.04:POLRES");
        var camat = await User(app, Role.Camat, "16.04.01");
        string[] inScope = [desk.Id, byCode.Id, byName.Id, prov.Id];
        string[] outside = [otherAgency.Id, deskPlg.Id, polrestabes.Id, camat.Id];

        var now = app.Clock.GetUtcNow();
        var meeting = await Ok(await desk.Client.PostAsJsonAsync("/api/coordination/meetings", new
        {
            title = "Rakor Forkopimda Lahat", regionCode = "16.04", heldAt = now,
            decisions = new[]
            {
                new
                {
                    text = "Patroli TPS rawan",
                    actions = new[]
                    {
                        new { title = "Patroli TPS rawan", ownerAgencyId = polresId, dueAt = now.AddHours(20) },
                        new { title = "Pemetaan TPS rawan", ownerAgencyId = polresId, dueAt = now.AddDays(5) },
                    },
                },
            },
        }));
        var actions = meeting.GetProperty("decisions")[0].GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetInt32()).ToList();
        var assigned = await Told(app, NotificationKind.ActionAssigned);
        Assert.Equal(inScope.Concat(inScope).Order(), assigned.Order()); // two actions, each told to the four

        // Due within 24 hours: the first action only, found by the timers job on the fake clock, once.
        await Run(app, "notifications-timers");
        Assert.Equal(inScope.Order(), (await Told(app, NotificationKind.ActionDueSoon, "action:" + actions[0])).Order());
        Assert.Empty(await Told(app, NotificationKind.ActionDueSoon, "action:" + actions[1]));
        app.Clock.Advance(TimeSpan.FromHours(1));
        await Run(app, "notifications-timers");
        Assert.Equal(inScope.Length, (await Told(app, NotificationKind.ActionDueSoon)).Count);

        // Overdue: the escalation job, a day later; told once even when the job runs again.
        app.Clock.Advance(TimeSpan.FromDays(1));
        await Run(app, "coordination-overdue-actions");
        await Run(app, "coordination-overdue-actions");
        Assert.Equal(inScope.Order(), (await Told(app, NotificationKind.ActionOverdue, "action:" + actions[0])).Order());
        Assert.Equal(inScope.Length, (await Told(app, NotificationKind.ActionOverdue)).Count);

        await using var db = app.NewDbContext();
        NotificationKind[] actionKinds = [NotificationKind.ActionAssigned, NotificationKind.ActionDueSoon, NotificationKind.ActionOverdue];
        Assert.Empty((await db.Notifications.AsNoTracking().Where(n => n.UserId != null && actionKinds.Contains(n.Kind)).Select(n => n.UserId!).ToListAsync()).Intersect(outside));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_conflicting_sheet_is_notified_by_the_intake_transaction_itself_to_the_users_in_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider);
        const string gub = "PILGUB-16";
        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            var t = await db.Tps.AsNoTracking().Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        var deskPlg = await User(app, Role.DeskKabKota, "16.71");
        var bawaslu = await User(app, Role.Bawaslu, "16");
        var kpu = await User(app, Role.KpuOperator, "16.71.01");
        var deskLahat = await User(app, Role.DeskKabKota, "16.04");
        var police = await User(app, Role.Police, "16.71");
        var kpps = await User(app, Role.KppsOperator, desa);
        var pps = await User(app, Role.PpsOperator, desa);
        Task<HttpResponseMessage> Post(HttpClient c, Core.Tally.CHasilSheet s) => c.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(s));

        Assert.Equal(System.Net.HttpStatusCode.Created, (await Post(kpps.Client, TallySheets.Valid(gub, tps, 120, 80, 40))).StatusCode);
        Assert.Empty(await Told(app, NotificationKind.ResultConflict)); // an accepted sheet is no notice
        var res = await Post(pps.Client, TallySheets.Valid(gub, tps, 150, 50, 40));
        Assert.Equal("conflict", (await Ok(res)).GetProperty("outcome").GetString());

        // No job has run: the notice was committed with the version.
        var told = await Told(app, NotificationKind.ResultConflict);
        Assert.Equal(new[] { deskPlg.Id, bawaslu.Id, kpu.Id }.Order(), told.Order());
        await using (var db = app.NewDbContext())
        {
            var n = await db.Notifications.AsNoTracking().FirstAsync(n => n.Kind == NotificationKind.ResultConflict);
            var version = await db.ResultVersions.AsNoTracking().SingleAsync(v => v.TpsCode == tps && v.ContestCode == gub && v.Status == ResultStatus.Conflict);
            Assert.Equal($"sheet:{gub}:{tps}:v{version.VersionNo}", n.Subject);
            Assert.Equal(desa, n.RegionCode);
            Assert.Equal("/hasil/antrean", n.Link);
        }
        Assert.Equal(1, (await Ok(await deskPlg.Client.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());
        Assert.Equal(0, (await Ok(await deskLahat.Client.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());
        Assert.Equal(0, (await Ok(await police.Client.GetAsync("/api/notifications/unread"))).GetProperty("count").GetInt32());

        // The timers job does not tell it again.
        await Run(app, "notifications-timers");
        Assert.Equal(3, (await Told(app, NotificationKind.ResultConflict)).Count);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Late_readiness_tasks_are_told_once_per_template_and_kab_kota_to_the_users_in_scope(DatabaseProvider provider)
    {
        await using var app = await PantauApp.StartAsync(provider); // 20 Nov 2024, H-7: H-14 and H-10 tasks are late
        var deskPlg = await User(app, Role.DeskKabKota, "16.71");
        var deskLahat = await User(app, Role.DeskKabKota, "16.04");
        var police = await User(app, Role.Police, "16");
        // Lahat's ballots are sorted and folded (H-14): no notice of that task for Lahat.
        await Ok(await deskLahat.Client.PutAsJsonAsync("/api/readiness/tasks/kk-sortir-lipat/16.04", new { status = "Done" }));

        await Run(app, "notifications-timers");
        await using (var db = app.NewDbContext())
        {
            var rows = await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.ReadinessLate && n.UserId != null)
                .Select(n => new { n.UserId, n.Subject, n.RegionCode, n.BodyId, n.BodyEn }).ToListAsync();
            var plg = rows.Where(r => r.UserId == deskPlg.Id).ToList();
            var lahat = rows.Where(r => r.UserId == deskLahat.Id).ToList();
            Assert.NotEmpty(plg);
            Assert.All(plg, r => Assert.True(r.RegionCode == "16" || r.RegionCode == "16.71", r.RegionCode));
            Assert.All(lahat, r => Assert.True(r.RegionCode == "16" || r.RegionCode == "16.04", r.RegionCode));
            Assert.Contains(plg, r => r.Subject == "readiness:kk-sortir-lipat:16.71:2024-11-13");
            Assert.DoesNotContain(lahat, r => r.Subject.StartsWith("readiness:kk-sortir-lipat:", StringComparison.Ordinal));
            Assert.Contains(lahat, r => r.Subject == "readiness:desa-bimtek-kpps:16.04:2024-11-17"); // H-10, every desa of Lahat in one notice
            var bimtek = lahat.Single(r => r.Subject == "readiness:desa-bimtek-kpps:16.04:2024-11-17");
            Assert.Contains("terlambat 3 hari", bimtek.BodyId);
            Assert.Contains("3 day(s) late", bimtek.BodyEn);
            Assert.Equal(plg.Count, plg.Select(r => r.Subject).Distinct().Count());
            Assert.DoesNotContain(rows, r => r.UserId == police.Id); // police are not told of readiness
        }
        var first = (await Told(app, NotificationKind.ReadinessLate)).Count;
        await Run(app, "notifications-timers");
        Assert.Equal(first, (await Told(app, NotificationKind.ReadinessLate)).Count);

        // Three days on (H-4): the H-5 task (Linmas at every TPS, target 22 Nov) is now late too; the earlier ones are not told again.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await Run(app, "notifications-timers");
        var after = await Told(app, NotificationKind.ReadinessLate, "readiness:tps-linmas:16.71:2024-11-22");
        Assert.Equal([deskPlg.Id], after);
        await using (var db = app.NewDbContext())
        {
            var subjects = await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.ReadinessLate && n.UserId == deskPlg.Id).Select(n => n.Subject).ToListAsync();
            Assert.Equal(subjects.Count, subjects.Distinct().Count());
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_delivery_claimed_by_a_sender_that_died_is_delivered_by_another_after_the_lease(DatabaseProvider provider)
    {
        await using var hook = await WebhookReceiver.StartAsync();
        await using var app = await PantauApp.StartAsync(provider);
        var admin = await User(app, Role.Admin, "16");
        await Ok(await admin.Client.PostAsJsonAsync("/api/admin/webhooks", new { name = "Telegram Sumsel", regionCode = "16", url = hook.Url, secret = "rahasia-gateway-sumsel-02" }));
        var officer = await User(app, Role.DeskKabKota, "16.04");
        await Ok(await officer.Client.PostAsJsonAsync("/api/incidents", new
        {
            category = "SecurityIncident", regionCode = "16.04.01", title = "Bentrokan pendukung di pasar",
            description = "Dua kelompok pendukung paslon bentrok di depan pasar kecamatan, dua orang luka.", severity = "High",
        }));
        // A sender claimed the webhook delivery and died before sending (its lease runs for two minutes).
        var now = app.Clock.GetUtcNow();
        await using (var db = app.NewDbContext())
            Assert.Equal(1, await db.NotificationDeliveries.Where(d => d.Channel == NotificationChannel.Webhook)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Sending).SetProperty(d => d.LockedUntil, now + NotificationSender.Lease)
                    .SetProperty(d => d.LockedBy, "dead-instance")));
        var sender = app.Services.GetRequiredService<NotificationSender>();
        Assert.Equal((0, 0), await sender.SendDueAsync("alive", CancellationToken.None)); // the lease still holds
        Assert.Empty(hook.Requests);
        app.Clock.Advance(NotificationSender.Lease + TimeSpan.FromSeconds(1));
        Assert.Equal((1, 0), await sender.SendDueAsync("alive", CancellationToken.None));
        Assert.Single(hook.Requests);
        Assert.Equal((0, 0), await sender.SendDueAsync("alive", CancellationToken.None));
        await using (var db = app.NewDbContext())
        {
            var d = await db.NotificationDeliveries.Include(x => x.AttemptLog).SingleAsync(x => x.Channel == NotificationChannel.Webhook);
            Assert.Equal(DeliveryStatus.Delivered, d.Status);
            Assert.Equal("alive", Assert.Single(d.AttemptLog).Instance);
            Assert.Null(d.LockedBy);
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task An_anomaly_at_the_threshold_and_a_situation_report_reach_the_users_in_scope(DatabaseProvider provider)
    {
        // Threshold Medium here: a large change between versions (High, or Medium when explained) is told; Low findings are not.
        await using var app = await PantauApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Pantau:Notifications:AnomalySeverity"] = "2" });
        const string gub = "PILGUB-16";
        string tps, desa;
        await using (var db = app.NewDbContext())
        {
            var t = await db.Tps.AsNoTracking().Where(t => t.DesaCode.StartsWith("16.71.01")).OrderBy(t => t.Code).FirstAsync();
            (tps, desa) = (t.Code, t.DesaCode);
        }
        var bawaslu = await User(app, Role.Bawaslu, "16.71");
        var deskPlg = await User(app, Role.DeskKabKota, "16.71");
        var prov = await User(app, Role.DeskProvinsi, "16");
        var deskLahat = await User(app, Role.DeskKabKota, "16.04");
        var police = await User(app, Role.Police, "16.71");
        var camat = await User(app, Role.Camat, "16.71.01");
        var kpps = await User(app, Role.KppsOperator, desa);
        await Ok(await kpps.Client.PostAsJsonAsync("/api/tally/sheets", TallySheets.ToJson(TallySheets.Valid(gub, tps, 120, 80, 40))));
        await Ok(await kpps.Client.PostAsJsonAsync($"/api/tally/tps/{tps}/{gub}/corrections", TallySheets.ToJson(TallySheets.Valid(gub, tps, 200, 20, 20), reason: "salah hitung")));
        await app.Services.GetRequiredService<Web.Tally.Anomalies.AnomalyScanner>().ScanAsync();
        var anomalies = await Told(app, NotificationKind.AnomalyFlagged);
        Assert.NotEmpty(anomalies);
        Assert.Equal(new[] { bawaslu.Id, deskPlg.Id, prov.Id }.Order(), anomalies.Distinct().Order());
        await using (var db = app.NewDbContext())
        {
            var rows = await db.TallyAnomalies.AsNoTracking().Where(a => a.Severity >= 2).CountAsync();
            Assert.Equal(rows * 3, anomalies.Count); // each anomaly at or above the threshold, to each of the three
            Assert.Empty(await db.TallyAnomalies.AsNoTracking().Where(a => a.Severity < 2).Select(a => "anomaly:" + a.ContestCode + ":" + a.SubjectCode + ":" + a.Code)
                .Where(sub => db.Notifications.Any(n => n.Subject == sub)).ToListAsync());
        }
        await app.Services.GetRequiredService<Web.Tally.Anomalies.AnomalyScanner>().ScanAsync();
        Assert.Equal(anomalies.Count, (await Told(app, NotificationKind.AnomalyFlagged)).Count); // a rescan finds nothing new

        // The situation report of 16.71: the Desk of 16.71 and of the province, nobody else (not Bawaslu, not Lahat's Desk).
        Assert.Equal(System.Net.HttpStatusCode.Created, (await deskPlg.Client.PostAsync("/api/coordination/reports?region=16.71", null)).StatusCode);
        var sitrep = await Told(app, NotificationKind.SituationReport);
        Assert.Equal(new[] { deskPlg.Id, prov.Id }.Order(), sitrep.Order());
        await using (var db = app.NewDbContext())
        {
            var n = await db.Notifications.AsNoTracking().FirstAsync(n => n.Kind == NotificationKind.SituationReport);
            Assert.Equal("16.71", n.RegionCode);
            Assert.Equal("/koordinasi/laporan", n.Link);
            Assert.Contains("Laporan situasi", n.BodyId);
            Assert.Contains("situation report", n.BodyEn);
            var all = await db.Notifications.AsNoTracking().Where(n => n.UserId != null && n.Kind != NotificationKind.ReadinessLate).Select(n => n.UserId!).ToListAsync();
            Assert.Empty(all.Intersect([deskLahat.Id, police.Id, camat.Id, kpps.Id]));
        }
    }
}
