using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Escalates overdue follow-up actions to the Desk without anyone acting: every open or in-progress action past its due time gets
/// <c>EscalatedAt</c> set (once) and a live event (<c>actions-overdue</c>) is published to the Desk topics of its region and its ancestors (<see cref="DeskEvents"/>).
/// </summary>
public sealed class OverdueActionsJob(TimeProvider time) : IScheduledJob
{
    public string Name => "coordination-overdue-actions";
    public TimeSpan Interval => TimeSpan.FromMinutes(10);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var live = scope.ServiceProvider.GetService<ILiveUpdates>();
        var now = time.GetUtcNow();
        var due = await db.FollowUpActions
            .Where(a => (a.Status == ActionStatus.Open || a.Status == ActionStatus.InProgress) && a.DueAt < now && a.EscalatedAt == null)
            .OrderBy(a => a.Id).Take(1000).ToListAsync(ct);
        foreach (var a in due) { a.EscalatedAt = now; a.Version++; }
        if (due.Count == 0) return "no overdue actions";
        await db.SaveChangesAsync(ct);
        foreach (var g in due.GroupBy(a => a.RegionCode))
        {
            var ids = g.Select(a => a.Id).ToArray();
            await DeskEvents.PublishAsync(live, [g.Key], "actions-overdue", new { count = ids.Length, ids }, ct);
        }
        return $"escalated {due.Count} overdue actions";
    }
}
