using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pantau.Core.Incidents;
using Pantau.Core.Regions;
using Pantau.Web.Incidents;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Pages.Incidents;

/// <summary>Daily deployment list for police and army: where to deploy, worst first, with reasons.</summary>
[Authorize(Policy = Access.Deployers)]
public sealed class PenempatanModel(KerawananService svc, TimeProvider time, Lang lang, Web.Elections.ElectionCatalog catalog) : PageModel
{
    /// <summary>The election whose IKP edition scores (<c>?election=CODE</c>, default the current one for the region).</summary>
    [BindProperty(SupportsGet = true, Name = "election")] public string? ElectionCode { get; set; }
    public KerawananElectionView? ElectionView { get; private set; }
    [BindProperty(SupportsGet = true)] public string? Region { get; set; }
    public List<(DeploymentItem Item, string Name)> Items { get; private set; } = [];
    /// <summary>The scored regions behind the list (parts and baseline source of each item).</summary>
    public Dictionary<string, ScoredRegion> Rows { get; private set; } = [];
    public IkpEdition Edition => svc.Edition;
    /// <summary>The level the items are banded at (kecamatan, or TPS within a kecamatan).</summary>
    public IkpLevel ItemLevel { get; private set; } = IkpLevel.Kecamatan;
    public DateTimeOffset Now { get; private set; }
    public string? Error { get; private set; }
    public string Scope { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var actor = HttpContext.GetActor();
        Now = time.GetUtcNow();
        Scope = actor.ScopeCode;
        Region = string.IsNullOrWhiteSpace(Region) ? HomeRegion.For(HttpContext, RegionLevel.Kecamatan) : Region.Trim();
        if (!RegionCode.TryGetLevel(Region, out var level) || level > RegionLevel.Kecamatan || !actor.Covers(Region))
        {
            Error = lang.T("Wilayah tidak sah atau di luar cakupan Anda.", "Invalid region, or outside your scope.");
            Response.StatusCode = 403;
            return Page();
        }
        if (!await svc.UseElectionAsync(ElectionCode, ct, Region))
        {
            Error = lang.T("Pemilihan tidak ditemukan.", "Election not found.");
            Response.StatusCode = 404;
            return Page();
        }
        ElectionView = await KerawananElectionView.ForAsync(svc, catalog, "/kerawanan/penempatan", ct, ("region", Region));
        var scoreLevel = level == RegionLevel.Kecamatan ? ScoreLevel.Tps : ScoreLevel.Kecamatan;
        ItemLevel = (IkpLevel)(int)scoreLevel;
        var rows = await svc.ScoreAsync(Region, scoreLevel, ct);
        Rows = rows.ToDictionary(r => r.Code);
        var names = rows.ToDictionary(r => r.Code, r => r.Name);
        Items = Deployment.Plan(rows.Select(r => r.Score), 30).Select(p => (p, names[p.Code])).ToList();
        return Page();
    }
}
