using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Elections;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>The contests of one election (<c>?election=CODE</c>, the current one by default) with links to their results.</summary>
public sealed class IndexModel(TallyReference reference, ElectionCatalog elections) : PageModel
{
    public IReadOnlyList<TallyReference.ContestInfo> Contests { get; private set; } = [];
    public ElectionBar Bar { get; private set; } = null!;

    public async Task OnGetAsync(string? election, CancellationToken ct)
    {
        var selected = await elections.ResolveAsync(election, ct);
        Bar = await ElectionBar.ForAsync(elections, selected, "/hasil", ct);
        if (selected is null && !string.IsNullOrWhiteSpace(election)) Response.StatusCode = 404;
        Contests = (await reference.ContestsAsync(ct)).Values.Where(c => selected is not null && c.ElectionCode == selected.Code)
            .OrderBy(c => c.RegionCode.Length).ThenBy(c => c.RegionCode).ToList();
    }
}
