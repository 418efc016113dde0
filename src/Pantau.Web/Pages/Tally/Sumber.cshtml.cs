using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Regions;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>Results from other sources (issue 21 point 6): one source's recap and progress, or a source beside the official count or
/// another source, with the differences per TPS and summed per region.</summary>
[Authorize(Policy = Access.ResultReview)]
public sealed class SumberModel(SourceResults results, TallyReference reference, Lang lang) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Contest { get; set; }
    [BindProperty(SupportsGet = true)] public string? Source { get; set; }
    [BindProperty(SupportsGet = true)] public string? Against { get; set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public IReadOnlyList<(string Code, string Name)> Contests { get; private set; } = [];
    public List<(string Source, int Sheets)> Sources { get; private set; } = [];
    public SourceRecap? Recap { get; private set; }
    public SourceComparison? Comparison { get; private set; }
    public string Scope { get; private set; } = "";
    public string? Error { get; private set; }
    public IReadOnlyList<(int Number, string Name)> Paslon { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Scope = actor.ScopeCode;
        var contests = await reference.ContestsAsync(ct);
        Contests = contests.Values.OrderBy(c => c.Code).Select(c => (c.Code, c.Name)).ToList();
        Contest = string.IsNullOrWhiteSpace(Contest) ? Contests.FirstOrDefault().Code : Contest.Trim();
        if (Contest is null || !contests.TryGetValue(Contest, out var ci)) { Error = lang.T("Pemilihan tidak dikenal.", "Unknown contest."); Response.StatusCode = 404; return Page(); }
        Paslon = ci.Paslon;
        Region = string.IsNullOrWhiteSpace(Region) ? (RegionCode.IsValid(actor.ScopeCode) ? actor.ScopeCode : ci.RegionCode) : Region.Trim();
        if (!RegionCode.IsValid(Region) || !actor.Reads(Region))
        {
            Error = lang.T("Wilayah tidak sah atau di luar wilayah tugas Anda.", "Invalid region, or outside your region.");
            Response.StatusCode = 400;
            return Page();
        }
        Sources = await results.SourcesAsync(ci.Code, ct);
        Source = string.IsNullOrWhiteSpace(Source) ? Sources.FirstOrDefault().Source : Source.Trim();
        if (Source is null) return Page();
        Recap = await results.RecapAsync(ci.Code, Source, Region, ct);
        if (!string.IsNullOrWhiteSpace(Against)) Comparison = await results.CompareAsync(ci.Code, Source, Against.Trim(), Region, 200, ct);
        return Page();
    }
}
