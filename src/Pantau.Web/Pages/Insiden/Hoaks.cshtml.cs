using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Incidents;

namespace Pantau.Web.Pages.Insiden;

/// <summary>Public page of the hoax desk's published clarifications.</summary>
public sealed class HoaksModel(IncidentService svc) : PageModel
{
    public List<IncidentService.HoaxClaimDto> Claims { get; private set; } = [];
    public async Task OnGetAsync(CancellationToken ct) => Claims = await svc.ClaimsAsync(null, publishedOnly: true, ct);
}
