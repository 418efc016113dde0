using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Data;
using Pantau.Data.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Incidents;

/// <summary>
/// Escalates reports whose SLA has passed (verification or action overdue) to the Desk Pilkada, without anyone acting:
/// marks the stage escalated, writes the history and pushes a live event to the Desk (topic <c>incidents:desk</c>).
/// Each stage escalates once; a later stage (action overdue) escalates again.
/// </summary>
public sealed class SlaEscalationJob(TimeProvider time) : IScheduledJob
{
    public string Name => "incidents-sla-escalation";
    public TimeSpan Interval => TimeSpan.FromMinutes(5);

    public async Task<string> RunAsync(IServiceProvider services, CancellationToken ct)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PantauDbContext>();
        var live = scope.ServiceProvider.GetRequiredService<ILiveUpdates>();
        var now = time.GetUtcNow();
        var open = await db.Incidents.Where(i => (i.Status == IncidentStatus.New || i.Status == IncidentStatus.Verified || i.Status == IncidentStatus.Referred) && i.EscalatedStage < 2)
            .ToListAsync(ct);
        var escalated = new List<Incident>();
        foreach (var i in open)
        {
            var sla = Sla.Evaluate(i.Status, i.Severity, i.ReportedAt, i.VerifiedAt, now);
            if (!sla.IsOverdue || (int)sla.Stage <= i.EscalatedStage) continue;
            i.EscalatedStage = (int)sla.Stage;
            i.EscalatedAt = now;
            i.UpdatedAt = now;
            i.Version++;
            var what = sla.Stage == SlaStage.Verify ? "verifikasi / verification" : "tindak lanjut / action";
            db.IncidentEvents.Add(new IncidentEvent
            {
                IncidentId = i.Id, At = now, Actor = "system", ActorRole = "System", Action = "escalated", FromStatus = i.Status, ToStatus = i.Status,
                Note = $"Batas waktu {what} ({i.Severity}) terlewati sejak {sla.DueAt:yyyy-MM-dd HH:mm} UTC; dieskalasi ke Desk Pilkada / SLA overdue, escalated to the Desk.",
            });
            escalated.Add(i);
        }
        if (escalated.Count == 0) return "no overdue reports";
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { return "conflict; will retry next run"; }
        foreach (var i in escalated)
        {
            await live.PublishAsync("incidents:desk", "escalated", new { id = i.Id, region = i.KabKotaCode, stage = i.EscalatedStage }, ct);
            await live.PublishAsync("incidents:" + i.KabKotaCode, "escalated", new { id = i.Id, region = i.KabKotaCode, stage = i.EscalatedStage }, ct);
        }
        return $"escalated {escalated.Count}";
    }
}
