using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Notifications;
using Pantau.Web.Infrastructure;
using Pantau.Web.Notifications;

namespace Pantau.Web.Pages.Notifications;

/// <summary>The signed-in user's notifications and their preferences.</summary>
public sealed class IndexModel(NotificationService svc, Lang lang) : PageModel
{
    public List<NotificationDto> Items { get; private set; } = [];
    public PreferencesDto Prefs { get; private set; } = new([], true, false, 7, null, null);
    public Dictionary<string, string[]>? Errors { get; private set; }
    public bool Saved { get; private set; }

    private async Task LoadAsync()
    {
        var actor = HttpContext.GetActor();
        Items = await svc.ListAsync(actor, lang.IsEnglish, 100, HttpContext.RequestAborted);
        Prefs = await svc.GetPreferencesAsync(actor, HttpContext.RequestAborted);
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostReadAsync(long? id)
    {
        await svc.MarkReadAsync(HttpContext.GetActor(), id, HttpContext.RequestAborted);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPreferencesAsync(int[]? muted, bool email, bool digest, int digestHour, string? quietFrom, string? quietTo)
    {
        var kinds = (muted ?? []).Select(k => (NotificationKind)k).ToArray();
        Errors = await svc.SavePreferencesAsync(HttpContext.GetActor(), new PreferencesDto(kinds, email, digest, digestHour, quietFrom, quietTo), HttpContext.RequestAborted);
        if (Errors is not null) Response.StatusCode = 400;
        else Saved = true;
        await LoadAsync();
        return Page();
    }
}
