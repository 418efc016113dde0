using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Readiness;
using Pantau.Core.Security;
using Pantau.Web.Infrastructure;
using Pantau.Web.Readiness;

namespace Pantau.Web.Pages.Readiness;

[Authorize]
public sealed class TahapanModel(ReadinessService svc, ReadinessCommands cmd, Web.Elections.ElectionCatalog elections) : PageModel
{
    public ReadinessModule.TahapanView View { get; private set; } = null!;
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }
    public Web.Elections.ElectionCatalog.Entry? Election { get; private set; }
    public Web.Elections.ElectionBar Bar { get; private set; } = null!;
    /// <summary>The election's schedule is its template placed on its voting day (not the stored, editable 2024 schedule).</summary>
    public bool FromTemplate { get; private set; }
    public DateOnly VotingDay => Election?.VotingDate ?? Schedule.VotingDay;
    public bool CanEdit { get; private set; }
    [BindProperty] public string? Code { get; set; }
    [BindProperty] public DateOnly? Start { get; set; }
    [BindProperty] public DateOnly? End { get; set; }
    [BindProperty] public long? Version { get; set; }
    public string? Error { get; private set; }
    public string? Saved { get; private set; }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var a = HttpContext.GetActor();
        Election = await elections.ResolveAsync(ElectionCode, ct, a.HomeRegion);
        Bar = await Web.Elections.ElectionBar.ForAsync(elections, Election, "/kesiapan/tahapan", ct);
        if (Election is null && !string.IsNullOrWhiteSpace(ElectionCode)) return false;
        View = await ReadinessModule.TahapanAsync(svc, svc.Today, ct);
        CanEdit = a.IsIn(RoleGroups.Desk) && cmd.MayEditSchedule(a);
        var stored = View.Stages.FirstOrDefault(s => s.Code == ScheduleTemplate.VotingStage)?.Start;
        if (Election is not null && stored != Election.VotingDate)
        {
            // Another election than the stored schedule's: its stages from the template of its kind, placed on its voting day.
            FromTemplate = true;
            CanEdit = false;
            var today = svc.Today;
            var stages = ScheduleTemplate.ForKind(Data.Elections.Election.KindText(Election.Kind)).Instantiate(Election.VotingDate);
            var views = stages.OrderBy(s => s.Start).Select(s => new StageView(s.Code, s.NameId, s.NameEn, s.Start, s.End, Schedule.StateOf(s, today), 0)).ToList();
            var due = Schedule.DueWithin(stages, today).Select(s => s.Code).ToHashSet();
            View = new ReadinessModule.TahapanView(today, views, views.Where(s => due.Contains(s.Code)).ToList(), []);
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return NotFound();
        if (!CanEdit) return Forbid();
        var (_, error) = await cmd.UpdateStageAsync(HttpContext.GetActor(), Code ?? "", new StageUpdate(Start, End, Version), ct);
        if (error is not null) { Error = error.Detail; Response.StatusCode = error.Status; return Page(); }
        Saved = Code;
        await LoadAsync(ct);
        return Page();
    }
}
