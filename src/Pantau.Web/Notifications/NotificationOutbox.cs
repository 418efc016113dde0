using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Pantau.Core.Incidents;
using Pantau.Core.Notifications;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Coordination;
using Pantau.Data.Incidents;
using Pantau.Data.Notifications;
using Pantau.Data.Tally.Anomalies;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Notifications;

/// <summary>A notifiable event: kind, region, subject and texts. Fanned out to recipients by <see cref="NotificationOutbox"/>.</summary>
public sealed record NotifyEvent(NotificationKind Kind, string RegionCode, string Subject, string BodyId, string BodyEn, string Link, bool Critical = false,
    string? Agency = null, string? ReporterEmail = null, string? AgencyCode = null);

/// <summary>
/// The outbox: looks at what a <c>SaveChanges</c> is about to write (a new incident event, a new or reassigned follow-up action,
/// an escalated action, a new anomaly above the threshold, a new situation report) and adds the notifications (one per user in
/// scope, with its e-mail and webhook deliveries) to the same save, hence the same transaction. Nothing in the feature services
/// changes: an event that is saved is notified, and one that is rolled back is not. After the save the bells are told live.
/// </summary>
public sealed class NotificationOutbox(IServiceProvider root, IConfiguration config) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, List<string>> _pending = new();

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        if (eventData.Context is PantauDbContext db && config.GetValue("Pantau:Notifications:Enabled", true))
        {
            var events = Collect(db);
            if (events.Count > 0)
            {
                var users = await AddAsync(db, events, ct);
                if (users.Count > 0) _pending.GetOrCreateValue(db).AddRange(users);
            }
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result) =>
        SavingChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken ct = default)
    {
        // Inside a transaction (the audit chain wraps every save in one) the bells are told once it commits: told earlier, a bell
        // could read its count before the notification is visible and stay behind.
        if (eventData.Context is { } db && db.Database.CurrentTransaction is null) await PublishAsync(db, ct);
        return result;
    }

    public async Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        if (eventData.Context is { } db) await PublishAsync(db, ct);
    }

    public void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) =>
        TransactionCommittedAsync(transaction, eventData).GetAwaiter().GetResult();

    public void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Discard(eventData.Context);

    public Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        Discard(eventData.Context);
        return Task.CompletedTask;
    }

    private void Discard(DbContext? db)
    {
        if (db is not null && _pending.TryGetValue(db, out var users)) users.Clear();
    }

    private async Task PublishAsync(DbContext db, CancellationToken ct)
    {
        if (!_pending.TryGetValue(db, out var users) || users.Count == 0) return;
        var list = users.Distinct().ToList();
        users.Clear();
        var live = root.GetService<ILiveUpdates>();
        if (live is not null)
            foreach (var u in list) await live.PublishAsync(NotificationService.TopicFor(u), "notification", new { }, ct);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override void SaveChangesFailed(DbContextErrorEventData eventData)
    {
        if (eventData.Context is { } db && _pending.TryGetValue(db, out var users)) users.Clear();
    }

    private static readonly Dictionary<string, NotificationKind> IncidentActions = new(StringComparer.Ordinal)
    {
        ["reported"] = NotificationKind.IncidentFiled,
        [nameof(IncidentAction.Verify)] = NotificationKind.IncidentVerified,
        [nameof(IncidentAction.Refer)] = NotificationKind.IncidentReferred,
        ["escalated"] = NotificationKind.IncidentEscalated,
        [nameof(IncidentAction.Close)] = NotificationKind.IncidentClosed,
    };

    /// <summary>The notifiable events among the pending changes.</summary>
    private List<NotifyEvent> Collect(PantauDbContext db)
    {
        var events = new List<NotifyEvent>();
        var anomalyThreshold = config.GetValue("Pantau:Notifications:AnomalySeverity", (int)Core.Tally.Anomalies.AnomalySeverity.High);
        foreach (var e in db.ChangeTracker.Entries())
        {
            switch (e.Entity)
            {
                case IncidentEvent ev when e.State == Microsoft.EntityFrameworkCore.EntityState.Added:
                {
                    var incident = db.ChangeTracker.Entries<Incident>().Select(x => x.Entity).FirstOrDefault(i => i.Id == ev.IncidentId);
                    if (incident is null) break;
                    var (sid, sen) = IncidentLabels.Of(incident.Status);
                    var link = "/insiden/" + incident.Id;
                    if (IncidentActions.TryGetValue(ev.Action, out var kind))
                        events.Add(new NotifyEvent(kind, incident.RegionCode, "incident:" + incident.Id,
                            $"{incident.TrackingCode} · {incident.Title} · {sid}" + (ev.Note is null ? "" : " · " + ev.Note),
                            $"{incident.TrackingCode} · {incident.Title} · {sen}" + (ev.Note is null ? "" : " · " + ev.Note),
                            link, Critical: incident.Severity == Severity.Critical));
                    // A citizen who left an e-mail address hears of every status change of their report (not of its filing: they did it).
                    if (incident.Source == ReportSource.Citizen && ev.Action != "reported" && ev.FromStatus != ev.ToStatus
                        && NotificationService.AsEmail(incident.ReporterContact) is { } email)
                        events.Add(new NotifyEvent(NotificationKind.ReportStatus, incident.RegionCode, "report:" + incident.Id,
                            $"Laporan {incident.TrackingCode} kini berstatus: {sid}. Lacak dengan kode laporan dan kode rahasia Anda.",
                            $"Report {incident.TrackingCode} is now: {sen}. Track it with your report code and secret.",
                            "/lapor/status?kode=" + incident.TrackingCode, ReporterEmail: email));
                    break;
                }
                case FollowUpAction a when e.State == Microsoft.EntityFrameworkCore.EntityState.Added
                    || (e.State == Microsoft.EntityFrameworkCore.EntityState.Modified && e.Property(nameof(FollowUpAction.OwnerAgencyId)).IsModified
                        && !Equals(e.Property(nameof(FollowUpAction.OwnerAgencyId)).OriginalValue, a.OwnerAgencyId)):
                    events.Add(ActionEvent(db, a, NotificationKind.ActionAssigned));
                    break;
                case FollowUpAction a when e.State == Microsoft.EntityFrameworkCore.EntityState.Modified && a.EscalatedAt is not null
                    && e.Property(nameof(FollowUpAction.EscalatedAt)).OriginalValue is null:
                    events.Add(ActionEvent(db, a, NotificationKind.ActionOverdue));
                    break;
                case TallyAnomaly an when e.State == Microsoft.EntityFrameworkCore.EntityState.Added && an.Severity >= anomalyThreshold:
                    events.Add(new NotifyEvent(NotificationKind.AnomalyFlagged, an.RegionCode, $"anomaly:{an.ContestCode}:{an.SubjectCode}:{an.Code}",
                        $"{an.SubjectCode} ({an.ContestCode}): {an.ReasonId}", $"{an.SubjectCode} ({an.ContestCode}): {an.ReasonEn}", "/anomali"));
                    break;
                // Ready even when its PDF failed: the Excel workbook is always there (the notice says so).
                case SituationReport r when e.State == Microsoft.EntityFrameworkCore.EntityState.Added:
                    events.Add(new NotifyEvent(NotificationKind.SituationReport, r.RegionCode, "sitrep:" + r.RegionCode + ":" + r.ReportDate,
                        $"Laporan situasi {r.ReportDate} untuk {r.RegionCode} siap diunduh." + (r.PdfFileId is null ? " Hanya Excel: PDF tidak tersedia." : ""),
                        $"The situation report of {r.ReportDate} for {r.RegionCode} is ready." + (r.PdfFileId is null ? " Excel only: the PDF is not available." : ""),
                        "/koordinasi/laporan"));
                    break;
            }
        }
        return events;
    }

    private static NotifyEvent ActionEvent(PantauDbContext db, FollowUpAction a, NotificationKind kind)
    {
        var agency = a.OwnerAgency ?? db.ChangeTracker.Entries<Pantau.Data.Coordination.Agency>().Select(x => x.Entity).FirstOrDefault(x => x.Id == a.OwnerAgencyId)
            ?? db.Set<Pantau.Data.Coordination.Agency>().AsNoTracking().FirstOrDefault(x => x.Id == a.OwnerAgencyId);
        var name = agency?.Name ?? "";
        var due = a.DueAt.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        return new NotifyEvent(kind, a.RegionCode, "action:" + (a.Id == 0 ? Guid.NewGuid().ToString("N") : a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            $"{a.Title} · {name} · tenggat {due} WIB", $"{a.Title} · {name} · due {due} WIB", "/koordinasi/tindak-lanjut", Agency: name, AgencyCode: agency?.Code);
    }

    /// <summary>
    /// A C.Hasil sheet left waiting (conflict between sources, or flagged by a rule) as a notifiable event; the tally intake adds it in
    /// the transaction that writes the version. The subject names the version, so each waiting version is told once.
    /// </summary>
    public static NotifyEvent SheetWaiting(string contest, string tps, string desa, int versionNo, Pantau.Data.Tally.ResultStatus status)
    {
        var (id, en) = status == Pantau.Data.Tally.ResultStatus.Conflict
            ? ("C.Hasil berbeda antar-sumber, menunggu adjudikasi", "C.Hasil differs between sources, waiting for adjudication")
            : ("C.Hasil ditandai (melanggar aturan), menunggu koreksi", "C.Hasil flagged (breaks a rule), waiting for a correction");
        return new NotifyEvent(NotificationKind.ResultConflict, desa, $"sheet:{contest}:{tps}:v{versionNo}",
            $"TPS {tps} ({contest}) versi {versionNo}: {id}", $"TPS {tps} ({contest}) version {versionNo}: {en}", "/hasil/antrean");
    }

    /// <summary>Adds the notifications of <paramref name="events"/> to <paramref name="db"/>; returns the user ids told in the app.</summary>
    public static async Task<List<string>> AddAsync(PantauDbContext db, IReadOnlyList<NotifyEvent> events, CancellationToken ct)
    {
        var now = db.Clock.GetUtcNow();
        var users = await db.Users.AsNoTracking()
            .Where(u => u.Role != Role.Public && (u.LockoutEnd == null || u.LockoutEnd < Admin.AccountService.DisabledUntil))
            .Select(u => new { u.Id, u.Role, u.ScopeCode, u.Agency, u.Email }).ToListAsync(ct);
        var recipients = users.Select(u => new Recipient(u.Id, u.Role, u.ScopeCode, u.Agency)).ToList();
        var emails = users.ToDictionary(u => u.Id, u => u.Email);
        var prefs = (await db.NotificationPreferences.AsNoTracking().ToListAsync(ct)).ToDictionary(p => p.UserId, NotificationService.ToPrefs);
        var hooks = await db.WebhookSubscriptions.AsNoTracking().Where(w => w.Active).ToListAsync(ct);
        var told = new List<string>();
        foreach (var ev in events)
        {
            var (tid, ten) = NotificationLabels.Of(ev.Kind);
            Notification New(string? userId) => new()
            {
                PublicId = Guid.NewGuid(), Kind = ev.Kind, UserId = userId, RegionCode = ev.RegionCode, Subject = ev.Subject,
                TitleId = tid, TitleEn = ten, BodyId = Cut(ev.BodyId, 2000), BodyEn = Cut(ev.BodyEn, 2000), Link = ev.Link, Critical = ev.Critical, CreatedAt = now,
            };
            if (ev.ReporterEmail is not null)
            {
                var n = New(null);
                n.Deliveries.Add(new NotificationDelivery { Channel = NotificationChannel.Email, EmailAddress = ev.ReporterEmail, Status = DeliveryStatus.Pending, NextAttemptAt = now });
                db.Notifications.Add(n);
                continue;
            }
            foreach (var r in NotificationAudience.Select(recipients, ev.Kind, ev.RegionCode, ev.Agency, ev.AgencyCode))
            {
                var p = prefs.GetValueOrDefault(r.UserId) ?? NotificationPrefs.Default;
                if (!NotificationSchedule.Wants(p, ev.Kind, NotificationChannel.InApp, ev.Critical)) continue;
                var n = New(r.UserId);
                if (NotificationSchedule.Wants(p, ev.Kind, NotificationChannel.Email, ev.Critical) && AsEmailOrNull(emails.GetValueOrDefault(r.UserId)) is { } to)
                {
                    var (at, digest) = NotificationSchedule.EmailDueAt(p, now, ev.Critical);
                    n.Deliveries.Add(new NotificationDelivery { Channel = NotificationChannel.Email, EmailAddress = to, Status = DeliveryStatus.Pending, NextAttemptAt = at, Digest = digest });
                }
                db.Notifications.Add(n);
                told.Add(r.UserId);
            }
            var covering = hooks.Where(h => (h.RegionCode.Length == 0 || Core.Regions.RegionCode.IsWithin(ev.RegionCode, h.RegionCode))
                && NotificationService.ParseKinds(h.Kinds) is var k && (k.Count == 0 || k.Contains(ev.Kind))).ToList();
            if (covering.Count > 0)
            {
                var n = New(null);
                foreach (var h in covering)
                    n.Deliveries.Add(new NotificationDelivery { Channel = NotificationChannel.Webhook, WebhookId = h.Id, Status = DeliveryStatus.Pending, NextAttemptAt = now });
                db.Notifications.Add(n);
            }
        }
        return told;
    }

    private static string? AsEmailOrNull(string? s) => NotificationService.AsEmail(s);
    private static string Cut(string s, int n) => s.Length <= n ? s : s[..n];
}
