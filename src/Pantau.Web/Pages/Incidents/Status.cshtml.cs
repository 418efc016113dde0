using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>A citizen checks their own report with its code and secret (POST, so the secret stays out of URLs and logs).</summary>
[EnableRateLimiting(RateLimits.PublicForm)]
public sealed class StatusModel(IncidentService svc) : PageModel
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public string? Secret { get; set; }
    public PublicStatus? Result { get; private set; }
    public bool Mismatch { get; private set; }
    /// <summary>The form was sent without its code or secret.</summary>
    public bool Missing { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Code) || string.IsNullOrWhiteSpace(Secret))
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Result = await svc.TrackAsync(Code, Secret, ct);
        Mismatch = Result is null;
        if (Mismatch) Response.StatusCode = 404;
        return Page();
    }
}
