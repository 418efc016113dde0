using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>Conflicts and flagged sheets in the user's region, side by side with their field diff; adjudicators choose a version.</summary>
[Authorize(Policy = Access.ResultReview)]
public sealed class AntreanModel(PantauDbContext db, TallyReference reference, TallyService tally) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    [BindProperty(SupportsGet = true)] public string? Contest { get; set; }
    public List<QueueItem> Items { get; private set; } = [];
    public IReadOnlyList<(string Code, string Name)> Contests { get; private set; } = [];
    public string Scope { get; private set; } = "";
    public string? Error { get; private set; }
    public bool CanAdjudicate { get; private set; }
    public SheetOutcome? Result { get; private set; }


    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string contest, string tps, int versionNo, string? reason, CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(RoleGroups.ResultAdjudication)) return Forbid();
        Result = string.IsNullOrWhiteSpace(reason)
            ? new SheetOutcome(0, contest, tps, "rejected", 400, Error: "Alasan wajib diisi / a reason is required")
            : await tally.AdjudicateAsync(actor, contest, tps, versionNo, reason.Trim(), ct);
        if (Result.HttpStatus >= 400) Response.StatusCode = Result.HttpStatus;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        CanAdjudicate = actor.IsIn(RoleGroups.ResultAdjudication);
        Scope = actor.ScopeCode;
        var contests = await reference.ContestsAsync(ct);
        Contests = contests.Values.OrderBy(c => c.Code).Select(c => (c.Code, c.Name)).ToList();
        Region = string.IsNullOrWhiteSpace(Region) ? null : Region.Trim();
        Contest = string.IsNullOrWhiteSpace(Contest) ? null : Contest.Trim();
        var region = actor.ScopeCode == "-" ? "99" : actor.ScopeCode;
        if (Region is not null)
        {
            // The list is filtered to the picked region's subtree, which must lie inside the user's own scope.
            if (!Pantau.Core.Regions.RegionCode.IsValid(Region) || !actor.Covers(Region))
            {
                Error = "Wilayah tidak sah atau di luar cakupan Anda / invalid region or outside your scope.";
                Response.StatusCode = 400;
                Region = null;
            }
            else region = Region;
        }
        if (Contest is not null && !contests.ContainsKey(Contest)) { Error = "Pemilihan tidak dikenal / unknown contest."; Response.StatusCode = 400; Contest = null; }
        Items = await TallyQueries.QueueAsync(db, reference, region, Contest, 200, ct);
    }
}
