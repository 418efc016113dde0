using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Insiden;

/// <summary>A citizen checks their own report with its code and secret (POST, so the secret stays out of URLs and logs).</summary>
[EnableRateLimiting(RateLimits.PublicForm)]
public sealed class StatusModel(IncidentService svc) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Secret { get; set; }
    public PublicStatus? Result { get; private set; }
    public bool Mismatch { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Result = await svc.TrackAsync(Code, Secret, ct);
        Mismatch = Result is null;
        if (Mismatch) Response.StatusCode = 404;
        return Page();
    }
}
