using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Pages.Readiness;

[Authorize]
public sealed class TahapanModel(ReadinessService svc, ReadinessCommands cmd) : PageModel
{
    public ReadinessModule.TahapanView View { get; private set; } = null!;
    public bool CanEdit { get; private set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public DateOnly? Start { get; set; }
    [BindProperty] public DateOnly? End { get; set; }
    [BindProperty] public long? Version { get; set; }
    public string? Error { get; private set; }
    public string? Saved { get; private set; }

    private async Task LoadAsync(CancellationToken ct)
    {
        View = await ReadinessModule.TahapanAsync(svc, svc.Today, ct);
        var a = HttpContext.GetActor();
        CanEdit = a.IsIn(RoleGroups.Desk) && cmd.MayEditSchedule(a);
    }

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        if (!CanEdit) return Forbid();
        var (_, error) = await cmd.UpdateStageAsync(HttpContext.GetActor(), Code ?? "", new StageUpdate(Start, End, Version), ct);
        if (error is not null) { Error = error.Detail; Response.StatusCode = error.Status; return Page(); }
        Saved = Code;
        await LoadAsync(ct);
        return Page();
    }
}
