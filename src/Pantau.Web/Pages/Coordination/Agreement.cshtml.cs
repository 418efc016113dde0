using Microsoft.AspNetCore.Mvc;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Coordination;

public sealed class AgreementModel(CoordinationService coord, Lang lang) : CoordinationPage
{
    public AgreementDto? Agreement { get; private set; }
    public List<AgencyDto> Agencies { get; private set; } = [];
    public bool CanEdit { get; private set; }
    public string? Problem { get; private set; }
    [BindProperty] public string? ActionTitle { get; set; }
    [BindProperty] public int? OwnerAgencyId { get; set; }
    [BindProperty] public string? DueAt { get; set; }

    private async Task<bool> Load(int id, CancellationToken ct)
    {
        Agreement = await coord.GetAgreementAsync(id, ct);
        if (Agreement is null) return false;
        CanEdit = IsDesk && Actor.Covers(Agreement.RegionCode);
        Agencies = Agreement.Parties.ToList();
        return true;
    }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await Load(id, ct)) return NotFound();
        if (!Actor.Covers(Agreement!.RegionCode) && !Agreement.Parties.Select(p => p.Id).Intersect(await coord.AgenciesOfAsync(Actor, ct)).Any()) return Forbid();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var o = await coord.AddActionToAgreementAsync(Actor, id, new ActionInput(ActionTitle, null, OwnerAgencyId, null, ParseLocal(DueAt), null, null), ct);
        if (o.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/kesepakatan/{id}", "tindak-lanjut"));
        foreach (var (k, v) in o.Errors ?? []) Errors[k.Replace("action.", "", StringComparison.Ordinal)] = v;
        Problem = o.Message ?? lang.T("Periksa isian yang ditandai.", "Check the marked fields.");
        if (!await Load(id, ct)) return NotFound();
        Response.StatusCode = o.Status;
        return Page();
    }
}
