using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Hasil;

public sealed class IndexModel(TallyReference reference) : PageModel
{
    public IReadOnlyList<TallyReference.ContestInfo> Contests { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Contests = (await reference.ContestsAsync(ct)).Values.OrderBy(c => c.RegionCode.Length).ThenBy(c => c.RegionCode).ToList();
}
