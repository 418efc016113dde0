using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Readiness;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Pages.Readiness;

[Authorize]
public sealed class IndexModel(ReadinessService svc, TimeProvider time) : PageModel
{
    public RegionDashboard? Dashboard { get; private set; }
    public string Code { get; private set; } = "16";
    public DateOnly Day { get; private set; }
    public string? On { get; private set; }
    public string? Error { get; private set; }
    public bool CanEdit { get; private set; }

    public async Task OnGetAsync(string? code, string? on, CancellationToken ct)
    {
        Code = string.IsNullOrEmpty(code) ? HomeRegion.For(HttpContext) : code; // the user's own region when none is given
        On = on;
        if (!ReadinessModule.TryDay(on, time, out var day))
        {
            Error = "date";
            day = Schedule.Today(time.GetUtcNow());
            On = null;
        }
        Day = day;
        Dashboard = await svc.DashboardAsync(Code, day, 30, ct);
        var actor = HttpContext.GetActor();
        CanEdit = actor.IsIn(ReadinessModule.TaskEditors) && actor.Covers(Code);
        if (Dashboard is null) Response.StatusCode = 404;
    }

    public string Q => On is null ? "" : "?on=" + On;
}
