using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

[Authorize(Policy = Access.Officers)]
public sealed class IndexModel(IncidentService svc, IIncidentSummary summary) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public IncidentStatus? Status { get; set; }
    [BindProperty(SupportsGet = true)] public IncidentCategory? Category { get; set; }
    [BindProperty(SupportsGet = true)] public Severity? Severity { get; set; }
    [BindProperty(SupportsGet = true)] public bool Open { get; set; } = true;
    public List<IncidentListItem> Items { get; private set; } = [];
    public IncidentSummary? Summary { get; private set; }
    public List<IncidentService.AsnAgencyStats> Asn { get; private set; } = [];
    public string? Error { get; private set; }
    public string Scope { get; private set; } = "";

    /// <summary>This list with the same region (and severity) and another category.</summary>
    public string Link(IncidentCategory? category) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/insiden", new Dictionary<string, string?>
        {
            ["region"] = Region, ["category"] = category?.ToString(), ["severity"] = Severity?.ToString(),
        }.Where(kv => !string.IsNullOrEmpty(kv.Value)));

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Scope = actor.ScopeCode;
        Region = string.IsNullOrWhiteSpace(Region) ? null : Region.Trim();
        if (Region is { Length: > 0 } && (!RegionCode.IsValid(Region) || !actor.Covers(Region)))
        {
            Error = "Wilayah tidak sah atau di luar cakupan Anda / invalid region or outside your scope.";
            Region = null;
            Response.StatusCode = 400;
        }
        Items = await svc.ListAsync(actor, Region, Status, Category, Open && Status is null, 500, ct, Severity);
        var scope = Region is { Length: > 0 } ? Region : HomeRegion.For(HttpContext);
        Summary = await summary.GetAsync(scope, ct);
        Asn = await svc.AsnStatsAsync(actor.ScopeCode, Region, ct);
        return Page();
    }
}
