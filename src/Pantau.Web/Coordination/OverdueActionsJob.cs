using Microsoft.EntityFrameworkCore;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Data;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Coordination;

/// <summary>
/// Escalates overdue follow-up actions to the Desk without anyone acting: every open or in-progress action past its due time gets
/// <c>EscalatedAt</c> set (once) and a live event is published to the Desk topics of its kab/kota and province.
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
        if (live is not null)
            foreach (var g in due.GroupBy(a => RegionCode.Lineage(a.RegionCode)[Math.Min(1, RegionCode.Lineage(a.RegionCode).Count - 1)]))
            {
                var ids = g.Select(a => a.Id).ToArray();
                await live.PublishAsync("desk:" + g.Key, "actions-overdue", new { count = ids.Length, ids }, ct);
                var province = RegionCode.AncestorAt(g.Key, RegionLevel.Provinsi);
                if (province != g.Key) await live.PublishAsync("desk:" + province, "actions-overdue", new { count = ids.Length, ids }, ct);
            }
        return $"escalated {due.Count} overdue actions";
    }
}
