using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

[EnableRateLimiting(RateLimits.PublicApi)]
public sealed class ResultsModel(RecapCache recaps, Web.Elections.ElectionCatalog elections) : PageModel
{
    public RecapDto? Recap { get; private set; }

    /// <summary>The election the contest belongs to.</summary>
    public Web.Elections.ElectionCatalog.Entry? Election { get; private set; }

    /// <summary>TPS of the contest re-voted in a PSU whose day has come: their PSU sheet counts (marked in the recap).</summary>
    public IReadOnlyDictionary<string, Web.Elections.ElectionCatalog.Revote> Revoted { get; private set; } = new Dictionary<string, Web.Elections.ElectionCatalog.Revote>();

    /// <summary>The re-voted TPS inside a region (or the TPS itself).</summary>
    public int RevotedIn(string code) => Revoted.Keys.Count(t => t == code || (Pantau.Core.Regions.RegionCode.TryParseTpsCode(t, out var desa, out _) && Pantau.Core.Regions.RegionCode.IsWithin(desa, code)));

    /// <param name="ke">The region picker's choice ("go to"): redirects to that region's results of the same contest.</param>
    public async Task<IActionResult> OnGetAsync(string contest, string region, string? ke, CancellationToken ct)
    {
        ke = ke?.Trim();
        if (!string.IsNullOrEmpty(ke) && ke != region && (Pantau.Core.Regions.RegionCode.IsValid(ke) || Pantau.Core.Regions.RegionCode.TryParseTpsCode(ke, out _, out _)))
            return Redirect($"/hasil/{Uri.EscapeDataString(contest)}/{Uri.EscapeDataString(ke)}");
        // The same recap the API serves (memory for the busy levels, the same freshness rules); ResultsPageCache keeps the rendered page.
        Recap = (await recaps.GetAsync(contest, region, ct))?.Recap;
        Election = await elections.OfContestAsync(contest, ct);
        Revoted = (await elections.RevotedAsync(contest, ct: ct)).ToDictionary(r => r.TpsCode, StringComparer.Ordinal);
        return Recap is null ? NotFound() : Page();
    }
}
