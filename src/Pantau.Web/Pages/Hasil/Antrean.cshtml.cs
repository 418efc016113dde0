using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Hasil;

/// <summary>Conflicts and flagged sheets in the user's region, side by side with their field diff; adjudicators choose a version.</summary>
[Authorize]
public sealed class AntreanModel(PantauDbContext db, TallyReference reference, TallyService tally) : PageModel
{
    public List<QueueItem> Items { get; private set; } = [];
    public bool CanAdjudicate { get; private set; }
    public SheetOutcome? Result { get; private set; }

    private static readonly Role[] Viewers = [.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        if (!actor.IsIn(Viewers)) return Forbid();
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
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        CanAdjudicate = actor.IsIn(RoleGroups.ResultAdjudication);
        Items = await TallyQueries.QueueAsync(db, reference, actor.ScopeCode, null, 200, ct);
    }
}
