using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Notifications;
using Pantau.Data;
using Pantau.Data.Tally;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Notifications;

/// <summary>
/// Time-based and waiting events, found from durable state on the scheduled-job loop (a database lease: one instance per run):
/// a follow-up action due within 24 hours, and a C.Hasil sheet waiting in conflict or flagged. Each is notified once per subject
/// (the outbox row itself is the marker), in the same transaction as the check.
/// </summary>
public sealed class NotificationTimersJob(TimeProvider time, IConfiguration config) : IScheduledJob
{
    public string Name => "notifications-timers";
    public TimeSpan Interval => TimeSpan.FromSeconds(config.GetValue("Pantau:Notifications:TimersEverySeconds", 300));

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var now = time.GetUtcNow();
        var events = new List<NotifyEvent>();

        var soon = now.AddHours(24);
        var dueSoon = await db.FollowUpActions.AsNoTracking().Include(a => a.OwnerAgency)
            .Where(a => (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress) && a.DueAt > now && a.DueAt <= soon)
            .OrderBy(a => a.Id).Take(1000).ToListAsync(ct);
        var subjects = dueSoon.Select(a => "action:" + a.Id).ToList();
        var done = (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.ActionDueSoon && subjects.Contains(n.Subject))
            .Select(n => n.Subject).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var a in dueSoon.Where(a => !done.Contains("action:" + a.Id)))
        {
            var due = a.DueAt.ToOffset(TimeSpan.FromHours(7)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            var agency = a.OwnerAgency?.Name ?? "";
            events.Add(new NotifyEvent(NotificationKind.ActionDueSoon, a.RegionCode, "action:" + a.Id,
                $"{a.Title} · {agency} · tenggat {due} WIB", $"{a.Title} · {agency} · due {due} WIB", "/koordinasi/tindak-lanjut", Agency: agency));
        }

        var waiting = await db.ResultVersions.AsNoTracking()
            .Where(v => v.Status == ResultStatus.Conflict || v.Status == ResultStatus.Flagged)
            .OrderBy(v => v.Id).Select(v => new { v.Id, v.ContestCode, v.TpsCode, v.DesaCode, v.Status }).Take(2000).ToListAsync(ct);
        var sheetSubjects = waiting.Select(v => "sheet:" + v.Id).ToList();
        var told = (await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.ResultConflict && sheetSubjects.Contains(n.Subject))
            .Select(n => n.Subject).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var v in waiting.Where(v => !told.Contains("sheet:" + v.Id)))
        {
            var (id, en) = v.Status == ResultStatus.Conflict
                ? ("C.Hasil berbeda antar-sumber, menunggu adjudikasi", "C.Hasil differs between sources, waiting for adjudication")
                : ("C.Hasil ditandai (melanggar aturan), menunggu koreksi", "C.Hasil flagged (breaks a rule), waiting for a correction");
            events.Add(new NotifyEvent(NotificationKind.ResultConflict, v.DesaCode, "sheet:" + v.Id,
                $"TPS {v.TpsCode} ({v.ContestCode}): {id}", $"TPS {v.TpsCode} ({v.ContestCode}): {en}", "/hasil/antrean"));
        }

        if (events.Count == 0) return "nothing due";
        var users = await NotificationOutbox.AddAsync(db, events, ct);
        await db.SaveChangesAsync(ct);
        if (scope.ServiceProvider.GetService<ILiveUpdates>() is { } live)
            foreach (var u in users.Distinct()) await live.PublishAsync(NotificationService.TopicFor(u), "notification", new { }, ct);
        return $"notified {events.Count} events";
    }
}
