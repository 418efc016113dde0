using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Incidents;

namespace Pantau.Web.Pages.Incidents;

/// <summary>Public page of the hoax desk's published clarifications.</summary>
public sealed class HoaksModel(IncidentService svc) : PageModel
{
    /// <summary>Only clarifications about this region's subtree, or about a wider region that covers it (a province-wide hoax concerns a kab/kota too).</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public List<IncidentService.HoaxClaimDto> Claims { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Claims = await svc.ClaimsAsync(null, publishedOnly: true, ct);
        Region = Pantau.Core.Regions.RegionCode.IsValid(Region?.Trim()) ? Region!.Trim() : null;
        if (Region is { } r)
            Claims = Claims.Where(c => Pantau.Core.Regions.RegionCode.IsWithin(c.RegionCode, r) || Pantau.Core.Regions.RegionCode.IsWithin(r, c.RegionCode)).ToList();
    }
}
