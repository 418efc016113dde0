using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>The version history of one TPS's C.Hasil sheet in one contest, as a page (the API has the same as JSON).</summary>
[EnableRateLimiting(RateLimits.PublicApi)]
public sealed class RiwayatModel(PantauDbContext db, TallyReference reference) : PageModel
{
    public RecapDto Recap { get; private set; } = null!;
    public HistoryDto? History { get; private set; }

    public async Task<IActionResult> OnGetAsync(string contest, string tps, CancellationToken ct)
    {
        if (!RegionCode.TryParseTpsCode(tps, out _, out _)) return NotFound();
        if (await TallyQueries.RecapAsync(db, reference, contest, tps, ct) is not { } recap) return NotFound();
        Recap = recap;
        // The sheets are public; who sent them only for signed-in users whose region covers the TPS (as the API).
        var actor = HttpContext.GetActor();
        History = await TallyQueries.HistoryAsync(db, recap.Contest.Code, tps, actor.Role != Role.Public && actor.Covers(tps), ct);
        return Page();
    }
}
