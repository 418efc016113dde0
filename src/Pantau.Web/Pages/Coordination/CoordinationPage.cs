using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Core.Coordination;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Coordination;

/// <summary>Base of the coordination pages: signed-in only, region defaults to the actor's scope.</summary>
[Authorize]
public abstract class CoordinationPage : PageModel
{
    public Actor Actor => HttpContext.GetActor();
    public bool IsDesk => Actor.IsIn(RoleGroups.Desk);
    public Dictionary<string, string[]> Errors { get; } = new();

    protected string RegionOrScope(string? region, IConfiguration config) =>
        RegionCode.IsValid(region) && Actor.Covers(region!) ? region! : HomeRegion.For(Actor, config);

    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A <c>datetime-local</c> value is read as WIB.</summary>
    public static DateTimeOffset? ParseLocal(string? s) =>
        DateTime.TryParseExact(s, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd"], Inv, DateTimeStyles.None, out var dt)
            ? new DateTimeOffset(dt, PilkadaSchedule.Wib) : null;

    public static string ToLocalInput(DateTimeOffset t) => t.ToOffset(PilkadaSchedule.Wib).ToString("yyyy-MM-ddTHH:mm", Inv);

    /// <summary>The errors of a field in the page's language (service messages are written "Indonesia / English").</summary>
    public string? Error(string key) =>
        Errors.TryGetValue(key, out var e) ? string.Join(" ", e.Select(HttpContext.RequestServices.GetRequiredService<Lang>().One)) : null;

    public static string StatusLabel(Lang l, ActionStatus s) => s switch
    {
        ActionStatus.Open => l.T("Terbuka", "Open"), ActionStatus.InProgress => l.T("Dikerjakan", "In progress"),
        ActionStatus.Done => l.T("Selesai", "Done"), _ => l.T("Dibatalkan", "Cancelled"),
    };

    public static string StatusBand(ActionStatus s, bool overdue) => overdue ? "bad" : s switch { ActionStatus.Done => "ok", ActionStatus.InProgress => "warn", _ => "" };
}
