using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Notifications;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Notifications;

/// <summary>
/// Time-based events, found from durable state and the injected clock on the scheduled-job loop (a database lease: one instance per
/// run): a follow-up action due within 24 hours, and a readiness task that became late. Each is notified once per subject (the outbox
/// row itself is the marker), in the same transaction as the check. (Overdue actions are notified when the SLA job escalates them, and
/// sheets waiting in conflict or flagged by the tally intake, in their own transactions.)
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
                $"{a.Title} · {agency} · tenggat {due} WIB", $"{a.Title} · {agency} · due {due} WIB", "/koordinasi/tindak-lanjut", Agency: agency, AgencyCode: a.OwnerAgency?.Code));
        }

        // Readiness tasks that became late (tasks are virtual, template x region): one notice per template and kab/kota, once per target.
        var readiness = scope.ServiceProvider.GetRequiredService<Readiness.ReadinessService>();
        var tree = await readiness.TreeAsync(ct);
        var today = Core.Readiness.Schedule.Today(now);
        var late = new List<Core.Readiness.CriticalItem>();
        foreach (var root in tree.Regions.Values.Where(r => r.ParentCode is null).OrderBy(r => r.Code, StringComparer.Ordinal))
            if (await readiness.LateAsync(root.Code, today, int.MaxValue, ct) is { } list) late.AddRange(list.Items);
        var notices = ReadinessLateNotices.Group(late);
        var toldLate = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in notices.Select(n => n.Subject).Chunk(1000))
            toldLate.UnionWith(await db.Notifications.AsNoTracking().Where(n => n.Kind == NotificationKind.ReadinessLate && part.Contains(n.Subject))
                .Select(n => n.Subject).Distinct().ToListAsync(ct));
        foreach (var n in notices.Where(n => !toldLate.Contains(n.Subject)))
            events.Add(new NotifyEvent(NotificationKind.ReadinessLate, n.RegionCode, n.Subject, n.BodyId, n.BodyEn, "/kesiapan/" + n.RegionCode));

        if (events.Count == 0) return "nothing due";
        var users = await NotificationOutbox.AddAsync(db, events, ct);
        await db.SaveChangesAsync(ct);
        if (scope.ServiceProvider.GetService<ILiveUpdates>() is { } live)
            foreach (var u in users.Distinct()) await live.PublishAsync(NotificationService.TopicFor(u), "notification", new { }, ct);
        return $"notified {events.Count} events";
    }
}
