using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Hasil;

[EnableRateLimiting(RateLimits.PublicApi)]
public sealed class ResultsModel(PantauDbContext db, TallyReference reference) : PageModel
{
    public RecapDto? Recap { get; private set; }

    public async Task<IActionResult> OnGetAsync(string contest, string region, CancellationToken ct)
    {
        Recap = await TallyQueries.RecapAsync(db, reference, contest, region, ct);
        return Recap is null ? NotFound() : Page();
    }
}
