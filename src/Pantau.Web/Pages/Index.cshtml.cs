using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Data;
using Pantau.Web.Regions;

namespace Pantau.Web.Pages;

public sealed class IndexModel(PantauDbContext db) : PageModel
{
    public TreeCounts Counts { get; private set; } = null!;
    public RegionDetail? Province { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Counts = await RegionsModule.CountTree(db, ct);
        Province = await RegionsModule.Detail(db, "16", ct);
    }
}
