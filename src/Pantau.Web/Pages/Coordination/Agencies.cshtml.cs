using Microsoft.AspNetCore.Mvc;
using Pantau.Core.Coordination;
using Pantau.Web.Coordination;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Coordination;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Pantau.Web.Infrastructure.Access.Desk)]
public sealed class AgenciesModel(CoordinationService coord, Lang lang, IConfiguration config) : CoordinationPage
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    public List<AgencyDto> Agencies { get; private set; } = [];
    [BindProperty] public int? Id { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public AgencyKind? Kind { get; set; }
    [BindProperty] public string? AgencyRegion { get; set; }
    [BindProperty] public string? Contact { get; set; }
    [BindProperty] public bool IsForkopim { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await Load(ct);

    private async Task Load(CancellationToken ct)
    {
        Region = RegionOrScope(Region, config);
        Agencies = await coord.AgenciesAsync(Region, Q, false, ct);
        AgencyRegion ??= Region;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!IsDesk) return Forbid();
        var o = await coord.SaveAgencyAsync(Actor, Id, new AgencyInput(null, Name, Kind, AgencyRegion, IsForkopim, Contact, null, null), ct);
        if (o.Ok) return Redirect(Pantau.Web.Infrastructure.SavedNotice.With($"/koordinasi/instansi?region={Region}#ag-{o.Value!.Id}", "instansi"));
        foreach (var (k, v) in o.Errors ?? []) Errors[k] = v;
        Problem = o.Message ?? lang.T("Periksa isian yang ditandai.", "Check the marked fields.");
        Response.StatusCode = o.Status;
        await Load(ct);
        return Page();
    }
}
