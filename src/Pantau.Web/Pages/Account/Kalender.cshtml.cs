using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Infrastructure;
using Pantau.Web.Interop;

namespace Pantau.Web.Pages.Account;

/// <summary>Every signed-in user subscribes a phone calendar to the tahapan, and manages their private feed's secret URL.</summary>
public sealed class KalenderModel(CalendarFeeds feeds) : PageModel
{
    public string PublicUrl { get; private set; } = "";
    public DateTimeOffset? ActiveSince { get; private set; }
    public string? NewUrl { get; private set; }
    public bool Revoked { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken ct)
    {
        var (secret, _) = await feeds.CreateAsync(HttpContext.GetActor(), ct);
        NewUrl = CalendarModule.BaseUrl(HttpContext) + $"/api/calendar/feed/{secret}.ics";
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(CancellationToken ct)
    {
        await feeds.RevokeAsync(HttpContext.GetActor(), ct);
        Revoked = true;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        PublicUrl = CalendarModule.BaseUrl(HttpContext) + "/api/calendar/tahapan.ics";
        ActiveSince = await feeds.ActiveSinceAsync(HttpContext.GetActor(), ct);
    }
}
