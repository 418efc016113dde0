using Microsoft.AspNetCore.Mvc;
using Pantau.Web.Coordination;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Desk)]
public sealed class IndexModel(DashboardService dashboard, IConfiguration config) : CoordinationPage
{
    public DashboardDto? Dash { get; private set; }

    /// <summary>
    /// Event types that change a number on the dashboard: incidents (reported, workflow actions, SLA escalation), follow-up actions, rakor
    /// and agreements (<see cref="DeskEvents"/>), tally totals, anomaly scans and readiness tasks/schedule.
    /// </summary>
    public const string LiveEvents = "reported,Verify,Reject,MergeInto,Refer,RecordAction,Close,Reopen,escalated,action,meeting,agreement,actions-overdue,totals,changed,task,tahapan";

    /// <summary>The live topics of a dashboard, all limited to its own region: its Desk topic, the incidents of its province or
    /// kab/kota (incident events name the kab/kota), the tally of its contest, the anomalies of its region, the readiness of its region and
    /// schedule edits. Events of other provinces do not reach it (<see cref="Pantau.Web.Infrastructure.LiveHub.Matches"/>).</summary>
    public static string LiveTopics(DashboardDto d)
    {
        var topics = new List<string> { DeskEvents.Prefix + d.RegionCode };
        topics.Add(Pantau.Web.Incidents.IncidentService.TopicFor(d.RegionCode));
        if (d.Tally?.ContestCode is { } contest) topics.Add("tally:" + contest);
        topics.Add(Pantau.Web.Tally.Anomalies.AnomalyScanner.TopicFor(d.RegionCode));
        topics.Add(Pantau.Web.Readiness.ReadinessCommands.RegionTopic(d.RegionCode));
        topics.Add(Pantau.Web.Readiness.ReadinessCommands.ScheduleTopic);
        return string.Join(',', topics);
    }

    public Web.Elections.ElectionBar? Bar { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? region, string? election, CancellationToken ct)
    {
        var code = RegionOrScope(region, config);
        Dash = await dashboard.BuildAsync(code, ct, election);
        if (Dash is null) return NotFound();
        var catalog = HttpContext.RequestServices.GetRequiredService<Web.Elections.ElectionCatalog>();
        Bar = await Web.Elections.ElectionBar.ForAsync(catalog, Dash.ElectionCode is { } e ? await catalog.ResolveAsync(e, ct) : null, "/koordinasi", ct, ("region", Dash.RegionCode));
        return Page();
    }
}
