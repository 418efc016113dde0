using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Incidents;
using Pantau.Core.Security;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Insiden;

/// <summary>The hoax desk: claims, their grouped reports, verdicts and clarifications.</summary>
[Authorize]
public sealed class HoaxDeskModel(IncidentService svc) : PageModel
{
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
        if (!actor.IsIn(RoleGroups.Officers)) return Forbid();
        Claims = await svc.ClaimsAsync(actor, false, ct);
        Ungrouped = (await svc.ListAsync(actor, null, null, IncidentCategory.Hoax, true, 200, ct)).Where(i => i.HoaxClaimId is null).ToList();
        return Page();
    }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => Show(ct);

    private async Task<IActionResult> After<T>(ServiceResult<T> r, CancellationToken ct)
    {
        if (r.Ok) return Redirect("/insiden/hoaks");
        Error = r.Error ?? "Periksa isian / please check the input.";
        Errors = r.Errors ?? [];
        var page = await Show(ct);
        Response.StatusCode = r.Status;
        return page;
    }

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.Officers)) return Forbid();
        return await After(await svc.CreateClaimAsync(new(Claim, string.IsNullOrWhiteSpace(RegionCode) ? (actor.ScopeCode.Length > 0 ? actor.ScopeCode : "16") : RegionCode), actor, ct), ct);
    }

    public async Task<IActionResult> OnPostVerdictAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.Officers)) return Forbid();
        return await After(await svc.SetVerdictAsync(ClaimId, new(Verdict, Clarification, Publish), actor, ct), ct);
    }
}
