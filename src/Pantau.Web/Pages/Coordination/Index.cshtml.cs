using Microsoft.AspNetCore.Mvc;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

public sealed class IndexModel(DashboardService dashboard, IConfiguration config) : CoordinationPage
{
    public DashboardDto? Dash { get; private set; }

    /// <summary>
    /// Event types that change a number on the dashboard: incidents (reported, workflow actions, SLA escalation), follow-up actions, rakor
    /// and agreements (<see cref="DeskEvents"/>), tally totals, anomaly scans and readiness tasks/schedule.
    /// </summary>
    public const string LiveEvents = "reported,Verify,Reject,MergeInto,Refer,RecordAction,Close,Reopen,escalated,action,meeting,agreement,actions-overdue,totals,changed,task,tahapan";

    /// <summary>The live topics of a dashboard: its Desk topic, the incidents of its kab/kota (all, for a province), the tally of its contest,
    /// anomaly scans and readiness.</summary>
    public static string LiveTopics(DashboardDto d)
    {
        var topics = new List<string> { DeskEvents.Prefix + d.RegionCode };
        topics.Add(d.Level == Pantau.Core.Regions.RegionLevel.Provinsi ? Pantau.Web.Incidents.IncidentService.Topic
            : Pantau.Web.Incidents.IncidentService.Topic + ":" + Pantau.Core.Regions.RegionCode.AncestorAt(d.RegionCode, Pantau.Core.Regions.RegionLevel.KabKota));
        if (d.Tally?.ContestCode is { } contest) topics.Add("tally:" + contest);
        topics.Add(Pantau.Web.Tally.Anomalies.AnomalyScanner.LiveTopic);
        topics.Add(Pantau.Web.Readiness.ReadinessCommands.LiveTopic);
        return string.Join(',', topics);
    }

    public async Task<IActionResult> OnGetAsync(string? region, CancellationToken ct)
    {
        var code = RegionOrScope(region, config);
        Dash = await dashboard.BuildAsync(code, ct);
        if (Dash is null) return NotFound();
        return Page();
    }
}
