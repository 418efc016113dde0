using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Infrastructure;
using Pantau.Web.Notifications;

namespace Pantau.Web.Pages.Admin;

/// <summary>Who was told what, when and how (admins, within their scope).</summary>
public sealed class NotifikasiModel(NotificationService svc, Lang lang) : PageModel
{
    public List<NotificationRecordDto> Rows { get; private set; } = [];
    public string? Subject { get; private set; }

    public async Task OnGetAsync(string? subject)
    {
        Subject = subject;
        Rows = await svc.RecordAsync(HttpContext.GetActor(), subject, null, lang.IsEnglish, 300, HttpContext.RequestAborted);
    }
}
