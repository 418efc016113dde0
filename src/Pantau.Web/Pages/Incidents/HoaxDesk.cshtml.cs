using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Incidents;
using Pantau.Core.Security;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>The hoax desk: claims, their grouped reports, verdicts and clarifications.</summary>
[Authorize(Policy = Access.Officers)]
public sealed class HoaxDeskModel(IncidentService svc) : PageModel
{
    /// <summary>List filter: claims and ungrouped hoax reports in this region's subtree (claims of a wider region that covers it too).</summary>
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public string Scope { get; private set; } = "";
    [BindProperty] public string? Claim { get; set; }
    [BindProperty] public string? RegionCode { get; set; }
    [BindProperty] public Guid ClaimId { get; set; }
    [BindProperty] public HoaxVerdict? Verdict { get; set; }
    [BindProperty] public string? Clarification { get; set; }
    [BindProperty] public bool Publish { get; set; }
    public List<IncidentService.HoaxClaimDto> Claims { get; private set; } = [];
    public List<IncidentListItem> Ungrouped { get; private set; } = [];
    public string? Error { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    private async Task<IActionResult> Show(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Scope = actor.ScopeCode;
        Region = string.IsNullOrWhiteSpace(Region) ? null : Region.Trim();
        if (Region is not null && (!Pantau.Core.Regions.RegionCode.IsValid(Region) || !actor.Covers(Region)))
        {
            Error = "Wilayah tidak sah atau di luar cakupan Anda / invalid region or outside your scope.";
            Response.StatusCode = 400;
            Region = null;
        }
        Claims = await svc.ClaimsAsync(actor, false, ct);
        if (Region is { } r)
            Claims = Claims.Where(c => Pantau.Core.Regions.RegionCode.IsWithin(c.RegionCode, r) || Pantau.Core.Regions.RegionCode.IsWithin(r, c.RegionCode)).ToList();
        Ungrouped = (await svc.ListAsync(actor, Region, null, IncidentCategory.Hoax, true, 200, ct)).Where(i => i.HoaxClaimId is null).ToList();
        return Page();
    }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Show(ct);

    private async Task<IActionResult> After<T>(ServiceResult<T> r, string kind, CancellationToken ct)
    {
        if (r.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With("/insiden/hoaks", kind));
        Error = r.Error ?? "Periksa isian / please check the input.";
        Errors = r.Errors ?? [];
        var page = await Show(ct);
        Response.StatusCode = r.Status;
        return page;
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        return await After(await svc.CreateClaimAsync(new(Claim, string.IsNullOrWhiteSpace(RegionCode) ? HomeRegion.For(HttpContext) : RegionCode), actor, ct), "klaim", ct);
    }

    public async Task<IActionResult> OnPostVerdictAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        return await After(await svc.SetVerdictAsync(ClaimId, new(Verdict, Clarification, Publish), actor, ct), "putusan", ct);
    }
}
